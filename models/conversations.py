"""Conversations between members: who takes part, their messages, and who blocked whom.

A conversation is private to its participants: two members (from a listing, a profile or an
exchange), or a coordinator of a space writing as its coordination to one or both parties of a
dispute or a report. Each participant's row keeps what the list of conversations shows (the
last activity, the unread count) so that list is read in its own index, whatever the number
of messages.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, utcnow
from models.exchanges import Exchange
from models.listings import Listing
from models.spaces import Space
from models.users import User

CONVERSATION_KINDS = ("members", "coordination")


class Conversation(Model):
    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint("kind IN ('members', 'coordination')", name="kind"),
        CheckConstraint("(kind = 'coordination') = (space_id IS NOT NULL)", name="coordination"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default="members", server_default="members")
    # What it is about: a listing it was asked from, the exchange whose thread it is (one per
    # exchange), the space whose coordination writes.
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("listings.id", ondelete="SET NULL"), index=True
    )
    exchange_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchanges.id", ondelete="SET NULL"), unique=True
    )
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="SET NULL"))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    listing: Mapped[Listing | None] = relationship()
    exchange: Mapped[Exchange | None] = relationship()
    space: Mapped[Space | None] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="conversation", order_by="Participant.user_id"
    )

    @property
    def from_coordination(self) -> bool:
        return self.kind == "coordination"


class Participant(Model):
    """One member in one conversation, with what their list of conversations shows."""

    __tablename__ = "conversation_participants"
    __table_args__ = (
        # My conversations, newest activity first: read in this index, a page at a time.
        Index(
            "ix_conversation_participants_recent", "user_id", "last_message_at", "conversation_id"
        ),
    )

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Messages from others since I last read it.
    unread: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The in-app notification that waits until I read it (one per conversation), and when the
    # last email about it left (one an hour at most).
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class Message(Model):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Written by a coordinator as the coordination of the conversation's space.
    as_coordination: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Hidden by a coordinator after a report (the text stays for the record, shown to nobody),
    # or erased with its author's account (the text is gone).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    conversation: Mapped[Conversation] = relationship()
    author: Mapped[User | None] = relationship()


class Block(Model):
    """A member no longer receives anything from another: messages, proposals."""

    __tablename__ = "blocks"

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
