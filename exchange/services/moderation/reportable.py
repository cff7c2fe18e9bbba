"""What a member may report: what they can see, and not their own (a listing, a profile, a
feedback, a message written to them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from exchange.services.community import members
from exchange.services.errors import Forbidden, NotFound
from exchange.services.listings import queries as listing_queries
from exchange.services.reputation import feedback
from models import Feedback, Listing, Message, Participant, User, db


def reportable_listing(reporter, listing_id: int) -> Listing:
    """A listing this member may report: one they can see, and not their own."""
    listing = listing_queries.get_for(reporter, listing_id)
    if listing.author_id == reporter.id:
        raise Forbidden(_l("Vous ne pouvez pas signaler votre propre annonce."))
    return listing


def reportable_member(reporter, member_id: int) -> User:
    """A profile this member may report: anybody's but their own."""
    member = members.get_member(member_id)
    if member.id == reporter.id:
        raise Forbidden(_l("Vous ne pouvez pas signaler votre propre profil."))
    return member


def reportable_feedback(reporter, feedback_id: int) -> Feedback:
    """A feedback this member may report: one that has appeared, and not their own (unless
    it has a reply: its author may report the words that answer them)."""
    item = feedback.get_visible(feedback_id)
    if item.author_id == reporter.id and item.replied_at is None:
        raise Forbidden(_l("Vous ne pouvez pas signaler votre propre retour."))
    return item


def reportable_message(reporter, message_id: int) -> Message:
    """A message this member may report: one written to them in a conversation they take
    part in (not their own, not one already gone)."""
    message = db.session.get(Message, message_id)
    if message is None or message.erased_at is not None or message.hidden_at is not None:
        raise NotFound()
    takes_part = db.session.get(Participant, (message.conversation_id, reporter.id))
    if takes_part is None:
        raise NotFound()
    if message.author_id == reporter.id:
        raise Forbidden(_l("Vous ne pouvez pas signaler votre propre message."))
    return message
