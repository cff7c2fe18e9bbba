"""What a coordinator's desk reads: the queues waiting for them (requests to join, listings to
approve, suspended members) and the log of the acts they may see."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased, selectinload

from exchange.services.community.memberships import pending_requests as requests_in_spaces
from exchange.services.moderation.rights import members_of, preload_active_spaces, scope
from exchange.services.paging import Window, listed
from models import Feedback, Listing, ModerationAction, Report, User, db


def pending_requests(user: User, window: Window | None = None):
    """Requests to join waiting in the spaces this member coordinates."""
    return requests_in_spaces(scope(user), window)


def pending_listings(user: User, window: Window | None = None):
    """Listings of my spaces waiting for approval (pre-moderation), never my own."""
    query = (
        select(Listing)
        .where(
            Listing.moderation == "pending",
            Listing.status != "closed",
            Listing.author_id != user.id,
        )
        .order_by(Listing.updated_at, Listing.id)
        .options(selectinload(Listing.author), selectinload(Listing.space))
    )
    spaces = scope(user)
    if spaces is not None:
        query = query.where(Listing.space_id.in_(spaces or [-1]))
    return listed(query, window)


def suspended_members(user: User, window: Window | None = None):
    """Suspended members of my spaces (all of them for admins), to reinstate."""
    query = (
        select(User)
        .where(User.suspended_at.is_not(None), User.id != user.id)
        .order_by(User.suspended_at.desc(), User.id.desc())
    )
    spaces = scope(user)
    if spaces is not None:
        query = query.where(User.id.in_(members_of(spaces)))
    members = listed(query, window)
    shown = members.items if window is not None else members
    preload_active_spaces(m.id for m in shown)  # the desk asks, for each, who may act
    return members


def log_for(user: User, limit: int = 100) -> list[ModerationAction]:
    """The acts a member may read: all for admins; for coordinators, their spaces' acts and
    the acts on (and reports about) the members of their spaces."""
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
        members_here = members_of(spaces)
        # Feedback acts are filed under the acting coordinator's space; those of either
        # party's spaces read them too. Each act's own feedback or report is joined (by its
        # key), rather than listing every feedback of the spaces (23,000 rows at a network's
        # size, hashed for each page).
        item, report, reported = aliased(Feedback), aliased(Report), aliased(Feedback)
        act = ModerationAction
        query = (
            query.outerjoin(item, and_(act.target_type == "feedback", item.id == act.target_id))
            .outerjoin(report, and_(act.target_type == "report", report.id == act.target_id))
            .outerjoin(reported, reported.id == report.feedback_id)
            .where(
                or_(
                    act.space_id.in_(spaces or [-1]),
                    act.subject_user_id == user.id,
                    and_(act.target_type == "member", act.subject_user_id.in_(members_here)),
                    item.subject_id.in_(members_here),
                    item.author_id.in_(members_here),
                    report.member_id.in_(members_here),
                    reported.subject_id.in_(members_here),
                    reported.author_id.in_(members_here),
                )
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
