"""Statements: an account's movements with their running balance, for a period, on screen
and as CSV; the common pot's for everyone to read, the members' words for members only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from exchange.durations import duration_text
from exchange.services import ledger
from models import Account, Entry, Transfer, db

MAX_ROWS = 2000

# The reasons a visitor reads on the pot: a retribution is a coordinator's public act for the
# commons, a grant the network's welcome. A gift's message is the giver's own words, and a
# correction's reason speaks to the members concerned about a mistake: both are for members.
PUBLIC_REASON_KINDS = frozenset({"retribution", "grant"})


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


@dataclass
class Statement:
    account: Account
    start: date | None
    end: date | None
    opening: int  # the balance before the period's first movement
    lines: list[Line]
    truncated: bool = False

    @property
    def closing(self) -> int:
        return self.lines[-1].balance_after if self.lines else self.opening

    @property
    def received(self) -> int:
        return sum(line.amount for line in self.lines if line.amount > 0)

    @property
    def given(self) -> int:
        return -sum(line.amount for line in self.lines if line.amount < 0)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _instant(day: date) -> datetime | None:
    """Midnight of a day in the network's time zone, as a UTC instant; None for a day at the
    edge of the calendar (1 January of year 1 is still 31 December in UTC), where no bound
    is needed: nothing was recorded before it."""
    try:
        return datetime.combine(day, time.min, tzinfo=_zone()).astimezone(UTC)
    except OverflowError:
        return None


def _end_instant(day: date) -> datetime | None:
    """The instant a day ends (the next midnight); None after 31 December 9999, which has no
    next day: nothing can be recorded after it."""
    return _instant(day + timedelta(days=1)) if day < date.max else None


def statement(account: Account, start: date | None = None, end: date | None = None) -> Statement:
    """The account's movements from `start` to `end` (days in the network's zone, both
    included), oldest first, each with the balance it left."""
    other = aliased(Entry)
    query = (
        select(Entry, Transfer, Account)
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(other, (other.transfer_id == Entry.transfer_id) & (other.id != Entry.id))
        .join(Account, Account.id == other.account_id)
        .where(Entry.account_id == account.id)
        .options(selectinload(Account.user), selectinload(Transfer.author))
        .order_by(Entry.id)
    )
    opening = 0
    since = _instant(start) if start is not None else None
    until = _end_instant(end) if end is not None else None
    if since is not None:
        query = query.where(Entry.created_at >= since)
        opening = (
            db.session.scalar(
                select(Entry.balance_after)
                .where(Entry.account_id == account.id, Entry.created_at < since)
                .order_by(Entry.id.desc())
                .limit(1)
            )
            or 0
        )
    if until is not None:
        query = query.where(Entry.created_at < until)
    rows = db.session.execute(query.limit(MAX_ROWS + 1)).all()
    lines = [Line(entry, transfer, counterpart) for entry, transfer, counterpart in rows]
    return Statement(account, start, end, opening, lines[:MAX_ROWS], len(lines) > MAX_ROWS)


def pot_statement(
    start: date | None = None, end: date | None = None, *, for_members: bool = False
) -> Statement:
    """The common pot's movements, readable by everyone. A visitor (`for_members=False`) reads
    every movement, its kind, amount, date and counterpart, and the reasons of retributions
    and grants; the other reasons (a gift's message, a correction's) are withheld. A reader who
    does not say it is a member gets the visitor's statement."""
    st = statement(ledger.pot(), start, end)
    if not for_members:
        for line in st.lines:
            if line.transfer.reason and line.transfer.kind not in PUBLIC_REASON_KINDS:
                line.withheld = line.transfer.kind
    return st


# ---------------------------------------------------------------------------- CSV

# Excel set to French reads `;`-separated files and needs the BOM to know they are UTF-8;
# LibreOffice asks, and takes both.
CSV_DIALECT = {"delimiter": ";", "quoting": csv.QUOTE_MINIMAL, "lineterminator": "\r\n"}


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run: no leading =, +, -, @ (formula injection)."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _hours(minutes: int) -> str:
    """Decimal hours the French way: 1,50 for 1 h 30 (a number a spreadsheet can sum)."""
    return f"{minutes / 60:.2f}".replace(".", ",")


def to_csv(st: Statement, headers: list[str], describe) -> str:
    """The statement as CSV text, starting with the BOM. `describe(line)` gives the
    (kind, counterpart, reason) words in the reader's language."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, **CSV_DIALECT)
    writer.writerow(headers)
    zone = _zone()
    for line in st.lines:
        kind, counterpart, reason = describe(line)
        moment = line.entry.created_at.astimezone(zone)
        writer.writerow(
            [
                moment.strftime("%d/%m/%Y %H:%M"),
                _cell(kind),
                _cell(counterpart),
                _cell(reason),
                line.amount,
                _hours(line.amount),
                duration_text(line.amount),
                line.balance_after,
                _hours(line.balance_after),
                line.transfer.id,
            ]
        )
    return out.getvalue()


def latest_transfers(page: int = 1, per_page: int = 50) -> list[Transfer]:
    """The ledger's transfers, newest first (the admin's corrections page)."""
    page = max(1, min(page, 10000))
    return list(
        db.session.scalars(
            select(Transfer)
            .order_by(Transfer.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
            .options(
                selectinload(Transfer.debit_account).selectinload(Account.user),
                selectinload(Transfer.credit_account).selectinload(Account.user),
                selectinload(Transfer.author),
            )
        )
    )


def reversed_ids(transfer_ids: list[int]) -> set[int]:
    """Which of these transfers a correction has already reversed."""
    if not transfer_ids:
        return set()
    return set(
        db.session.scalars(
            select(Transfer.reverses_id).where(Transfer.reverses_id.in_(transfer_ids))
        )
    )
