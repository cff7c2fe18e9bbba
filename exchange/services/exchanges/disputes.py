"""Disputes: the other side contests the time logged, and a coordinator of either party's
spaces (or an admin) resolves it, confirming a number of minutes or cancelling, with a reason
in the moderation log. The exchange's own steps are in `lifecycle`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.services.errors import Forbidden, InvalidInput, NotFound

# The lifecycle's own helpers: a dispute is one more step of the same exchange.
from exchange.services.exchanges.lifecycle import (
    _as_party,
    _settle,
    _step,
    _tell,
    _tell_other,
    _text,
    _wrong_state,
    locked,
)
from exchange.services.ledger import transfers
from exchange.services.moderation import audit, rights
from exchange.services.money import fees
from models import Exchange, User, db
from models.base import utcnow


def dispute(actor_id: int, exchange_id: int, reason: str) -> Exchange:
    """The other side disagrees with the time logged; the coordinators of both sides' spaces
    are asked to resolve it."""
    actor, exchange = _as_party(actor_id, exchange_id)
    if exchange.state != "done" or exchange.is_expired():
        raise _wrong_state(exchange)
    if actor.id == exchange.logged_by_id:
        raise Forbidden(_l("C'est à l'autre personne de contester le temps déclaré."))
    reason = _text(reason)
    if not reason:
        raise InvalidInput(
            _l("Expliquez ce qui ne va pas : la coordination et l'autre personne le liront."),
            field="reason",
        )
    exchange.state = "disputed"
    exchange.dispute_reason = reason
    _step(exchange, actor, "disputed", message=reason)
    _tell_other(exchange, actor, "exchange_disputed", reason=reason)
    for coordinator in _stewards(exchange):
        _tell(
            coordinator,
            "dispute_opened",
            exchange,
            actor,
            provider=exchange.provider.display_name,
            receiver=exchange.receiver.display_name,
        )
    db.session.commit()
    return exchange


def _party_spaces(exchange: Exchange) -> list[int]:
    """The spaces where either party is active: their coordinators resolve disputes."""
    ids = set(rights.active_space_ids(exchange.provider_id))
    ids.update(rights.active_space_ids(exchange.receiver_id))
    return sorted(ids)


def _stewards(exchange: Exchange) -> list[User]:
    from exchange.services.community.spaces import coordinators

    seen: dict[int, User] = {}
    for space_id in _party_spaces(exchange):
        for user in coordinators(space_id):
            if user.id not in exchange.parties():
                seen.setdefault(user.id, user)
    if not seen:  # the only coordinators are the parties themselves: the admins decide
        seen = {u.id: u for u in active_admins() if u.id not in exchange.parties()}
    return list(seen.values())


def active_admins() -> list[User]:
    """The network's admins who are not suspended."""
    query = select(User).where(User.is_admin.is_(True), User.suspended_at.is_(None))
    return list(db.session.scalars(query.order_by(User.id)))


def log_space(actor: User, exchange: Exchange) -> int | None:
    """The space a coordinator's act on an exchange is filed under: the first party's space
    the actor coordinates (any, for an admin)."""
    shared = [s for s in _party_spaces(exchange) if actor.is_admin or actor.is_coordinator_of(s)]
    return shared[0] if shared else None


def can_resolve(viewer, exchange: Exchange) -> bool:
    """An admin, or a coordinator of a space of either party, never a party."""
    if not getattr(viewer, "is_authenticated", False) or viewer.id in exchange.parties():
        return False
    if viewer.is_admin:
        return True
    return bool(viewer.coordinated_space_ids() & set(_party_spaces(exchange)))


def resolve(
    actor_id: int, exchange_id: int, *, outcome: str, reason: str, minutes: int | None = None
) -> Exchange:
    """A coordinator settles a dispute: confirm with a number of minutes, or cancel. Logged in
    the moderation log with its reason; both parties are told."""
    actor = rights.actor(actor_id)
    exchange = locked(exchange_id)
    if not can_resolve(actor, exchange):
        raise NotFound() if actor.id in exchange.parties() else Forbidden()
    if exchange.state != "disputed":
        raise _wrong_state(exchange)
    if outcome not in ("confirm", "cancel"):
        raise InvalidInput(_l("Choisissez : confirmer ou annuler."), field="outcome")
    reason = rights.required(
        reason, _l("Dites pourquoi : les deux personnes recevront ce message.")
    )
    if outcome == "confirm":
        minutes = transfers.check_minutes(minutes if minutes is not None else exchange.minutes)
        _settle(exchange, actor, minutes, reason=reason)
    else:
        exchange.state = "cancelled"
        exchange.closed_at = utcnow()
        fees.withdraw(exchange)
    exchange.resolved_by_id = actor.id
    _step(
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
        space_id=log_space(actor, exchange),
        subject_user_id=exchange.provider_id,
        target_type="exchange",
        target_id=exchange.id,
        outcome=outcome,
        minutes=minutes if outcome == "confirm" else None,
        receiver_id=exchange.receiver_id,
        title=exchange.title,
    )
    for party in (exchange.provider, exchange.receiver):
        _tell(
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
