"""How long messages are kept: for ever by default; an admin may set a number of days, after
which the periodic sweep deletes them (a message still under an open report waits for it)."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, select

from exchange.services.errors import Forbidden, InvalidInput
from exchange.services.moderation import audit, rights
from models import Conversation, Message, NetworkSettings, Report, db
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
            _l("Entre 1 et %(max)s jours, ou laissez vide pour tout garder.", max=MAX_DAYS),
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
    """Delete the messages older than the retention, then the conversations left empty;
    returns how many messages went."""
    kept = days()
    if kept is None:
        return 0
    before = utcnow() - timedelta(days=kept)
    reported = exists(
        select(Report.id).where(Report.message_id == Message.id, Report.status == "open")
    )
    gone = db.session.execute(
        delete(Message)
        .where(Message.created_at < before, ~reported)
        .execution_options(synchronize_session=False)
    )
    left = exists(select(Message.id).where(Message.conversation_id == Conversation.id))
    db.session.execute(
        delete(Conversation)
        .where(Conversation.last_message_at < before, ~left)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    count = getattr(gone, "rowcount", 0) or 0
    if count:
        log.info("retention: %s messages older than %s days deleted", count, kept)
    return count
