"""Exchanges: propose from a listing, accept or decline, cancel, log the time, confirm it
(the credits move); a direct log records time given outside a listing; unconfirmed logs
expire. Disputes and their resolution are in `disputes`. Each use case checks who may act and in which state, writes the
step into the exchange's history, tells the other side, and commits once.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.ledger import rules, transfers
from exchange.services.moderation import rights
from exchange.services.money import fees
from exchange.services.notify import notifications
from models import Exchange, Listing, User, db
from models.base import utcnow

MAX_MESSAGE = 2000
MAX_TITLE = 120


# ---------------------------------------------------------------------------- helpers


def _acting_member(actor_id: int) -> User:
    """Someone who may exchange: known, not suspended, confirmed, active in a space."""
    user = rights.actor(actor_id)
    if not user.email_confirmed or not user.active_memberships():
        raise Forbidden(
            _l("Rejoignez d'abord un lieu du réseau : les échanges se font entre membres.")
        )
    return user


def locked(exchange_id: int) -> Exchange:
    """The exchange, read fresh and locked until the commit (one decision at a time)."""
    transfers.begin_write()
    exchange = db.session.scalar(
        select(Exchange)
        .where(Exchange.id == exchange_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if exchange is None:
        raise NotFound()
    return exchange


def _as_party(actor_id: int, exchange_id: int) -> tuple[User, Exchange]:
    actor = rights.actor(actor_id)
    exchange = locked(exchange_id)
    if actor.id not in exchange.parties():
        raise NotFound()
    return actor, exchange


def _text(value: str | None, limit: int = MAX_MESSAGE) -> str:
    return (value or "").strip()[:limit]


def _step(exchange: Exchange, actor: User | None, kind: str, *, minutes=None, message="") -> None:
    exchange.add_step(actor.id if actor else None, kind, minutes=minutes, message=message)


def _tell(user: User, kind: str, exchange: Exchange, actor: User | None = None, **data) -> None:
    notifications.notify(
        user,
        kind,
        link=notifications.path("exchanges.show", exchange_id=exchange.id),
        title=exchange.title,
        member=actor.display_name if actor else "",
        **data,
    )


def _tell_other(exchange: Exchange, actor: User, kind: str, **data) -> None:
    other = db.session.get(User, exchange.other_party(actor.id), options=[lazyload(User.skills)])
    _tell(other, kind, exchange, actor, **data)


def _wrong_state(exchange: Exchange) -> Conflict:
    messages = {
        "proposed": _l("Cet échange attend encore une réponse."),
        "accepted": _l("Le temps de cet échange n'a pas encore été déclaré."),
        "done": _l("Le temps de cet échange est déclaré et attend sa confirmation."),
        "confirmed": _l("Cet échange est déjà confirmé : les crédits ont bougé."),
        "declined": _l("Cet échange a été décliné."),
        "cancelled": _l("Cet échange a été annulé."),
        "disputed": _l("Cet échange est contesté : la coordination va trancher."),
        "expired": _l("Ce temps déclaré n'a pas été confirmé dans le délai : il a expiré."),
    }
    return Conflict(messages[exchange.effective_state])


def today() -> date:
    """Today in the network's time zone: 00:30 in Paris is already tomorrow, not UTC's today."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return utcnow().astimezone(zone).date()


def log_days() -> int:
    return int(current_app.config.get("EXCHANGE_LOG_DAYS", 30))


def _check_day(performed_on: date | None) -> date | None:
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
    actor = _acting_member(actor_id)
    transfers.begin_write()
    listing = db.session.scalar(select(Listing).where(Listing.id == listing_id).with_for_update())
    if listing is None or not listing.is_public():
        raise NotFound()
    if listing.author_id == actor.id:
        raise InvalidInput(_l("C'est votre annonce : on ne s'échange pas du temps à soi-même."))
    message = _text(message)
    if not message:
        raise InvalidInput(
            _l("Écrivez quelques mots : ce que vous proposez, vos disponibilités."),
            field="message",
        )
    if foreseen_minutes is not None:
        transfers.check_minutes(foreseen_minutes)
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
    _step(exchange, actor, "proposed", minutes=foreseen_minutes, message=message)
    db.session.flush()
    _tell(listing.author, "exchange_proposed", exchange, actor)
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
    actor, exchange = _as_party(actor_id, exchange_id)
    if exchange.state != "proposed":
        raise _wrong_state(exchange)
    if actor.id == exchange.initiator_id:
        raise Forbidden(_l("C'est à l'autre personne de répondre à votre proposition."))
    exchange.state = state
    if state == "declined":
        exchange.closed_at = utcnow()
    message = _text(message)
    _step(exchange, actor, state, message=message)
    if state == "accepted":
        fees.attach(exchange, actor, fee_cents, fee_covers)
    _tell_other(exchange, actor, f"exchange_{state}", message=message)
    db.session.commit()
    return exchange


def cancel(actor_id: int, exchange_id: int, reason: str = "") -> Exchange:
    """Either side calls it off, as long as no time was logged."""
    actor, exchange = _as_party(actor_id, exchange_id)
    if exchange.state not in ("proposed", "accepted"):
        raise _wrong_state(exchange)
    exchange.state = "cancelled"
    exchange.closed_at = utcnow()
    fees.withdraw(exchange)
    reason = _text(reason)
    _step(exchange, actor, "cancelled", message=reason)
    _tell_other(exchange, actor, "exchange_cancelled", message=reason)
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
    actor, exchange = _as_party(actor_id, exchange_id)
    if exchange.state != "accepted":
        raise _wrong_state(exchange)
    minutes = transfers.check_minutes(minutes)
    rules.check_large(minutes, confirmed_large=confirmed_large)
    exchange.performed_on = _check_day(performed_on) or today()
    _logged(exchange, actor, minutes, _text(note))
    fees.attach(exchange, actor, fee_cents, fee_covers)
    _tell_other(exchange, actor, "exchange_logged", minutes=minutes)
    db.session.commit()
    return exchange


def _logged(exchange: Exchange, actor: User, minutes: int, note: str) -> None:
    now = utcnow()
    exchange.state = "done"
    exchange.minutes = minutes
    exchange.logged_by_id = actor.id
    exchange.logged_at = now
    exchange.expires_at = now + timedelta(days=log_days())
    _step(exchange, actor, "logged", minutes=minutes, message=note)


def log_direct(
    actor_id: int,
    *,
    counterpart_id: int,
    gave: bool,
    minutes: int,
    title: str,
    performed_on: date | None,
    message: str = "",
    fee_cents: int | None = None,
    fee_covers: str = "",
    confirmed_large: bool = False,
) -> Exchange:
    """Time given outside a listing ("I helped X for 1 h 30 on …"): nothing moves until the
    other person confirms; unconfirmed, it expires after EXCHANGE_LOG_DAYS days. Above the
    network's threshold it is logged only `confirmed_large`."""
    actor = _acting_member(actor_id)
    transfers.begin_write()
    counterpart = db.session.get(User, counterpart_id)
    if (
        counterpart is None
        or not counterpart.email_confirmed
        or not counterpart.active_memberships()
    ):
        raise InvalidInput(_l("Choisissez un membre du réseau."), field="counterpart")
    if counterpart.id == actor.id:
        raise InvalidInput(
            _l("On ne s'échange pas du temps à soi-même : choisissez un autre membre."),
            field="counterpart",
        )
    if counterpart.is_suspended:
        raise InvalidInput(_l("Ce compte est suspendu."), field="counterpart")
    minutes = transfers.check_minutes(minutes)
    title = _text(title, MAX_TITLE)
    if not title:
        raise InvalidInput(
            _l("Dites en quelques mots ce qui a été fait, par exemple « Relecture d'un devis »."),
            field="title",
        )
    rules.check_large(minutes, confirmed_large=confirmed_large)
    provider, receiver = (actor.id, counterpart.id) if gave else (counterpart.id, actor.id)
    exchange = Exchange(
        provider_id=provider,
        receiver_id=receiver,
        initiator_id=actor.id,
        title=title,
        message=_text(message),
        performed_on=_check_day(performed_on) or today(),
    )
    db.session.add(exchange)
    _logged(exchange, actor, minutes, exchange.message)
    db.session.flush()
    fees.attach(exchange, actor, fee_cents, fee_covers)
    _tell(counterpart, "exchange_logged", exchange, actor, minutes=minutes)
    db.session.commit()
    return exchange


def confirm(actor_id: int, exchange_id: int) -> Exchange:
    """The other side confirms the time logged: the credits move, receiver → provider, once."""
    actor, exchange = _as_party(actor_id, exchange_id)
    if exchange.state != "done" or exchange.is_expired():
        raise _wrong_state(exchange)
    if actor.id == exchange.logged_by_id:
        raise Forbidden(_l("C'est à l'autre personne de confirmer le temps que vous avez déclaré."))
    _settle(exchange, actor, exchange.minutes, reason=exchange.title)
    _step(exchange, actor, "confirmed", minutes=exchange.minutes)
    _tell_other(exchange, actor, "exchange_confirmed", minutes=exchange.minutes)
    transfers.commit()
    return exchange


def _settle(exchange: Exchange, author: User, minutes: int, reason: str) -> None:
    transfers.transfer(
        kind="settlement",
        from_account=transfers.account_of(exchange.receiver_id).id,
        to_account=transfers.account_of(exchange.provider_id).id,
        minutes=minutes,
        reason=reason,
        author_id=author.id,
        exchange_id=exchange.id,
    )
    exchange.state = "confirmed"
    exchange.minutes = minutes
    exchange.closed_at = utcnow()


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
        _step(exchange, None, "expired", minutes=exchange.minutes)
        for party in (exchange.provider, exchange.receiver):
            _tell(party, "exchange_expired", exchange, minutes=exchange.minutes)
        db.session.commit()
        count += 1
    return count
