"""Feedback: what one party of a confirmed exchange says about the other.

Double-blind: a feedback is visible from `visible_from` on, which is when the other party
writes theirs, or the end of the writing window (14 days after confirmation), whichever comes
first. Until then only its author sees it and may edit it; from then on nobody can.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, db, utcnow
from models.exchanges import Exchange
from models.users import Skill, User

RECOMMENDATIONS = ("recommends", "neutral", "not_recommended")
# Both parties may write, and edit, during this time after the exchange is confirmed.
WINDOW = timedelta(days=14)

feedback_skills = Table(
    "feedback_skills",
    db.metadata,
    Column("feedback_id", ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Feedback(Model):
    __tablename__ = "feedback"
    __table_args__ = (
        # Once per party and exchange: a database rule, so two clicks at once make one row.
        UniqueConstraint("exchange_id", "author_id"),
        CheckConstraint("author_id <> subject_id", name="not_about_oneself"),
        CheckConstraint(
            "recommendation IN ('recommends', 'neutral', 'not_recommended')",
            name="recommendation",
        ),
        Index("ix_feedback_subject_visible", "subject_id", "visible_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchanges.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recommendation: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    visible_from: Mapped[datetime] = mapped_column(UTCDateTime())
    # When both parties were told it appeared (at once when the second writes, else by the
    # daily `flask feedback publish` once the window has closed).
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # The reviewed member's one public reply.
    reply: Mapped[str] = mapped_column(Text, default="", server_default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A coordinator may hide the words (the comment, the reply), never the recommendation.
    comment_hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment_hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    reply_hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reply_hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    exchange: Mapped[Exchange] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    subject: Mapped[User] = relationship(foreign_keys=[subject_id])
    skills: Mapped[list[Skill]] = relationship(
        secondary=feedback_skills, order_by=Skill.name, lazy="selectin"
    )

    def is_visible(self, now: datetime | None = None) -> bool:
        return self.visible_from <= (now or utcnow())

    def is_hidden(self, part: str) -> bool:
        return (self.comment_hidden_at if part == "comment" else self.reply_hidden_at) is not None

    def set_hidden(self, part: str, at: datetime | None, reason: str = "") -> None:
        """Hide the comment or the reply (`at` the moment), or show it again (`at` None)."""
        setattr(self, f"{part}_hidden_at", at)
        setattr(self, f"{part}_hidden_reason", reason if at else "")

    def __repr__(self) -> str:
        return f"<Feedback {self.id} {self.author_id}→{self.subject_id} {self.recommendation}>"
