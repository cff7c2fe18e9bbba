"""How long messages are kept: for ever by default; an admin may set a number of days, after
which the periodic sweep deletes them (a message that was reported stays with its report)."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, or_, select, update

from exchange.services.errors import Forbidden, InvalidInput
from exchange.services.moderation import audit, rights
from exchange.services.notify import notifications
from models import (
    Conversation,
    Message,
    NetworkSettings,
    Notification,
    Participant,
    Report,
    db,
)
from models.base import utcnow

log = logging.getLogger("archipel.retention")

MAX_DAYS = 3650
SWEEP = "exchange.services.conversations.retention.sweep"


def days() -> int | None:
    """The days messages are kept, or None: kept."""
    row = db.session.get(NetworkSettings, 1)
    return row.message_retention_days if row is not None else None


def set_days(admin_id: int, kept: int | None, reason: str = "") -> None:
    """An admin sets how long messages are kept (None: for ever); logged."""
    admin = rights.actor(admin_id)
    if not admin.is_admin:
        raise Forbidden()
    if kept is not None and not 1 <= kept <= MAX_DAYS:
        raise InvalidInput(
            _l(
                "Entre 1 et %(max)s jours, ou laissez vide pour tout garder.",
                max=format_decimal(MAX_DAYS),
            ),
            field="days",
        )
    row = db.session.get(NetworkSettings, 1)
    if row is None:
        row = NetworkSettings(id=1)
        db.session.add(row)
    before = row.message_retention_days
    row.message_retention_days = kept
    row.updated_at, row.updated_by_id = utcnow(), admin.id
    audit.record(
        admin.id,
        "rules_updated",
        reason=(reason or "").strip()[: rights.MAX_REASON],
        target_type="network",
        message_retention_days={"before": before, "after": kept},
    )
    db.session.commit()


def sweep() -> int:
    """Delete the messages older than the retention (never one that was reported: the
    moderation record keeps it), then the conversations left empty and the notifications that
    announced them; what stays unread is counted again. Returns how many messages went."""
    kept = days()
    if kept is None:
        return 0
    before = utcnow() - timedelta(days=kept)
    reported = exists(select(Report.id).where(Report.message_id == Message.id))
    gone = db.session.execute(
        delete(Message)
        .where(Message.created_at < before, ~reported)
        .execution_options(synchronize_session=False)
    )
    count = getattr(gone, "rowcount", 0) or 0
    if not count:
        db.session.rollback()
        return 0
    left = exists(select(Message.id).where(Message.conversation_id == Conversation.id))
    empty = list(
        db.session.scalars(
            select(Conversation.id).where(Conversation.last_message_at < before, ~left)
        )
    )
    for ids in _batches(empty):
        links = [notifications.path("conversations.show", conversation_id=i) for i in ids]
        db.session.execute(
            delete(Notification)
            .where(Notification.kind == "message_received", Notification.link.in_(links))
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            delete(Conversation)
            .where(Conversation.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
    _count_unread_again()
    db.session.commit()
    log.info("retention: %s messages older than %s days deleted", count, kept)
    return count


def _batches(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _count_unread_again() -> None:
    """What is unread is what others wrote since I last read (some of it may be gone)."""
    still = (
        select(func.count(Message.id))
        .where(
            Message.conversation_id == Participant.conversation_id,
            Message.author_id != Participant.user_id,
            or_(Participant.read_at.is_(None), Message.created_at > Participant.read_at),
        )
        .correlate(Participant)
        .scalar_subquery()
    )
    db.session.execute(
        update(Participant)
        .where(Participant.unread > 0)
        .values(unread=still)
        .execution_options(synchronize_session=False)
    )
