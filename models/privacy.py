"""A member's data export built in the background: offered once, by a link that expires."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, UTCDateTime, utcnow


class DataExport(Model):
    """`building` (a job is on it), `ready` (the file waits in the store until `expires_at`),
    `taken` (downloaded: the file is gone), `expired` (never taken: the file is gone too)."""

    __tablename__ = "data_exports"
    __table_args__ = (Index("ix_data_exports_state", "state", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="building")
    key: Mapped[str] = mapped_column(String(120), default="", server_default="")
    size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
