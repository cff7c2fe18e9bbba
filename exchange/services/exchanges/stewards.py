"""Who looks after an exchange: the coordinators of either party's spaces, or the admins when
the parties are the only coordinators. They resolve its disputes and hear about its fee's
refunds and bank disputes."""

from __future__ import annotations

from sqlalchemy import select

from exchange.services.community.spaces import coordinators
from exchange.services.moderation import rights
from models import Exchange, User, db


def party_spaces(exchange: Exchange) -> list[int]:
    """The spaces where either party is active: their coordinators resolve disputes."""
    ids = set(rights.active_space_ids(exchange.provider_id))
    ids.update(rights.active_space_ids(exchange.receiver_id))
    return sorted(ids)


def of_exchange(exchange: Exchange) -> list[User]:
    """The coordinators of either party's spaces who are not parties, or else the admins."""
    seen: dict[int, User] = {}
    for space_id in party_spaces(exchange):
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
    shared = [s for s in party_spaces(exchange) if actor.is_admin or actor.is_coordinator_of(s)]
    return shared[0] if shared else None


def can_resolve(viewer, exchange: Exchange) -> bool:
    """An admin, or a coordinator of a space of either party, never a party."""
    if not getattr(viewer, "is_authenticated", False) or viewer.id in exchange.parties():
        return False
    if viewer.is_admin:
        return True
    return bool(viewer.coordinated_space_ids() & set(party_spaces(exchange)))
