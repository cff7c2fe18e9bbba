"""The outbox: every email the app sends, written in the transaction of the action it tells.

A rolled-back action leaves no row, so it mails nobody; a committed one leaves a row that a
worker delivers, retries and, past the last retry, leaves `failed` for an admin to see.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, UTCDateTime, utcnow

EMAIL_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxEmail(Model):
    __tablename__ = "outbox_emails"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status"),
        # What the worker asks: the pending rows that are due, oldest first.
        Index("ix_outbox_emails_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    # Emptied once sent: the links it carried (a password reset) do not stay in the database.
    body: Mapped[str] = mapped_column(Text, default="")
    template: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # Stable across retries, so a receiving server can tell a resent message from a new one.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    # The one-click unsubscribe link of a notification's email (RFC 8058), "" for the others
    # (a password reset, an address to confirm: nobody unsubscribes from those).
    unsubscribe: Mapped[str] = mapped_column(String(500), default="", server_default="")
    status: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
