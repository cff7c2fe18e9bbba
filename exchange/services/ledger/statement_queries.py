"""What a statement reads, in SQL: a period of an account's entries, its figures in one
aggregate, and its lines (entry, transfer, counterpart) a range of entry ids at a time.

Nothing here adds up a balance: each entry carries `balance_after`, written by the ledger
under the account's lock. What a page or a batch costs does not depend on how long the
account has lived. The plans, on PostgreSQL 15 with an account of 10,000 entries among
450,000 (EXPLAIN ANALYZE, warm cache):

- the totals: an Index Only Scan on `ix_entries_account_period` (account, instant, id,
  amount) bounded by the period, then two primary-key lookups (its first and last
  entries): 1.7 ms for the whole history, 0.4 ms for six months;
- a page: an Index Scan Backward on `ix_entries_account` (account, id) from the cursor,
  within the period's first and last ids, stopped by the LIMIT after fifty rows, each joined
  by primary key: 0.6 ms (within a period the planner may walk `pk_entries` back over the
  same id range instead: 0.6 ms too).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import aliased, contains_eager

from models import Account, Entry, Transfer, User, db


@dataclass
class Line:
    entry: Entry
    transfer: Transfer
    counterpart: Account  # the other account of the transfer
    # Why the reason is kept from this reader ("gift", "correction"…), or "" when it is shown.
    withheld: str = ""

    @property
    def reason(self) -> str:
        """The reason this reader may read: empty when it is withheld."""
        return "" if self.withheld else self.transfer.reason

    @property
    def amount(self) -> int:
        return self.entry.amount

    @property
    def balance_after(self) -> int:
        return self.entry.balance_after


@dataclass(frozen=True)
class Totals:
    """A period's figures: the balance before its first movement and after its last one,
    what came in and what went out, and the ids of its first and last entries."""

    opening: int = 0
    closing: int = 0
    received: int = 0
    given: int = 0
    count: int = 0
    first_id: int = 0  # 0 when the period has no entry (count 0)
    last_id: int = 0


def zone() -> ZoneInfo:
    """The network's time zone: the days of a period are its days."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _instant(day: date) -> datetime | None:
    """Midnight of a day in the network's time zone, as a UTC instant; None for a day at the
    edge of the calendar (1 January of year 1 is still 31 December in UTC), where no bound
    is needed: nothing was recorded before it."""
    try:
        return datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)
    except OverflowError:
        return None


def _end_instant(day: date) -> datetime | None:
    """The instant a day ends (the next midnight); None after 31 December 9999, which has no
    next day: nothing can be recorded after it."""
    return _instant(day + timedelta(days=1)) if day < date.max else None


@dataclass(frozen=True)
class Period:
    """An account's entries from the first instant of `start` to the last of `end` (days in
    the network's zone, both included; either may be left open)."""

    account_id: int
    since: datetime | None
    until: datetime | None

    @classmethod
    def of(cls, account: Account, start: date | None, end: date | None) -> Period:
        since = _instant(start) if start is not None else None
        return cls(account.id, since, _end_instant(end) if end is not None else None)

    def where(self) -> list:
        """The conditions that keep the account's entries of the period."""
        conditions = [Entry.account_id == self.account_id]
        if self.since is not None:
            conditions.append(Entry.created_at >= self.since)
        if self.until is not None:
            conditions.append(Entry.created_at < self.until)
        return conditions


def totals(period: Period) -> Totals:
    """The period's figures in one statement; for an empty period that starts after the
    account's first movements, a second one reads its balance then."""
    agg = (
        select(
            func.count(Entry.id).label("count"),
            func.min(Entry.id).label("first_id"),
            func.max(Entry.id).label("last_id"),
            func.sum(case((Entry.amount > 0, Entry.amount), else_=0)).label("received"),
            func.sum(case((Entry.amount < 0, -Entry.amount), else_=0)).label("given"),
        )
        .where(*period.where())
        .subquery()
    )
    first, last = aliased(Entry), aliased(Entry)
    row = db.session.execute(
        select(agg, (first.balance_after - first.amount).label("opening"), last.balance_after)
        .select_from(agg)
        .outerjoin(first, first.id == agg.c.first_id)
        .outerjoin(last, last.id == agg.c.last_id)
    ).one()
    figures = row._mapping  # `row.count` would be the tuple's own method
    if figures["count"]:
        return Totals(
            figures["opening"], figures["balance_after"], figures["received"],
            figures["given"], figures["count"], figures["first_id"], figures["last_id"],
        )  # fmt: skip
    before = None
    if period.since is not None:
        before = db.session.scalar(
            select(Entry.balance_after)
            .where(Entry.account_id == period.account_id, Entry.created_at < period.since)
            .order_by(Entry.id.desc())
            .limit(1)
        )
    return Totals(opening=before or 0, closing=before or 0)


def lines_query(period: Period, figures: Totals):
    """The period's entries with their transfer and counterpart (and its member) in one
    statement, within the ids of its first and last entries (`figures` has some)."""
    other = aliased(Entry)
    return (
        select(Entry, Transfer, Account)
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(other, (other.transfer_id == Entry.transfer_id) & (other.id != Entry.id))
        .join(Account, Account.id == other.account_id)
        .outerjoin(User, User.id == Account.user_id)
        # A counterpart's name and page are what a line shows: not the skills its member
        # loads with itself everywhere else.
        .options(contains_eager(Account.user).lazyload(User.skills))
        .where(*period.where(), Entry.id.between(figures.first_id, figures.last_id))
    )


def lines(query) -> list[Line]:
    """The lines a `lines_query` (ordered, limited) reads."""
    return [Line(entry, transfer, other) for entry, transfer, other in db.session.execute(query)]


def rows_query(period: Period, figures: Totals):
    """What a CSV line holds, as plain columns (no object per row: ten times cheaper to read
    than `lines_query`'s), same entries: `entry_id`, `created_at`, `amount`, `balance_after`,
    `transfer_id`, `kind`, `reason`, `counterpart_kind` and `counterpart_name`."""
    other = aliased(Entry)
    return (
        select(
            Entry.id.label("entry_id"),
            Entry.created_at,
            Entry.amount,
            Entry.balance_after,
            Transfer.id.label("transfer_id"),
            Transfer.kind,
            Transfer.reason,
            Account.kind.label("counterpart_kind"),
            User.display_name.label("counterpart_name"),
        )
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(other, (other.transfer_id == Entry.transfer_id) & (other.id != Entry.id))
        .join(Account, Account.id == other.account_id)
        .outerjoin(User, User.id == Account.user_id)
        .where(*period.where(), Entry.id.between(figures.first_id, figures.last_id))
    )


def batches(query, figures: Totals, batch: int, key) -> Iterator[Sequence[Row]]:
    """The rows of `query` (the period's) in entry id order, `batch` at a time: keyset on the
    entry id, which `key(row)` reads. The period ends at the last entry `figures` saw."""
    if not figures.count:
        return
    query = query.order_by(Entry.id).limit(batch)
    seen = figures.first_id - 1
    while seen < figures.last_id:
        rows = db.session.execute(query.where(Entry.id > seen)).all()
        if not rows:  # the last id exists: cannot happen, but never loop on it
            return
        seen = key(rows[-1])
        yield rows
