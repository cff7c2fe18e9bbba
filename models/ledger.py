"""The time-credit ledger: accounts, transfers and their entries, and the network's rules.

Amounts are whole minutes. A transfer is double-entry: exactly two entries, one taking the
amount from an account and one giving it to another, summing to zero. Entries and transfers
are only ever added (on PostgreSQL a trigger refuses any UPDATE or DELETE of them); a mistake
is undone by a new, reversing transfer. An account's `balance` is a cache of the sum of its
entries, changed only in the transaction that writes them, with the account row locked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    insert,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, utcnow
from models.users import User

ACCOUNT_KINDS = ("member", "pot")
# A closure settles the balance of an account whose member left (services/privacy/erasure.py)
# with the common pot: what they held goes to it, what they owed it takes on.
TRANSFER_KINDS = ("settlement", "gift", "retribution", "grant", "correction", "closure")

# Defaults of the network's rules, until an admin sets them.
DEFAULT_FLOOR = -20 * 60
DEFAULT_CEILING = 100 * 60
DEFAULT_FEE_CAP = 5000  # 50 € per exchange, in cents
DEFAULT_LARGE_AMOUNT = 5 * 60  # a gift or a log above 5 h asks to be confirmed


class Account(Model):
    """A member's time account, or the network's common pot (the one account of kind 'pot')."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("kind IN ('member', 'pot')", name="kind"),
        CheckConstraint("(kind = 'member') = (user_id IS NOT NULL)", name="owner"),
        # One common pot per network.
        Index(
            "uq_accounts_pot",
            "kind",
            unique=True,
            sqlite_where=text("kind = 'pot'"),
            postgresql_where=text("kind = 'pot'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="member")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), unique=True
    )
    balance: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User | None] = relationship()

    @property
    def is_pot(self) -> bool:
        return self.kind == "pot"


class Transfer(Model):
    """One movement of time between two accounts, with its reason and its author."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('settlement', 'gift', 'retribution', 'grant', 'correction', 'closure')",
            name="kind",
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("debit_account_id <> credit_account_id", name="two_accounts"),
        CheckConstraint("(kind = 'settlement') = (exchange_id IS NOT NULL)", name="settles"),
        CheckConstraint("(kind = 'correction') = (reverses_id IS NOT NULL)", name="corrects"),
        # An exchange is settled once: a double click, a retry or two browsers post it once.
        Index(
            "uq_transfers_settlement",
            "exchange_id",
            unique=True,
            sqlite_where=text("kind = 'settlement'"),
            postgresql_where=text("kind = 'settlement'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount: Mapped[int] = mapped_column(Integer)
    debit_account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="RESTRICT"), index=True
    )
    credit_account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="RESTRICT"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchanges.id", ondelete="RESTRICT"))
    # A correction names the transfer it reverses; each transfer is reversed at most once.
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("transfers.id", ondelete="RESTRICT"), unique=True
    )
    # The key of the form or request that asked for it: the same request replayed moves once.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    debit_account: Mapped[Account] = relationship(foreign_keys=[debit_account_id])
    credit_account: Mapped[Account] = relationship(foreign_keys=[credit_account_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    entries: Mapped[list[Entry]] = relationship(back_populates="transfer", order_by="Entry.id")
    reverses: Mapped[Transfer | None] = relationship(remote_side=[id], foreign_keys=[reverses_id])

    # Not a column: True when the ledger answered a request with the transfer its request key
    # already named (a replay, or a twin request that won the race), so nobody is told twice.
    replayed = False


class Entry(Model):
    """One side of a transfer on one account: negative taken, positive given.

    `balance_after` is the account's balance once this entry applied: the statement's
    running balance, written under the account's lock, and checked by `flask ledger verify`.
    """

    __tablename__ = "entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        # The statement reads an account's entries in order, a page from a cursor.
        Index("ix_entries_account", "account_id", "id"),
        # A period's totals read this index alone (an index-only scan): its entries by their
        # instant, with their ids and amounts.
        Index("ix_entries_account_period", "account_id", "created_at", "id", "amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(
        ForeignKey("transfers.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    amount: Mapped[int] = mapped_column(Integer)
    balance_after: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    transfer: Mapped[Transfer] = relationship(back_populates="entries")
    account: Mapped[Account] = relationship()


class NetworkSettings(Model):
    """The network's rules, one row, set by an admin (defaults until then)."""

    __tablename__ = "network_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("credit_floor <= 0", name="floor"),
        CheckConstraint("credit_ceiling >= 0", name="ceiling"),
        CheckConstraint("welcome_grant >= 0", name="grant"),
        CheckConstraint("fee_cap_cents >= 0", name="fee_cap"),
        CheckConstraint("commons_bp BETWEEN 0 AND 10000", name="commons_share"),
        CheckConstraint("large_amount > 0", name="large_amount"),
        CheckConstraint(
            "message_retention_days IS NULL OR message_retention_days > 0", name="retention"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    credit_floor: Mapped[int] = mapped_column(Integer, default=DEFAULT_FLOOR)
    credit_ceiling: Mapped[int] = mapped_column(Integer, default=DEFAULT_CEILING)
    welcome_grant: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Online fees: the most one exchange may carry, in euro cents, and the share given to the
    # network's commons, in basis points (250 = 2.5 %).
    fee_cap_cents: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_FEE_CAP, server_default=str(DEFAULT_FEE_CAP)
    )
    commons_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Minutes above which a gift or a logged time is shown back in words and moves only once
    # confirmed (a typed "30" is thirty hours).
    large_amount: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_LARGE_AMOUNT, server_default=str(DEFAULT_LARGE_AMOUNT)
    )
    # Messages older than this many days are deleted by the periodic sweep; None keeps them.
    message_retention_days: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


@event.listens_for(User, "after_insert")
def _open_account(mapper, connection, target: User) -> None:
    """Every member has a time account from the moment they exist, whoever creates them."""
    connection.execute(
        insert(Account).values(kind="member", user_id=target.id, balance=0, created_at=utcnow())
    )
