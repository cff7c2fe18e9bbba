"""What coordinators do about conversations: write as the coordination of their space to the
parties of a dispute or a report, see a reported message in its context, hide it.

A coordinator reads no conversation. Writing makes a conversation of the coordination with
each member written to (one each: a reporter is never put beside the member they reported);
the moderation log records that it was sent, never what it said.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from exchange.services.conversations import threads
from exchange.services.errors import Conflict, InvalidInput, NotFound
from exchange.services.exchanges import queries as exchange_queries
from exchange.services.exchanges import stewards
from exchange.services.moderation import audit, reports, rights
from exchange.services.notify import notifications
from models import Conversation, Exchange, Message, Participant, Report, User, db
from models.base import utcnow


def exchange_parties(actor: User, exchange_id: int) -> tuple[Exchange, list[User]]:
    """A dispute the coordinator may settle, and the two members it is between."""
    exchange = exchange_queries.get_for(actor, exchange_id)
    if not stewards.can_resolve(actor, exchange) or not exchange.dispute_reason:
        raise NotFound()
    return exchange, [p for p in (exchange.provider, exchange.receiver) if p.erased_at is None]


def report_parties(actor: User, report_id: int) -> tuple[Report, list[User]]:
    """A report the coordinator may answer, and whom it concerns: the reporter, and the
    member whose listing, profile, feedback or message it is about."""
    report = db.session.get(Report, report_id)
    # Never a report one filed oneself: it would be a way round a member's block.
    if report is None or report.reporter_id == actor.id:
        raise NotFound()
    if not rights.can_act_on_report(actor, report):
        raise NotFound()
    if report.listing is not None:
        concerned = report.listing.author
    elif report.feedback is not None:
        concerned = report.feedback.author
    elif report.message is not None:
        concerned = report.message.author
    else:
        concerned = report.member
    people = [report.reporter] + ([concerned] if concerned is not None else [])
    return report, [p for p in people if p.id != actor.id and p.erased_at is None]


def write(
    actor_id: int,
    recipient_ids: list[int],
    body: str,
    *,
    exchange_id: int | None = None,
    report_id: int | None = None,
) -> list[Conversation]:
    """The coordination writes to one or both parties of a dispute or a report."""
    actor = rights.actor(actor_id)
    if exchange_id is not None:
        exchange, parties = exchange_parties(actor, exchange_id)
        space_id = stewards.log_space(actor, exchange)
        about = {"exchange": exchange.id}
    elif report_id is not None:
        report, parties = report_parties(actor, report_id)
        space_id = reports.report_space(actor, report)
        about = {"report": report.id}
    else:
        raise NotFound()
    chosen = [p for p in parties if p.id in set(recipient_ids)]
    if not chosen:
        raise InvalidInput(_l("Choisissez à qui écrire."), field="to")
    if space_id is None:
        raise Conflict(_l("Aucun lieu commun : écrivez depuis la coordination d'un lieu."))
    body = threads.clean_body(body)
    written = []
    for member in chosen:
        conversation = _with(actor, member, space_id)
        threads.post(conversation, actor, body, as_coordination=True)
        threads.log_coordination_message(actor, conversation, [member], **about)
        written.append(conversation)
    db.session.commit()
    return written


def _with(actor: User, member: User, space_id: int) -> Conversation:
    """The conversation of this space's coordination, by this coordinator, with the member."""
    mine, theirs = aliased(Participant), aliased(Participant)
    found = db.session.scalar(
        select(Conversation)
        .join(mine, (mine.conversation_id == Conversation.id) & (mine.user_id == actor.id))
        .join(theirs, (theirs.conversation_id == Conversation.id) & (theirs.user_id == member.id))
        .where(Conversation.kind == "coordination", Conversation.space_id == space_id)
        .options(selectinload(Conversation.participants))
        .limit(1)
    )
    if found is not None:
        return found
    return threads.open_conversation(
        [actor, member], started_by=actor, kind="coordination", space_id=space_id
    )


def context_of(message_ids) -> dict[int, list[Message]]:
    """For each reported message, what a coordinator sees: the message before it in its
    conversation, then the message itself (one statement for the whole queue)."""
    ids = [i for i in message_ids if i]
    if not ids:
        return {}
    reported = aliased(Message)
    previous = (
        select(func.max(Message.id))
        .where(Message.conversation_id == reported.conversation_id, Message.id < reported.id)
        .correlate(reported)
        .scalar_subquery()
    )
    wanted = select(previous).where(reported.id.in_(ids))
    rows = db.session.scalars(
        select(Message)
        .where(Message.id.in_(ids) | Message.id.in_(wanted))
        .options(selectinload(Message.author))
        .order_by(Message.id)
    ).all()
    by_id = {m.id: m for m in rows}
    context: dict[int, list[Message]] = {}
    for message_id in ids:
        message = by_id.get(message_id)
        if message is None:
            continue
        before = [
            m for m in rows if m.conversation_id == message.conversation_id and m.id < message_id
        ]
        context[message_id] = [*before[-1:], message]
    return context


def hide_message(actor_id: int, message_id: int, reason: str) -> Message:
    """Hide a reported message from its readers; its reports are answered, its author told."""
    actor = rights.actor(actor_id)
    message = db.session.get(Message, message_id)
    report = db.session.scalar(  # the open one, if any (who may act is the same for all)
        select(Report)
        .where(Report.message_id == message_id)
        .order_by((Report.status == "open").desc(), Report.id)
        .limit(1)
    )
    if message is None or report is None or not rights.can_act_on_report(actor, report):
        raise NotFound()
    if message.hidden_at is not None:
        raise Conflict(_l("Ce message est déjà masqué."))
    reason = rights.required(reason, _l("Dites pourquoi ce message est masqué."))
    message.hidden_at = utcnow()
    audit.record(
        actor.id,
        "message_hidden",
        reason=reason,
        space_id=reports.report_space(actor, report),
        subject_user_id=message.author_id,
        target_type="message",
        target_id=message.id,
    )
    reports.resolve(actor, "message_hidden", message_id=message.id)
    if message.author is not None:
        notifications.notify(message.author, "message_hidden", reason=reason)
    db.session.commit()
    return message
