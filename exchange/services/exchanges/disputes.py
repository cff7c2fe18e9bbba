"""Disputes: the other side contests the time logged, and a coordinator of either party's
spaces (or an admin) resolves it, confirming a number of minutes or cancelling, with a reason
in the moderation log. The exchange's own steps are in `lifecycle`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from exchange.services.errors import Forbidden, InvalidInput, NotFound
from exchange.services.exchanges import stewards
from exchange.services.exchanges.steps import (
    as_party,
    locked,
    settle,
    step,
    tell,
    tell_other,
    text,
    wrong_state,
)
from exchange.services.ledger import limits, transfers
from exchange.services.moderation import audit, rights
from exchange.services.money import fees
from models import Exchange, db
from models.base import utcnow


def dispute(actor_id: int, exchange_id: int, reason: str) -> Exchange:
    """The other side disagrees with the time logged; the coordinators of both sides' spaces
    are asked to resolve it."""
    actor, exchange = as_party(actor_id, exchange_id)
    if exchange.state != "done" or exchange.is_expired():
        raise wrong_state(exchange)
    if actor.id == exchange.logged_by_id:
        raise Forbidden(_l("C'est à l'autre personne de contester le temps déclaré."))
    reason = text(reason)
    if not reason:
        raise InvalidInput(
            _l("Expliquez ce qui ne va pas : la coordination et l'autre personne le liront."),
            field="reason",
        )
    exchange.state = "disputed"
    exchange.dispute_reason = reason
    step(exchange, actor, "disputed", message=reason)
    tell_other(exchange, actor, "exchange_disputed", reason=reason)
    for coordinator in stewards.of_exchange(exchange):
        tell(
            coordinator,
            "dispute_opened",
            exchange,
            actor,
            provider=exchange.provider.display_name,
            receiver=exchange.receiver.display_name,
        )
    db.session.commit()
    return exchange


def resolve(
    actor_id: int, exchange_id: int, *, outcome: str, reason: str, minutes: int | None = None
) -> Exchange:
    """A coordinator settles a dispute: confirm with a number of minutes, or cancel. Logged in
    the moderation log with its reason; both parties are told."""
    actor = rights.actor(actor_id)
    exchange = locked(exchange_id)
    if not stewards.can_resolve(actor, exchange):
        raise NotFound() if actor.id in exchange.parties() else Forbidden()
    if exchange.state != "disputed":
        raise wrong_state(exchange)
    if outcome not in ("confirm", "cancel"):
        raise InvalidInput(_l("Choisissez : confirmer ou annuler."), field="outcome")
    reason = rights.required(
        reason, _l("Dites pourquoi : les deux personnes recevront ce message.")
    )
    if outcome == "confirm":
        minutes = limits.check_minutes(minutes if minutes is not None else exchange.minutes)
        settle(exchange, actor, minutes, reason=reason)
    else:
        exchange.state = "cancelled"
        exchange.closed_at = utcnow()
        fees.withdraw(exchange)
    exchange.resolved_by_id = actor.id
    step(
        exchange,
        actor,
        "resolved",
        minutes=minutes if outcome == "confirm" else None,
        message=reason,
    )
    audit.record(
        actor.id,
        "exchange_resolved",
        reason=reason,
        space_id=stewards.log_space(actor, exchange),
        subject_user_id=exchange.provider_id,
        target_type="exchange",
        target_id=exchange.id,
        outcome=outcome,
        minutes=minutes if outcome == "confirm" else None,
        receiver_id=exchange.receiver_id,
        title=exchange.title,
    )
    for party in (exchange.provider, exchange.receiver):
        tell(
            party,
            "exchange_resolved",
            exchange,
            actor,
            outcome=outcome,
            minutes=minutes if outcome == "confirm" else None,
            reason=reason,
        )
    transfers.commit()
    return exchange
