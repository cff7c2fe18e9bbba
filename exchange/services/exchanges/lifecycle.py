"""Exchanges: propose from a listing, accept or decline, cancel, log the time, confirm it
(the credits move); unconfirmed logs expire. A direct log (time given outside a listing) is
in `direct`, disputes and their resolution in `disputes`. Each use case checks who may act
and in which state, writes the step into the exchange's history, tells the other side, and
commits once.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.services.conversations import blocks
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.exchanges.steps import (
    acting_member,
    as_party,
    locked,
    settle,
    step,
    tell,
    tell_other,
    text,
    wrong_state,
)
from exchange.services.ledger import limits, rules, transfers
from exchange.services.money import fees
from models import Exchange, Listing, User, db
from models.base import utcnow

MAX_TITLE = 120


# ---------------------------------------------------------------------------- helpers


def today() -> date:
    """Today in the network's time zone: 00:30 in Paris is already tomorrow, not UTC's today."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return utcnow().astimezone(zone).date()


def log_days() -> int:
    return int(current_app.config.get("EXCHANGE_LOG_DAYS", 30))


def check_day(performed_on: date | None) -> date | None:
    if performed_on is None:
        return None
    if performed_on > today():
        raise InvalidInput(_l("Cette date est dans le futur."), field="performed_on")
    if performed_on < today() - timedelta(days=366):
        raise InvalidInput(
            _l("Déclarez le temps donné dans l'année écoulée."), field="performed_on"
        )
    return performed_on


# ---------------------------------------------------------------------------- agreeing


def propose(
    actor_id: int, listing_id: int, *, message: str, foreseen_minutes: int | None
) -> Exchange:
    """Answer a listing: on an offer, to receive the help; on a request, to give it."""
    actor = acting_member(actor_id)
    transfers.begin_write()
    listing = db.session.scalar(select(Listing).where(Listing.id == listing_id).with_for_update())
    if listing is None or not listing.is_public():
        raise NotFound()
    if listing.author_id == actor.id:
        raise InvalidInput(_l("C'est votre annonce : on ne s'échange pas du temps à soi-même."))
    blocks.check_reaches(actor.id, listing.author_id, field=None)
    message = text(message)
    if not message:
        raise InvalidInput(
            _l("Écrivez quelques mots : ce que vous proposez, vos disponibilités."),
            field="message",
        )
    if foreseen_minutes is not None:
        limits.check_minutes(foreseen_minutes)
    open_one = db.session.scalar(
        select(Exchange.id).where(
            Exchange.listing_id == listing.id,
            Exchange.initiator_id == actor.id,
            Exchange.state.in_(("proposed", "accepted")),
        )
    )
    if open_one:
        raise Conflict(_l("Vous avez déjà un échange en cours sur cette annonce."))
    provider, receiver = (
        (listing.author_id, actor.id) if listing.kind == "offer" else (actor.id, listing.author_id)
    )
    exchange = Exchange(
        listing_id=listing.id,
        provider_id=provider,
        receiver_id=receiver,
        initiator_id=actor.id,
        state="proposed",
        title=listing.title,
        message=message,
        foreseen_minutes=foreseen_minutes,
    )
    db.session.add(exchange)
    step(exchange, actor, "proposed", minutes=foreseen_minutes, message=message)
    db.session.flush()
    tell(listing.author, "exchange_proposed", exchange, actor)
    db.session.commit()
    return exchange


def accept(
    actor_id: int,
    exchange_id: int,
    message: str = "",
    *,
    fee_cents: int | None = None,
    fee_covers: str = "",
) -> Exchange:
    """The other side of a proposal says yes; a provider may attach a fee (see `fees`)."""
    return _answer(actor_id, exchange_id, "accepted", message, fee_cents, fee_covers)


def decline(actor_id: int, exchange_id: int, message: str = "") -> Exchange:
    """The other side of a proposal says no, thank you."""
    return _answer(actor_id, exchange_id, "declined", message)


def _answer(
    actor_id: int,
    exchange_id: int,
    state: str,
    message: str,
    fee_cents: int | None = None,
    fee_covers: str = "",
) -> Exchange:
    actor, exchange = as_party(actor_id, exchange_id)
    if exchange.state != "proposed":
        raise wrong_state(exchange)
    if actor.id == exchange.initiator_id:
        raise Forbidden(_l("C'est à l'autre personne de répondre à votre proposition."))
    exchange.state = state
    if state == "declined":
        exchange.closed_at = utcnow()
    message = text(message)
    step(exchange, actor, state, message=message)
    if state == "accepted":
        fees.attach(exchange, actor, fee_cents, fee_covers)
    tell_other(exchange, actor, f"exchange_{state}", message=message)
    db.session.commit()
    return exchange


def cancel(actor_id: int, exchange_id: int, reason: str = "") -> Exchange:
    """Either side calls it off, as long as no time was logged."""
    actor, exchange = as_party(actor_id, exchange_id)
    if exchange.state not in ("proposed", "accepted"):
        raise wrong_state(exchange)
    exchange.state = "cancelled"
    exchange.closed_at = utcnow()
    fees.withdraw(exchange)
    reason = text(reason)
    step(exchange, actor, "cancelled", message=reason)
    tell_other(exchange, actor, "exchange_cancelled", message=reason)
    db.session.commit()
    return exchange


# ---------------------------------------------------------------------------- the time


def log_time(
    actor_id: int,
    exchange_id: int,
    *,
    minutes: int,
    performed_on: date | None = None,
    note: str = "",
    fee_cents: int | None = None,
    fee_covers: str = "",
    confirmed_large: bool = False,
) -> Exchange:
    """Either side says how much time was actually given; the other side confirms it. The
    provider may attach a fee then, if none was attached on accepting. Above the network's
    threshold the time is logged only `confirmed_large`."""
    actor, exchange = as_party(actor_id, exchange_id)
    if exchange.state != "accepted":
        raise wrong_state(exchange)
    minutes = limits.check_minutes(minutes)
    rules.check_large(minutes, confirmed_large=confirmed_large)
    exchange.performed_on = check_day(performed_on) or today()
    mark_logged(exchange, actor, minutes, text(note))
    fees.attach(exchange, actor, fee_cents, fee_covers)
    tell_other(exchange, actor, "exchange_logged", minutes=minutes)
    db.session.commit()
    return exchange


def mark_logged(exchange: Exchange, actor: User, minutes: int, note: str) -> None:
    now = utcnow()
    exchange.state = "done"
    exchange.minutes = minutes
    exchange.logged_by_id = actor.id
    exchange.logged_at = now
    exchange.expires_at = now + timedelta(days=log_days())
    step(exchange, actor, "logged", minutes=minutes, message=note)


def confirm(actor_id: int, exchange_id: int) -> Exchange:
    """The other side confirms the time logged: the credits move, receiver → provider, once."""
    actor, exchange = as_party(actor_id, exchange_id)
    if exchange.state != "done" or exchange.minutes is None or exchange.is_expired():
        raise wrong_state(exchange)
    if actor.id == exchange.logged_by_id:
        raise Forbidden(_l("C'est à l'autre personne de confirmer le temps que vous avez déclaré."))
    settle(exchange, actor, exchange.minutes, reason=exchange.title)
    step(exchange, actor, "confirmed", minutes=exchange.minutes)
    tell_other(exchange, actor, "exchange_confirmed", minutes=exchange.minutes)
    transfers.commit()
    return exchange


def expire_stale(now=None) -> int:
    """Mark logs nobody confirmed in time as expired (nothing moves); tell both sides."""
    now = now or utcnow()
    ids = list(
        db.session.scalars(
            select(Exchange.id).where(Exchange.state == "done", Exchange.expires_at <= now)
        )
    )
    count = 0
    for exchange_id in ids:
        exchange = locked(exchange_id)
        if exchange.state != "done" or not exchange.is_expired(now):
            db.session.rollback()
            continue
        exchange.state = "expired"
        exchange.closed_at = now
        fees.withdraw(exchange)
        step(exchange, None, "expired", minutes=exchange.minutes)
        for party in (exchange.provider, exchange.receiver):
            tell(party, "exchange_expired", exchange, minutes=exchange.minutes)
        db.session.commit()
        count += 1
    return count
