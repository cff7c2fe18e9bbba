"""What coordinators look after, and the log of what they did."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from models import Membership, ModerationAction, User, db


def scope(user: User) -> set[int] | None:
    """The space ids a member may moderate; None means all of them (admins)."""
    return None if user.is_admin else user.coordinated_space_ids()


def pending_requests(user: User) -> list[Membership]:
    """Requests to join waiting in the spaces this member coordinates."""
    spaces = scope(user)
    query = (
        select(Membership)
        .where(Membership.status == "pending")
        .order_by(Membership.requested_at)
        .options(selectinload(Membership.user), selectinload(Membership.space))
    )
    if spaces is not None:
        query = query.where(Membership.space_id.in_(spaces or [-1]))
    return list(db.session.scalars(query))


def log_for(user: User, limit: int = 100) -> list[ModerationAction]:
    """The acts a member may read: all for admins, their spaces' for coordinators."""
    query = (
        select(ModerationAction)
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(limit)
        .options(
            selectinload(ModerationAction.actor),
            selectinload(ModerationAction.subject_user),
            selectinload(ModerationAction.space),
        )
    )
    spaces = scope(user)
    if spaces is not None:
        query = query.where(
            or_(
                ModerationAction.space_id.in_(spaces or [-1]),
                ModerationAction.subject_user_id == user.id,
            )
        )
    return list(db.session.scalars(query))


def acts_about(user_id: int, limit: int = 50) -> list[ModerationAction]:
    """The acts that concern a member, for their own eyes."""
    return list(
        db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.subject_user_id == user_id)
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
            .limit(limit)
            .options(selectinload(ModerationAction.actor), selectinload(ModerationAction.space))
        )
    )
