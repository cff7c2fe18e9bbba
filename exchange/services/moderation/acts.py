"""The coordinators' acts on listings, members and feedback: hide, restore, approve, ask for an
edit, suspend, reinstate; hide or restore the words of a feedback (never its recommendation).

Each act checks who may act first (see `rights`), changes only moderation fields (never a
listing's content; approving a listing that expired while it waited gives it its days back),
records itself in the log with its reason, tells the member affected, answers the open
reports on the item, and commits once.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from exchange.services.community import accounts
from exchange.services.errors import Conflict, Forbidden, NotFound
from exchange.services.listings import publishing
from exchange.services.moderation import audit, reports, rights
from exchange.services.notify import notifications
from models import Feedback, Listing, User, db
from models.base import utcnow


def _listing(actor_id: int, listing_id: int) -> tuple[User, Listing]:
    actor_ = rights.actor(actor_id)
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        raise NotFound()
    if not rights.can_act_on_listing(actor_, listing):
        raise Forbidden()
    return actor_, listing


def _done_on_listing(
    actor_: User, action: str, listing: Listing, why: str, *, resolve: bool = False, **data
) -> None:
    """Log the act, tell the author (with `data`), answer the reports if it settles them."""
    answered = reports.resolve(actor_, action, listing_id=listing.id) if resolve else []
    audit.record(
        actor_.id,
        action,
        reason=why,
        space_id=listing.space_id,
        subject_user_id=listing.author_id,
        target_type="listing",
        target_id=listing.id,
        title=listing.title,
        reports=answered,
    )
    notifications.notify(
        listing.author,
        action,
        link=notifications.path("listings.show", listing_id=listing.id),
        title=listing.title,
        **data,
    )
    db.session.commit()


def hide_listing(actor_id: int, listing_id: int, reason: str) -> Listing:
    """Take a listing out of sight, saying why; its content stays as it is, restorable."""
    actor_, listing = _listing(actor_id, listing_id)
    reason = rights.required(
        reason, _l("Dites pourquoi : l'auteur·rice de l'annonce recevra ce message.")
    )
    if listing.moderation == "hidden":
        raise Conflict(_l("Cette annonce est déjà masquée."))
    listing.moderation = "hidden"
    listing.moderation_reason = reason
    _done_on_listing(actor_, "listing_hidden", listing, reason, reason=reason, resolve=True)
    return listing


def restore_listing(actor_id: int, listing_id: int, reason: str = "") -> Listing:
    """Bring a hidden listing back."""
    actor_, listing = _listing(actor_id, listing_id)
    if listing.moderation != "hidden":
        raise Conflict(_l("Cette annonce n'est pas masquée."))
    reason = (reason or "").strip()[: rights.MAX_REASON]
    listing.moderation = "approved"
    listing.moderation_reason = ""
    _done_on_listing(actor_, "listing_restored", listing, reason, reason=reason)
    return listing


def approve_listing(actor_id: int, listing_id: int, reason: str = "") -> Listing:
    """Publish a listing that waited for approval (pre-moderation)."""
    actor_, listing = _listing(actor_id, listing_id)
    if listing.moderation != "pending":
        raise Conflict(_l("Cette annonce n'attend pas de relecture."))
    reason = (reason or "").strip()[: rights.MAX_REASON]
    listing.moderation = "approved"
    if listing.is_expired():  # it ran out while it waited, unable to be extended: published anew
        listing.expires_at = publishing.fresh_expiry()
    _done_on_listing(actor_, "listing_approved", listing, reason, reason=reason)
    return listing


def request_edit(actor_id: int, listing_id: int, message: str) -> Listing:
    """Ask the author to change their listing; it stays as it is until they edit it."""
    actor_, listing = _listing(actor_id, listing_id)
    message = rights.required(
        message, _l("Écrivez ce qu'il faudrait modifier : l'auteur·rice le recevra.")
    )
    listing.edit_requested = message
    _done_on_listing(actor_, "edit_requested", listing, message, message=message, resolve=True)
    return listing


def _member(actor_id: int, member_id: int) -> tuple[User, User]:
    actor_ = rights.actor(actor_id)
    member = db.session.get(User, member_id)
    if member is None:
        raise NotFound()
    if not rights.can_act_on_member(actor_, member):
        raise Forbidden()
    return actor_, member


def _done_on_member(actor_: User, action: str, member: User, reason: str, answered=()) -> None:
    audit.record(
        actor_.id,
        action,
        reason=reason,
        space_id=rights.member_space(actor_, member),
        subject_user_id=member.id,
        target_type="member",
        target_id=member.id,
        name=member.display_name,
        reports=list(answered),
    )
    link = "" if action == "member_suspended" else "/moderation/me-concernant"
    notifications.notify(member, action, link=link, reason=reason)
    db.session.commit()


def suspend_member(actor_id: int, member_id: int, reason: str) -> User:
    """Suspend a member: no more log-in, every session ends, their listings leave the search."""
    actor_, member = _member(actor_id, member_id)
    reason = rights.required(reason, _l("Dites pourquoi : la personne recevra ce message."))
    if member.is_suspended:
        raise Conflict(_l("Ce compte est déjà suspendu."))
    member.suspended_at = utcnow()
    member.suspension_reason = reason
    accounts.end_all_sessions(member.id)
    answered = reports.resolve(actor_, "member_suspended", member_id=member.id)
    _done_on_member(actor_, "member_suspended", member, reason, answered)
    return member


def reinstate_member(actor_id: int, member_id: int, reason: str) -> User:
    """Lift a suspension, saying why; the member can log in again and their listings return."""
    actor_, member = _member(actor_id, member_id)
    reason = rights.required(reason, _l("Dites pourquoi : la personne recevra ce message."))
    if not member.is_suspended:
        raise Conflict(_l("Ce compte n'est pas suspendu."))
    member.suspended_at = None
    member.suspension_reason = ""
    _done_on_member(actor_, "member_reinstated", member, reason)
    return member


FEEDBACK_PARTS = ("comment", "reply")


def _feedback(actor_id: int, feedback_id: int, part: str) -> tuple[User, Feedback]:
    actor_ = rights.actor(actor_id)
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None or not feedback.is_visible():
        raise NotFound()
    if not rights.can_act_on_feedback(actor_, feedback):
        raise Forbidden()
    if part not in FEEDBACK_PARTS or (part == "reply" and feedback.replied_at is None):
        raise NotFound()
    return actor_, feedback


def _done_on_feedback(
    actor_: User, action: str, feedback: Feedback, part: str, reason: str, answered=()
) -> None:
    """Log the act and tell whoever wrote the words (the author, or the one who replied)."""
    writer = feedback.author if part == "comment" else feedback.subject
    audit.record(
        actor_.id,
        action,
        reason=reason,
        space_id=rights.feedback_space(actor_, feedback),
        subject_user_id=writer.id,
        target_type="feedback",
        target_id=feedback.id,
        part=part,
        item=reports.feedback_item(feedback),
        about_id=feedback.subject_id,
        reports=list(answered),
    )
    notifications.notify(
        writer,
        action,
        link=notifications.path("feedback.about", user_id=feedback.subject_id)
        + f"#retour-{feedback.id}",
        part=part,
        # whom the words were about: the reviewed member, or for a reply the one it answers
        member=(feedback.subject if part == "comment" else feedback.author).display_name,
        reason=reason,
    )
    db.session.commit()


def hide_feedback(actor_id: int, feedback_id: int, reason: str, part: str = "comment") -> Feedback:
    """Hide a feedback's comment (or its reply), saying why. The recommendation stays, and
    still counts: only the words can be out of sight."""
    actor_, feedback = _feedback(actor_id, feedback_id, part)
    reason = rights.required(reason, _l("Dites pourquoi : la personne qui l'a écrit le recevra."))
    if feedback.is_hidden(part):
        raise Conflict(_l("Ce texte est déjà masqué."))
    feedback.set_hidden(part, utcnow(), reason)
    answered = reports.resolve(actor_, "feedback_hidden", feedback_id=feedback.id)
    _done_on_feedback(actor_, "feedback_hidden", feedback, part, reason, answered)
    return feedback


def restore_feedback(
    actor_id: int, feedback_id: int, reason: str = "", part: str = "comment"
) -> Feedback:
    """Show a hidden comment (or reply) again."""
    actor_, feedback = _feedback(actor_id, feedback_id, part)
    if not feedback.is_hidden(part):
        raise Conflict(_l("Ce texte n'est pas masqué."))
    reason = (reason or "").strip()[: rights.MAX_REASON]
    feedback.set_hidden(part, None)
    _done_on_feedback(actor_, "feedback_restored", feedback, part, reason)
    return feedback
