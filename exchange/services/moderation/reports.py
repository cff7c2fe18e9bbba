"""Reports: a member flags a listing, a profile, a feedback or a message; coordinators answer,
and the reporter is told (the queue they answer from is in `report_queue`).

One open report per member per item: checked here first, and held by the database's partial
unique indexes when two requests race.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from exchange.services.community.spaces import coordinators
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.moderation import audit, reportable, rights
from exchange.services.notify import notifications
from models import Feedback, Listing, Message, Report, User, db
from models.base import utcnow
from models.listings import REPORT_REASONS

MAX_TEXT = 2000


def message_item(message: Message) -> str:
    """How a message is named in reports and in the log: whose."""
    author = message.author.display_name if message.author is not None else "?"
    return _("Message de %(name)s", name=author)


def feedback_item(item: Feedback) -> str:
    """How a feedback is named in reports and in the log: who about whom."""
    return f"{item.author.display_name} → {item.subject.display_name}"


def open_report_of(
    reporter_id: int,
    *,
    listing_id: int | None = None,
    member_id: int | None = None,
    feedback_id: int | None = None,
    message_id: int | None = None,
) -> Report | None:
    """The member's report still open on this item, if any."""
    query = select(Report).where(Report.reporter_id == reporter_id, Report.status == "open")
    if listing_id is not None:
        query = query.where(Report.listing_id == listing_id)
    elif message_id is not None:
        query = query.where(Report.message_id == message_id)
    elif feedback_id is not None:
        query = query.where(Report.feedback_id == feedback_id)
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


def _already(listing: Listing | None, item: Feedback | None = None, message=None):
    if message is not None:
        return Conflict(_l("Vous avez déjà signalé ce message : la coordination l'examine."))
    if listing is not None:
        return Conflict(_l("Vous avez déjà signalé cette annonce : la coordination l'examine."))
    if item is not None:
        return Conflict(_l("Vous avez déjà signalé ce retour : la coordination l'examine."))
    return Conflict(_l("Vous avez déjà signalé ce profil : la coordination l'examine."))


def _reporter(reporter_id: int) -> User:
    reporter = db.session.get(User, reporter_id)
    if reporter is None or reporter.is_suspended:
        raise Forbidden()
    return reporter


def report_listing(reporter_id: int, listing_id: int, reason: str, text: str = "") -> Report:
    """Flag a listing for the coordinators of its space."""
    reporter = _reporter(reporter_id)
    listing = reportable.reportable_listing(reporter, listing_id)
    return _file(reporter, reason, text, listing=listing)


def report_member(reporter_id: int, member_id: int, reason: str, text: str = "") -> Report:
    """Flag a profile for the coordinators of every space where the member is active."""
    reporter = _reporter(reporter_id)
    member = reportable.reportable_member(reporter, member_id)
    return _file(reporter, reason, text, member=member)


def report_feedback(reporter_id: int, feedback_id: int, reason: str, text: str = "") -> Report:
    """Flag a feedback (its comment, its reply) for the coordinators of the member it is about."""
    reporter = _reporter(reporter_id)
    item = reportable.reportable_feedback(reporter, feedback_id)
    return _file(reporter, reason, text, item=item)


def report_message(reporter_id: int, message_id: int, reason: str, text: str = "") -> Report:
    """Flag a message written to me for the coordinators of my spaces, who then see that
    message (and the one before it), never the rest of the conversation."""
    reporter = _reporter(reporter_id)
    message = reportable.reportable_message(reporter, message_id)
    return _file(reporter, reason, text, message=message)


def _file(
    reporter: User,
    reason: str,
    text: str,
    *,
    listing: Listing | None = None,
    member=None,
    item: Feedback | None = None,
    message: Message | None = None,
) -> Report:
    reason, text = _clean(reason, text)
    ids = {
        "listing_id": listing.id if listing else None,
        "member_id": member.id if member else None,
        "feedback_id": item.id if item else None,
        "message_id": message.id if message else None,
    }
    if open_report_of(reporter.id, **ids):
        raise _already(listing, item, message)
    report = Report(reporter_id=reporter.id, reason=reason, text=text, **ids)
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # the same report, sent twice at once: the index kept one
        db.session.rollback()
        raise _already(listing, item, message) from None
    if message:
        name = message_item(message)
        link = notifications.path("conversations.show", conversation_id=message.conversation_id)
    elif listing:
        name, link = listing.title, notifications.path("listings.show", listing_id=listing.id)
    elif item:
        name = feedback_item(item)
        link = notifications.path("members.profile", user_id=item.subject_id)
    else:
        name, link = member.display_name, notifications.path("members.profile", user_id=member.id)
    notifications.notify(reporter, "report_received", link=link, email=False, item=name)
    for coordinator in _coordinators_for(listing, member or item or message, reporter):
        notifications.notify(
            coordinator, "report_filed", link="/moderation", email=False, item=name
        )
    db.session.commit()
    return report


def _coordinators_for(listing: Listing | None, about, reporter: User) -> list[User]:
    """Who is told of a new report: its coordinators, never the members it is about (nor the
    reporter, who knows). `about` is the member, the feedback or the message reported."""
    if listing:
        space_ids, concerned = [listing.space_id], {listing.author_id}
    elif isinstance(about, Message):  # the spaces of the member it was written to
        space_ids, concerned = rights.active_space_ids(reporter.id), {about.author_id or 0}
    elif isinstance(about, Feedback):
        space_ids, concerned = (
            rights.feedback_space_ids(about),
            {
                about.author_id,
                about.subject_id,
            },
        )
    else:
        space_ids, concerned = rights.active_space_ids(about.id), {about.id}
    found: dict[int, User] = {}
    for space_id in space_ids:
        for user in coordinators(space_id):
            if user.id not in concerned | {reporter.id}:
                found[user.id] = user
    return list(found.values())


def item_name(report: Report) -> str:
    if report.message is not None:
        return message_item(report.message)
    if report.listing is not None:
        return report.listing.title
    if report.feedback is not None:
        return feedback_item(report.feedback)
    return report.member.display_name


def tell_reporter(report: Report, outcome: str, note: str = "") -> None:
    """Tell the reporter what was done about their report."""
    notifications.notify(
        report.reporter, "report_handled", item=item_name(report), outcome=outcome, note=note
    )


def resolve(
    actor: User,
    outcome: str,
    *,
    listing_id: int | None = None,
    member_id: int | None = None,
    feedback_id: int | None = None,
    message_id: int | None = None,
) -> list[int]:
    """Acting on an item answers every open report on it: 'actioned', reporters told."""
    if listing_id:
        item = Report.listing_id == listing_id
    elif message_id:
        item = Report.message_id == message_id
    elif feedback_id:
        item = Report.feedback_id == feedback_id
    else:
        item = Report.member_id == member_id
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


def report_space(actor: User, report: Report) -> int | None:
    """The space an act on a report is filed under in the log."""
    if report.listing is not None:
        return report.listing.space_id
    if report.feedback is not None:
        return rights.feedback_space(actor, report.feedback)
    if report.message is not None:
        return rights.member_space(actor, report.reporter)
    return rights.member_space(actor, report.member)


def dismiss(actor_id: int, report_id: int, note: str = "") -> Report:
    """Close a report without acting on its item; the reporter is told (with the note)."""
    actor = rights.actor(actor_id)
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound()
    if not rights.can_act_on_report(actor, report):
        raise Forbidden()
    if report.status != "open":
        raise Conflict(_l("Ce signalement a déjà été traité."))
    note = (note or "").strip()[: rights.MAX_REASON]
    report.status = "dismissed"
    report.handled_by_id = actor.id
    report.handled_at = utcnow()
    report.outcome = "dismissed"
    audit.record(
        actor.id,
        "report_dismissed",
        reason=note,
        space_id=report_space(actor, report),
        subject_user_id=report.reporter_id,
        target_type="report",
        target_id=report.id,
        item=item_name(report),
    )
    tell_reporter(report, "dismissed", note)
    db.session.commit()
    return report
