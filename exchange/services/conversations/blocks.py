"""A member blocks another: nothing from them reaches the member any more (messages,
proposals), and they are told no more than "cette personne ne reçoit pas vos messages"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, select

from exchange.services.community import members
from exchange.services.errors import Conflict, InvalidInput
from models import Block, User, db

NOT_RECEIVING = _l("Cette personne ne reçoit pas vos messages.")
YOU_BLOCKED = _l(
    "Vous avez bloqué cette personne : débloquez-la depuis son profil pour lui écrire."
)


def blocks(blocker_id: int, blocked_id: int) -> bool:
    """Whether the first member blocked the second."""
    query = select(Block).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    return bool(db.session.scalar(select(exists(query))))


def check_reaches(author_id: int, recipient_id: int, *, field: str | None = "body") -> None:
    """Refuse what `author` sends to `recipient` when either blocked the other; the blocked
    member is told only that it does not reach."""
    if blocks(recipient_id, author_id):
        raise Conflict(NOT_RECEIVING, field=field)
    if blocks(author_id, recipient_id):
        raise Conflict(YOU_BLOCKED, field=field)


def block(user_id: int, member_id: int) -> bool:
    """Block a member; True when it is new (blocking twice changes nothing)."""
    user, member = db.session.get(User, user_id), members.get_member(member_id)
    if user is None or member.id == user_id:
        raise InvalidInput(_l("Vous ne pouvez pas vous bloquer vous-même."))
    if blocks(user_id, member.id):
        return False
    db.session.add(Block(blocker_id=user_id, blocked_id=member.id))
    db.session.commit()
    return True


def unblock(user_id: int, member_id: int) -> bool:
    """Unblock a member; True when they were blocked."""
    done = db.session.execute(
        delete(Block).where(Block.blocker_id == user_id, Block.blocked_id == member_id)
    )
    db.session.commit()
    return bool(getattr(done, "rowcount", 0))


def blocked_by(user_id: int) -> list[User]:
    """The members this member blocked, by name."""
    query = (
        select(User)
        .join(Block, Block.blocked_id == User.id)
        .where(Block.blocker_id == user_id)
        .order_by(User.display_name, User.id)
    )
    return list(db.session.scalars(query))
