"""Exchanges: time given by a provider to a receiver, from a listing or logged directly,
and the history of every step."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from models.base import Model, UTCDateTime, utcnow
from models.listings import Listing
from models.users import User

# proposed → accepted → done (time logged by one side) → confirmed by the other (credits move)
# or declined, cancelled, disputed → confirmed or cancelled by a coordinator; a log nobody
# confirms expires.
STATES = (
    "proposed",
    "accepted",
    "done",
    "confirmed",
    "declined",
    "cancelled",
    "disputed",
    "expired",
)
OPEN_STATES = ("proposed", "accepted", "done", "disputed")
EVENT_KINDS = (
    "proposed",
    "accepted",
    "declined",
    "cancelled",
    "logged",
    "confirmed",
    "disputed",
    "resolved",
    "expired",
)


class Exchange(Model):
    __tablename__ = "exchanges"
    __table_args__ = (
        CheckConstraint(
            "state IN ('proposed', 'accepted', 'done', 'confirmed', 'declined', 'cancelled',"
            " 'disputed', 'expired')",
            name="state",
        ),
        CheckConstraint("provider_id <> receiver_id", name="two_parties"),
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),
        CheckConstraint(
            "foreseen_minutes IS NULL OR foreseen_minutes > 0", name="foreseen_positive"
        ),
        # A member's exchanges in a state, by when they closed (the feedback still to write).
        Index("ix_exchanges_provider", "provider_id", "state", "closed_at"),
        Index("ix_exchanges_receiver", "receiver_id", "state", "closed_at"),
        # A member's history, newest first, one side at a time (exchange_queries.for_member).
        Index("ix_exchanges_provider_recent", "provider_id", "updated_at", "id"),
        Index("ix_exchanges_receiver_recent", "receiver_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("listings.id", ondelete="SET NULL"), index=True
    )
    provider_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    initiator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    state: Mapped[str] = mapped_column(String(12), default="proposed")
    title: Mapped[str] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(Text, default="", server_default="")
    foreseen_minutes: Mapped[int | None] = mapped_column(Integer)
    # The time actually given, once logged (and what a coordinator settled on, if resolved).
    minutes: Mapped[int | None] = mapped_column(Integer)
    performed_on: Mapped[date | None] = mapped_column(Date)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    logged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A log nobody confirms expires then, moving nothing.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    dispute_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    listing: Mapped[Listing | None] = relationship()
    provider: Mapped[User] = relationship(foreign_keys=[provider_id])
    receiver: Mapped[User] = relationship(foreign_keys=[receiver_id])
    initiator: Mapped[User] = relationship(foreign_keys=[initiator_id])
    logged_by: Mapped[User | None] = relationship(foreign_keys=[logged_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    events: Mapped[list[ExchangeEvent]] = relationship(
        back_populates="exchange", order_by="ExchangeEvent.id", cascade="all, delete-orphan"
    )

    def add_step(self, actor_id: int | None, kind: str, *, minutes=None, message="") -> None:
        """One more step in the history (who, what, with which words); the exchange moved."""
        self.updated_at = utcnow()
        # Through the event's side: the history already written is not loaded to add a step.
        step = ExchangeEvent(
            exchange=self, actor_id=actor_id, kind=kind, minutes=minutes, message=message
        )
        session = object_session(self)
        if session is not None:
            session.add(step)

    def parties(self) -> tuple[int, int]:
        return (self.provider_id, self.receiver_id)

    def other_party(self, user_id: int) -> int:
        return self.receiver_id if user_id == self.provider_id else self.provider_id

    def other(self, user_id: int) -> User:
        """The other party, as a member."""
        return self.receiver if user_id == self.provider_id else self.provider

    def is_expired(self, now: datetime | None = None) -> bool:
        """A logged time nobody confirmed in time (the state follows when the job runs)."""
        if self.state == "expired":
            return True
        return (
            self.state == "done"
            and self.expires_at is not None
            and self.expires_at <= (now or utcnow())
        )

    @property
    def effective_state(self) -> str:
        return "expired" if self.is_expired() else self.state


class ExchangeEvent(Model):
    """One step of an exchange's history: who did what, when, with which words."""

    __tablename__ = "exchange_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30))
    minutes: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    exchange: Mapped[Exchange] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
