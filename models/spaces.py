"""Spaces of the network (coworking spaces, tiers-lieux, CAE) and who belongs to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, utcnow

JOIN_POLICIES = ("open", "approval")
MEMBERSHIP_STATUSES = ("pending", "active", "declined", "left")
MEMBERSHIP_ROLES = ("member", "coordinator")


class Space(Model):
    """An island of the archipelago."""

    __tablename__ = "spaces"
    __table_args__ = (CheckConstraint("join_policy IN ('open', 'approval')", name="join_policy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    city: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    join_policy: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    # Pre-moderation: listings of this space wait for a coordinator's approval.
    premoderation: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="space", cascade="all, delete-orphan"
    )

    @property
    def needs_approval(self) -> bool:
        return self.join_policy == "approval"

    def __repr__(self) -> str:
        return f"<Space {self.id} {self.name}>"


class Membership(Model):
    """A member's place in a space: asked, granted, declined or left; member or coordinator."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "space_id"),
        CheckConstraint("status IN ('pending', 'active', 'declined', 'left')", name="status"),
        CheckConstraint("role IN ('member', 'coordinator')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    role: Mapped[str] = mapped_column(String(12), default="member", server_default="member")
    message: Mapped[str] = mapped_column(String(500), default="", server_default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")

    user = relationship("User", back_populates="memberships", foreign_keys=[user_id])
    space: Mapped[Space] = relationship(back_populates="memberships")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
