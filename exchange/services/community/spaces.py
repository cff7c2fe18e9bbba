"""Spaces, joining them, and who coordinates them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.moderation import audit
from models import Membership, Space, User, db
from models.spaces import JOIN_POLICIES


def user_of(user_id: int | None) -> User:
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise NotFound()
    return user


def get_space(space_id: int) -> Space:
    space = db.session.get(Space, space_id)
    if space is None:
        raise NotFound()
    return space


def can_coordinate(user: User | None, space_id: int) -> bool:
    """Admins coordinate every space; a coordinator only their own."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or user.is_coordinator_of(space_id)


def require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden()


def require_coordinator(actor: User, space_id: int) -> None:
    if not can_coordinate(actor, space_id):
        raise Forbidden()


def _clean_space_fields(name: str, city: str, description: str, join_policy: str) -> dict:
    name = " ".join((name or "").split())
    city = " ".join((city or "").split())
    if not name:
        raise InvalidInput(_l("Donnez un nom au lieu."), field="name")
    if not city:
        raise InvalidInput(_l("Indiquez la ville du lieu."), field="city")
    if join_policy not in JOIN_POLICIES:
        raise InvalidInput(field="join_policy")
    return {
        "name": name[:120],
        "city": city[:80],
        "description": (description or "").strip()[:5000],
        "join_policy": join_policy,
    }


def _name_taken(name: str, except_id: int | None = None) -> bool:
    query = select(Space.id).where(func.lower(Space.name) == name.lower())
    if except_id:
        query = query.where(Space.id != except_id)
    return db.session.scalar(query) is not None


def create_space(
    actor_id: int,
    *,
    name: str,
    city: str,
    description: str = "",
    join_policy: str = "open",
    premoderation: bool = False,
) -> Space:
    """An admin adds a space to the network."""
    actor = user_of(actor_id)
    require_admin(actor)
    fields = _clean_space_fields(name, city, description, join_policy)
    fields["premoderation"] = bool(premoderation)
    if _name_taken(fields["name"]):
        raise Conflict(_l("Un lieu porte déjà ce nom."), field="name")
    space = Space(created_by_id=actor.id, **fields)
    db.session.add(space)
    db.session.flush()
    audit.record(
        actor.id, "space_created", space_id=space.id, target_type="space", target_id=space.id
    )
    db.session.commit()
    return space


def update_space(
    actor_id: int,
    space_id: int,
    *,
    name: str,
    city: str,
    description: str,
    join_policy: str,
    premoderation: bool | None = None,
) -> Space:
    """An admin or one of the space's coordinators edits it (pre-moderation included;
    None leaves it as it is)."""
    actor = user_of(actor_id)
    space = get_space(space_id)
    require_coordinator(actor, space.id)
    fields = _clean_space_fields(name, city, description, join_policy)
    if premoderation is not None:
        fields["premoderation"] = bool(premoderation)
    if _name_taken(fields["name"], except_id=space.id):
        raise Conflict(_l("Un lieu porte déjà ce nom."), field="name")
    changed = {k: v for k, v in fields.items() if getattr(space, k) != v}
    for key, value in changed.items():
        setattr(space, key, value)
    if changed:
        audit.record(
            actor.id,
            "space_updated",
            space_id=space.id,
            target_type="space",
            target_id=space.id,
            fields=sorted(changed),
        )
    db.session.commit()
    return space


def coordinators(space_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.space_id == space_id,
                Membership.status == "active",
                Membership.role == "coordinator",
            )
            .order_by(User.display_name)
        )
    )


def members(space_id: int, limit: int = 24) -> list[User]:
    """The first active members by name, for the space's page (the directory has them all)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.space_id == space_id, Membership.status == "active")
            .order_by(User.display_name)
            .limit(limit)
        )
    )


def list_spaces() -> list[tuple[Space, int]]:
    """Every space with its number of active members."""
    count = (
        select(func.count(Membership.id))
        .where(Membership.space_id == Space.id, Membership.status == "active")
        .correlate(Space)
        .scalar_subquery()
    )
    return [(s, n) for s, n in db.session.execute(select(Space, count).order_by(Space.name))]


def member_count(space_id: int) -> int:
    active = Membership.space_id == space_id, Membership.status == "active"
    return db.session.scalar(select(func.count(Membership.id)).where(*active)) or 0
