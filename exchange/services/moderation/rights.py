"""Who may moderate what, what waits for coordinators, and the log of what they did.

Admins act everywhere; a coordinator on the listings of their spaces and on the members active
in them; nobody on themselves. The acts themselves are in `acts` and `reports`.
"""

from __future__ import annotations

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, select
from sqlalchemy.orm import lazyload

from exchange.services.errors import Forbidden, InvalidInput
from models import Feedback, Listing, Membership, Report, User, db

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
    if report.listing is not None:
        return can_act_on_listing(actor, report.listing)
    if report.feedback is not None:
        return can_act_on_feedback(actor, report.feedback)
    if report.message is not None:  # the coordinators of the spaces of whom it was written to
        if not getattr(actor, "is_authenticated", False):
            return False
        if actor.id in (report.message.author_id, report.reporter_id):
            return False
        return actor.is_admin or bool(_shared_spaces(actor, report.reporter))
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
