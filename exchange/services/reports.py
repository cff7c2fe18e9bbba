"""Reports: a member flags a listing or a profile; coordinators answer, and the reporter is told.

One open report per member per item: checked here first, and held by the database's partial
unique indexes when two requests race.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from exchange.services import audit, listings, members, moderation, notifications
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.spaces import coordinators
from models import Listing, Report, User, db
from models.base import utcnow
from models.listings import REPORT_REASONS

MAX_TEXT = 2000


def reportable_listing(reporter, listing_id: int) -> Listing:
    """A listing this member may report: one they can see, and not their own."""
    listing = listings.get_for(reporter, listing_id)
    if listing.author_id == reporter.id:
        raise Forbidden(_l("Vous ne pouvez pas signaler votre propre annonce."))
    return listing


def reportable_member(reporter, member_id: int) -> User:
    """A profile this member may report: anybody's but their own."""
    member = members.get_member(member_id)
    if member.id == reporter.id:
        raise Forbidden(_l("Vous ne pouvez pas signaler votre propre profil."))
    return member


def open_report_of(
    reporter_id: int, *, listing_id: int | None = None, member_id: int | None = None
) -> Report | None:
    """The member's report still open on this item, if any."""
    query = select(Report).where(Report.reporter_id == reporter_id, Report.status == "open")
    if listing_id is not None:
        query = query.where(Report.listing_id == listing_id)
    else:
        query = query.where(Report.member_id == member_id)
    return db.session.scalar(query)


def _clean(reason: str, text: str) -> tuple[str, str]:
    if reason not in REPORT_REASONS:
        raise InvalidInput(_l("Choisissez une raison dans la liste."), field="reason")
    text = (text or "").strip()[:MAX_TEXT]
    if reason == "other" and not text:
        raise InvalidInput(_l("Dites en quelques mots ce qui ne va pas."), field="text")
    return reason, text


def _already(listing: Listing | None):
    if listing is not None:
        return Conflict(_l("Vous avez déjà signalé cette annonce : la coordination l'examine."))
    return Conflict(_l("Vous avez déjà signalé ce profil : la coordination l'examine."))


def _reporter(reporter_id: int) -> User:
    reporter = db.session.get(User, reporter_id)
    if reporter is None or reporter.is_suspended:
        raise Forbidden()
    return reporter


def report_listing(reporter_id: int, listing_id: int, reason: str, text: str = "") -> Report:
    """Flag a listing for the coordinators of its space."""
    reporter = _reporter(reporter_id)
    listing = reportable_listing(reporter, listing_id)
    return _file(reporter, reason, text, listing=listing)


def report_member(reporter_id: int, member_id: int, reason: str, text: str = "") -> Report:
    """Flag a profile for the coordinators of every space where the member is active."""
    reporter = _reporter(reporter_id)
    member = reportable_member(reporter, member_id)
    return _file(reporter, reason, text, member=member)


def _file(
    reporter: User, reason: str, text: str, *, listing: Listing | None = None, member=None
) -> Report:
    reason, text = _clean(reason, text)
    listing_id = listing.id if listing else None
    member_id = member.id if member else None
    if open_report_of(reporter.id, listing_id=listing_id, member_id=member_id):
        raise _already(listing)
    report = Report(
        reporter_id=reporter.id,
        listing_id=listing_id,
        member_id=member_id,
        reason=reason,
        text=text,
    )
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # the same report, sent twice at once: the index kept one
        db.session.rollback()
        raise _already(listing) from None
    item = listing.title if listing else member.display_name
    link = (
        notifications.path("listings.show", listing_id=listing.id)
        if listing
        else notifications.path("members.profile", user_id=member.id)
    )
    notifications.notify(reporter, "report_received", link=link, email=False, item=item)
    for coordinator in _coordinators_for(listing, member, reporter):
        notifications.notify(
            coordinator, "report_filed", link="/moderation", email=False, item=item
        )
    db.session.commit()
    return report


def _coordinators_for(listing: Listing | None, member: User | None, reporter: User) -> list[User]:
    """Who is told of a new report: its coordinators, never the member it is about (nor the
    reporter, who knows)."""
    space_ids = [listing.space_id] if listing else moderation.active_space_ids(member.id)
    subject_id = listing.author_id if listing else member.id
    found: dict[int, User] = {}
    for space_id in space_ids:
        for user in coordinators(space_id):
            if user.id not in (subject_id, reporter.id):
                found[user.id] = user
    return list(found.values())


def tell_reporter(report: Report, outcome: str, note: str = "") -> None:
    """Tell the reporter what was done about their report."""
    item = report.listing.title if report.listing_id else report.member.display_name
    notifications.notify(report.reporter, "report_handled", item=item, outcome=outcome, note=note)


def resolve(
    actor: User, outcome: str, *, listing_id: int | None = None, member_id: int | None = None
) -> list[int]:
    """Acting on an item answers every open report on it: 'actioned', reporters told."""
    item = Report.listing_id == listing_id if listing_id else Report.member_id == member_id
    reports = db.session.scalars(
        select(Report).where(Report.status == "open", item).order_by(Report.id)
    ).all()
    for report in reports:
        report.status = "actioned"
        report.handled_by_id = actor.id
        report.handled_at = utcnow()
        report.outcome = outcome
        tell_reporter(report, outcome)
    return [r.id for r in reports]


def dismiss(actor_id: int, report_id: int, note: str = "") -> Report:
    """Close a report without acting on its item; the reporter is told (with the note)."""
    actor = moderation.actor(actor_id)
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound()
    if not moderation.can_act_on_report(actor, report):
        raise Forbidden()
    if report.status != "open":
        raise Conflict(_l("Ce signalement a déjà été traité."))
    note = (note or "").strip()[: moderation.MAX_REASON]
    report.status = "dismissed"
    report.handled_by_id = actor.id
    report.handled_at = utcnow()
    report.outcome = "dismissed"
    if report.listing_id is not None:
        space_id, item = report.listing.space_id, report.listing.title
    else:
        space_id, item = moderation.member_space(actor, report.member), report.member.display_name
    audit.record(
        actor.id,
        "report_dismissed",
        reason=note,
        space_id=space_id,
        subject_user_id=report.reporter_id,
        target_type="report",
        target_id=report.id,
        item=item,
    )
    tell_reporter(report, "dismissed", note)
    db.session.commit()
    return report


def open_reports(user: User) -> list[Report]:
    """Open reports on the listings of my spaces and on the members of my spaces (all, for
    admins), never those about me."""
    own_listings = select(Listing.id).where(Listing.author_id == user.id)
    query = (
        select(Report)
        .where(
            Report.status == "open",
            or_(Report.member_id.is_(None), Report.member_id != user.id),
            or_(Report.listing_id.is_(None), Report.listing_id.not_in(own_listings)),
        )
        .order_by(Report.created_at, Report.id)
        .options(
            selectinload(Report.reporter),
            selectinload(Report.member),
            selectinload(Report.listing).selectinload(Listing.space),
            selectinload(Report.listing).selectinload(Listing.author),
        )
    )
    spaces = moderation.scope(user)
    if spaces is not None:
        in_my_spaces = select(Listing.id).where(Listing.space_id.in_(spaces or [-1]))
        query = query.where(
            or_(
                Report.listing_id.in_(in_my_spaces),
                Report.member_id.in_(moderation.members_of(spaces)),
            )
        )
    return list(db.session.scalars(query))
