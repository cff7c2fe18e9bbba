"""Money, kept apart from time credits: the small fee a provider may attach to an exchange,
the provider's Stripe account that receives it, and every Stripe event we were sent.

Amounts are whole euro cents. A fee's state only moves forward along what Stripe reports
(due → paid → refunded), or is closed by a person (settled outside Archipel, withdrawn when
its exchange is called off before it was paid): duplicated or reordered events cannot move it
back. The fee rows are the money ledger every member reads.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, utcnow
from models.exchanges import Exchange
from models.users import User

# due: attached, the receiver may pay it online (or the provider mark it settled outside);
# paid: Stripe says the Checkout Session was paid; refunded: Stripe says the charge was refunded;
# settled: the provider says it was paid outside Archipel; withdrawn: the exchange was called
# off before anything was paid.
FEE_STATES = ("due", "paid", "refunded", "settled", "withdrawn")
# How far along each state is: an update never goes to a lower rank.
FEE_RANK = {"due": 0, "withdrawn": 1, "settled": 1, "paid": 2, "refunded": 3}
# What the payer's bank does about a paid fee (Stripe's dispute, as the fee keeps it, beside its
# state). inquiry: the bank asks questions, no money was taken and a refund is still possible
# (Stripe's warning_needs_response, warning_under_review); open: a chargeback, Stripe took the
# amount back while the bank decides (needs_response, under_review, and any status we do not
# know); then won: the bank decided for the payment, the money came back; lost: the bank gave
# it to the payer for good; closed: the questions ended without a chargeback (warning_closed,
# and prevented, a chargeback stopped before it was filed). It never moves to a lower rank.
DISPUTE_STATES = ("inquiry", "open", "won", "lost", "closed")
DISPUTE_RANK = {"inquiry": 0, "open": 1, "won": 2, "lost": 2, "closed": 2}


class Fee(Model):
    __tablename__ = "fees"
    __table_args__ = (
        CheckConstraint(
            "state IN ('due', 'paid', 'refunded', 'settled', 'withdrawn')", name="state"
        ),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("commons_cents >= 0 AND commons_cents <= amount_cents", name="commons"),
        CheckConstraint("provider_id <> receiver_id", name="two_parties"),
        CheckConstraint(
            "dispute_status IS NULL OR dispute_status IN "
            "('inquiry', 'open', 'won', 'lost', 'closed')",
            name="dispute_status",
        ),
        Index("ix_fees_state_created", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One fee per exchange: what the provider asked, in money, beside the time.
    exchange_id: Mapped[int] = mapped_column(
        ForeignKey("exchanges.id", ondelete="RESTRICT"), unique=True
    )
    provider_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    # The network's commons share, fixed when the fee is attached (the application fee).
    commons_cents: Mapped[int] = mapped_column(Integer, default=0)
    covers: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="due")
    # Each new Checkout Session gets the next attempt number: its idempotency key is
    # fee-<id>-checkout-<attempt>, so a retry or a double click reuses the same session.
    checkout_attempt: Mapped[int] = mapped_column(Integer, default=0)
    # When the latest attempt began: its session expires CHECKOUT_LIFETIME later, the same
    # parameters on every retry.
    checkout_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    checkout_url: Mapped[str | None] = mapped_column(Text)
    checkout_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    charge_id: Mapped[str | None] = mapped_column(String(255), index=True)
    refund_id: Mapped[str | None] = mapped_column(String(255))
    # A refund Stripe refused (not a lost answer) is asked again under the next key.
    refund_attempt: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failure_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refunded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The payer's bank questioning or disputing the charge, as Stripe last described it
    # (DISPUTE_STATES); the amount in question (a bank may dispute part of it).
    dispute_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    dispute_status: Mapped[str | None] = mapped_column(String(10))
    dispute_cents: Mapped[int | None] = mapped_column(Integer)
    disputed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dispute_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    exchange: Mapped[Exchange] = relationship()
    provider: Mapped[User] = relationship(foreign_keys=[provider_id])
    receiver: Mapped[User] = relationship(foreign_keys=[receiver_id])
    refunded_by: Mapped[User | None] = relationship(foreign_keys=[refunded_by_id])

    @property
    def to_provider_cents(self) -> int:
        return self.amount_cents - self.commons_cents

    def can_move_to(self, state: str) -> bool:
        return FEE_RANK[state] > FEE_RANK[self.state]

    @property
    def charged_back(self) -> bool:
        """The payer's bank gave the money back to the payer for good (a chargeback lost)."""
        return self.dispute_status == "lost"

    @property
    def disputed_cents(self) -> int:
        """The amount the payer's bank questions or disputes (a bank may dispute part)."""
        return self.dispute_cents or self.amount_cents

    @property
    def held_by_the_bank(self) -> bool:
        """A chargeback open or lost: the bank, not a refund, gives the money back (Stripe
        refuses to refund such a charge)."""
        return self.dispute_status in ("open", "lost")


class StripeAccount(Model):
    """A provider's Express account on Stripe Connect, as Stripe last described it; one per
    member in test mode and one in live mode (test accounts do not carry over)."""

    __tablename__ = "stripe_accounts"
    __table_args__ = (UniqueConstraint("user_id", "livemode", name="one_per_mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    livemode: Mapped[bool] = mapped_column(default=False)
    stripe_id: Mapped[str] = mapped_column(String(255), unique=True)
    charges_enabled: Mapped[bool] = mapped_column(default=False)
    payouts_enabled: Mapped[bool] = mapped_column(default=False)
    details_submitted: Mapped[bool] = mapped_column(default=False)
    # Destination charges need the account's transfers capability active.
    transfers_active: Mapped[bool] = mapped_column(default=False)
    # Each onboarding link is single-use: its idempotency key is user-<id>-link-<n>.
    links_made: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()

    @property
    def state(self) -> str:
        """pending until Stripe says the account can take transfers and pay out; then ready."""
        ready = (
            self.details_submitted
            and self.charges_enabled
            and self.payouts_enabled
            and self.transfers_active
        )
        return "ready" if ready else "pending"


class StripeEvent(Model):
    """Every event Stripe sent us, once by its id: the first delivery is recorded and handled
    after the answer; later deliveries of the same id change nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    object_id: Mapped[str] = mapped_column(String(255), default="", server_default="")
    livemode: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # None until handled; a failed handling keeps its error and is tried again later.
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
