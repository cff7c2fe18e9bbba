"""The coordinators' queue of open reports: those on the listings of their spaces, on their
members, on the feedback about them and on the messages written to them (all, for admins),
never those about the coordinator."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, selectinload

from exchange.services.moderation import rights
from exchange.services.paging import Window, listed
from models import Feedback, Listing, Message, Report, User


def open_reports(user: User, window: Window | None = None):
    """Open reports on the listings of my spaces, on the members of my spaces, on the feedback
    about them and on the messages written to them (all, for admins), never those about me."""
    own_listings = select(Listing.id).where(Listing.author_id == user.id)
    my_feedback = select(Feedback.id).where(
        or_(Feedback.author_id == user.id, Feedback.subject_id == user.id)
    )
    my_messages = select(Message.id).where(Message.author_id == user.id)
    query = (
        select(Report)
        .where(
            Report.status == "open",
            or_(Report.member_id.is_(None), Report.member_id != user.id),
            or_(Report.listing_id.is_(None), Report.listing_id.not_in(own_listings)),
            or_(Report.feedback_id.is_(None), Report.feedback_id.not_in(my_feedback)),
            or_(Report.message_id.is_(None), Report.message_id.not_in(my_messages)),
        )
        .order_by(Report.created_at, Report.id)
        .options(
            selectinload(Report.reporter),
            selectinload(Report.member),
            selectinload(Report.listing).selectinload(Listing.space),
            selectinload(Report.listing).selectinload(Listing.author),
            selectinload(Report.feedback).selectinload(Feedback.author),
            selectinload(Report.feedback).selectinload(Feedback.subject),
            selectinload(Report.message).selectinload(Message.author),
        )
    )
    spaces = rights.scope(user)
    if spaces is not None:
        # Read through each open report's own listing and feedback (a few hundred reports),
        # never by listing every listing and feedback of the spaces (23,000 feedback rows
        # hashed for each page at a network's size: 35 ms a statement instead of 1).
        members_here = rights.members_of(spaces)
        listing, item = aliased(Listing), aliased(Feedback)
        query = (
            query.outerjoin(listing, listing.id == Report.listing_id)
            .outerjoin(item, item.id == Report.feedback_id)
            .where(
                or_(
                    listing.space_id.in_(spaces or [-1]),
                    Report.member_id.in_(members_here),
                    item.subject_id.in_(members_here),
                    item.author_id.in_(members_here),
                    (Report.message_id.is_not(None)) & Report.reporter_id.in_(members_here),
                )
            )
        )
    found = listed(query, window)
    shown = found.items if window is not None else found
    # Who may act, for each: the spaces of the members reported, and of those who reported a
    # message.
    rights.preload_active_spaces(r.member_id or (r.message_id and r.reporter_id) for r in shown)
    return found
