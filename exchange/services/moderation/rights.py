"""Who may moderate what, what waits for coordinators, and the log of what they did.

Admins act everywhere; a coordinator on the listings of their spaces and on the members active
in them; nobody on themselves. The acts themselves are in `acts` and `reports`.
"""

from __future__ import annotations

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import and_, event, or_, select
from sqlalchemy.orm import aliased, lazyload, selectinload

from exchange.services.community.spaces import pending_requests as requests_in_spaces
from exchange.services.errors import Forbidden, InvalidInput
from exchange.services.paging import Window, listed
from models import Feedback, Listing, Membership, ModerationAction, Report, User, db

MAX_REASON = 1000


# ---------------------------------------------------------------------------- who may act


def scope(user: User) -> set[int] | None:
    """The space ids a member may moderate; None means all of them (admins)."""
    return None if user.is_admin else user.coordinated_space_ids()


def is_moderator(user) -> bool:
    """Whether this person has a moderation desk at all (an admin or a coordinator)."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_admin or bool(user.coordinated_space_ids())
    )


def members_of(space_ids):
    """The ids of the active members of these spaces (a subquery)."""
    return select(Membership.user_id).where(
        Membership.space_id.in_(space_ids or [-1]), Membership.status == "active"
    )


_KNOWN_SPACES = "archipel.active_spaces"  # session.info: user id → active space ids


def active_space_ids(user_id: int) -> list[int]:
    """The spaces where a member is active, in id order (read once per page for the members
    `preload_active_spaces` named)."""
    known = db.session.info.get(_KNOWN_SPACES, {})
    if user_id in known:
        return known[user_id]
    return sorted(
        db.session.scalars(
            select(Membership.space_id).where(
                Membership.user_id == user_id, Membership.status == "active"
            )
        )
    )


def preload_active_spaces(user_ids) -> None:
    """Read in one query the active spaces of the members a page will ask about one by one
    (the desk's reported and suspended members, the parties of disputes): its queries then do
    not grow with its rows. Forgotten at the session's next flush, commit or rollback."""
    known = db.session.info.setdefault(_KNOWN_SPACES, {})
    wanted = {uid for uid in user_ids if uid is not None and uid not in known}
    if not wanted:
        return
    found: dict[int, list[int]] = {uid: [] for uid in wanted}
    rows = db.session.execute(
        select(Membership.user_id, Membership.space_id).where(
            Membership.user_id.in_(wanted), Membership.status == "active"
        )
    )
    for uid, space_id in rows:
        found[uid].append(space_id)
    known.update({uid: sorted(ids) for uid, ids in found.items()})


def preload_feedback_spaces(viewer, feedbacks) -> None:
    """For a moderator's page, read at once the spaces of the parties of the feedback it will
    ask `can_act_on_feedback` about one by one; other readers ask nothing, so read nothing."""
    if not getattr(viewer, "is_authenticated", False):
        return
    if viewer.is_admin or viewer.coordinated_space_ids():
        preload_active_spaces({uid for f in feedbacks for uid in (f.author_id, f.subject_id)})


@event.listens_for(FlaskSession, "before_flush")
@event.listens_for(FlaskSession, "after_commit")
@event.listens_for(FlaskSession, "after_rollback")
def _forget_spaces(session, *args) -> None:
    """A write may change memberships: what was read for a page is read again."""
    session.info.pop(_KNOWN_SPACES, None)


def _shared_spaces(actor: User, member: User) -> list[int]:
    """The spaces through which the actor may act on a member: where the member is active."""
    spaces = active_space_ids(member.id)
    return spaces if actor.is_admin else [s for s in spaces if actor.is_coordinator_of(s)]


def can_act_on_listing(actor, listing: Listing) -> bool:
    """Hide, restore, approve, ask for an edit: an admin or a coordinator of its space."""
    if not getattr(actor, "is_authenticated", False) or actor.id == listing.author_id:
        return False
    return actor.is_admin or actor.is_coordinator_of(listing.space_id)


def can_act_on_member(actor, member: User) -> bool:
    """Suspend or reinstate: an admin, or a coordinator of a space where the member is active.

    A coordinator cannot suspend a network admin; nobody acts on themselves.
    """
    if not getattr(actor, "is_authenticated", False) or actor.id == member.id:
        return False
    if member.is_admin and not actor.is_admin:
        return False
    return actor.is_admin or bool(_shared_spaces(actor, member))


def feedback_space_ids(feedback: Feedback) -> list[int]:
    """The spaces whose coordinators look after a feedback: those of the member it is about
    (where it shows), then those of its author."""
    spaces = active_space_ids(feedback.subject_id)
    return spaces + [s for s in active_space_ids(feedback.author_id) if s not in spaces]


def _feedback_spaces_for(actor: User, feedback: Feedback) -> list[int]:
    spaces = feedback_space_ids(feedback)
    return spaces if actor.is_admin else [s for s in spaces if actor.is_coordinator_of(s)]


def can_act_on_feedback(actor, feedback: Feedback) -> bool:
    """Hide or restore a feedback's words: an admin, or a coordinator of a space of either
    party; never one of the two parties themselves."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.id in (feedback.author_id, feedback.subject_id):
        return False
    if not actor.is_admin and not actor.coordinated_space_ids():
        return False  # most readers of a profile: no query at all
    return actor.is_admin or bool(_feedback_spaces_for(actor, feedback))


def feedback_space(actor_: User, feedback: Feedback) -> int | None:
    """The space an act on a feedback is filed under in the log."""
    spaces = _feedback_spaces_for(actor_, feedback)
    return spaces[0] if spaces else None


def can_act_on_report(actor, report: Report) -> bool:
    """Dismiss: whoever may act on the report's item (a coordinator even for an admin)."""
    if report.listing_id is not None:
        return can_act_on_listing(actor, report.listing)
    if report.feedback_id is not None:
        return can_act_on_feedback(actor, report.feedback)
    if not getattr(actor, "is_authenticated", False) or actor.id == report.member_id:
        return False
    return actor.is_admin or bool(_shared_spaces(actor, report.member))


def actor(actor_id: int) -> User:
    """The member acting; a suspended or unknown one may do nothing."""
    # Their skills are for pages: an act does not load them.
    user = db.session.get(User, actor_id, options=[lazyload(User.skills)])
    if user is None or user.is_suspended:
        raise Forbidden()
    return user


def member_space(actor_: User, member: User) -> int | None:
    """The space an act on a member is filed under in the log (the first one shared)."""
    spaces = _shared_spaces(actor_, member)
    return spaces[0] if spaces else None


def required(text: str | None, message) -> str:
    """A reason the act cannot do without, trimmed; InvalidInput beside `reason` if empty."""
    text = (text or "").strip()[:MAX_REASON]
    if not text:
        raise InvalidInput(message, field="reason")
    return text


# ---------------------------------------------------------------------------- the queue


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


# ---------------------------------------------------------------------------- the log


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
