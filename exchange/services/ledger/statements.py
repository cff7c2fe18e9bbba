"""Statements: an account's movements with their running balance, for a period, on screen
(newest first, a page at a time) and as CSV (oldest first, streamed batch by batch); the
common pot's for everyone to read, the members' words for members only. What they read in
SQL, and the plans it takes, is in `statement_queries`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from exchange.durations import duration_text
from exchange.services.ledger import transfers
from exchange.services.ledger.statement_queries import (
    Line,
    Period,
    Totals,
    batches,
    lines,
    lines_query,
    rows_query,
    totals,
)
from exchange.services.ledger.statement_queries import zone as _zone
from exchange.services.spreadsheets import CSV_DIALECT, cell
from models import Account, Entry, Transfer, db

PER_PAGE = 50  # movements on a page of the statement
BATCH = 1000  # movements read at once for the CSV

# The reasons a visitor reads on the pot: a retribution is a coordinator's public act for the
# commons, a grant the network's welcome. A gift's message is the giver's own words, and a
# correction's reason speaks to the members concerned about a mistake: both are for members.
PUBLIC_REASON_KINDS = frozenset({"retribution", "grant"})


@dataclass
class Statement:
    account: Account
    start: date | None
    end: date | None
    totals: Totals
    lines: list[Line]

    @property
    def opening(self) -> int:
        return self.totals.opening

    @property
    def closing(self) -> int:
        return self.totals.closing

    @property
    def received(self) -> int:
        return self.totals.received

    @property
    def given(self) -> int:
        return self.totals.given


@dataclass
class StatementPage(Statement):
    """One page of a statement, newest first, with the period's totals. `newer` and `older`
    are the entry ids the links to the next pages carry (`apres=`, `avant=`), None where the
    period ends: the page then shows the balance it closes (or opens) with."""

    newer: int | None = None
    older: int | None = None


def page(
    account: Account,
    start: date | None = None,
    end: date | None = None,
    *,
    before: int | None = None,
    after: int | None = None,
    per_page: int = PER_PAGE,
) -> StatementPage:
    """A page of the account's movements from `start` to `end` (days in the network's zone,
    both included), newest first, each with the balance it left: the newest ones, or those
    just older than the entry id `before`, or just newer than `after`. A cursor that leads
    nowhere (past the period's ends, a made-up id) gives the first page. Two statements,
    however many movements: the totals, then the page."""
    period = Period.of(account, start, end)
    figures = totals(period)
    found: list[Line] = []
    if figures.count:
        # A cursor past the period's first (or last) entry has nothing beyond it: the first
        # page, known from the totals without asking.
        query = lines_query(period, figures)
        if before is not None and before > figures.first_id:
            found = lines(query.where(Entry.id < before).order_by(Entry.id.desc()).limit(per_page))
        elif after is not None and after < figures.last_id:
            found = lines(query.where(Entry.id > after).order_by(Entry.id).limit(per_page))[::-1]
        else:
            found = lines(query.order_by(Entry.id.desc()).limit(per_page))
    st = StatementPage(account, start, end, figures, found)
    if found:
        newest, oldest = found[0].entry.id, found[-1].entry.id
        st.newer = newest if newest < figures.last_id else None
        st.older = oldest if oldest > figures.first_id else None
    return st


def _as_read(found: Iterable[Line], for_members: bool) -> Iterator[Line]:
    """The pot's lines as this reader may read them: see `pot_page`."""
    for line in found:
        kind = line.transfer.kind
        if not for_members and line.transfer.reason and kind not in PUBLIC_REASON_KINDS:
            line.withheld = kind
        yield line


def pot_page(
    start: date | None = None,
    end: date | None = None,
    *,
    before: int | None = None,
    after: int | None = None,
    for_members: bool = False,
) -> StatementPage:
    """A page of the common pot's movements, readable by everyone. A visitor
    (`for_members=False`) reads every movement, its kind, amount, date and counterpart, and
    the reasons of retributions and grants; the other reasons (a gift's message, a
    correction's) are withheld. A reader who does not say it is a member gets the visitor's."""
    st = page(transfers.pot(), start, end, before=before, after=after)
    st.lines = list(_as_read(st.lines, for_members))
    return st


def movements(
    account: Account, start: date | None = None, end: date | None = None, *, batch: int = BATCH
) -> Iterator:
    """Every movement of the period, oldest first, as the CSV writes it (`rows_query`'s
    columns), read `batch` entries at a time: memory holds one batch, however long the
    account has lived. The period ends where its first statement saw it end: what is written
    meanwhile waits for the next reading. One statement now, then one a batch as it is read."""
    period = Period.of(account, start, end)
    figures = totals(period)
    read = batches(rows_query(period, figures), figures, batch, key=lambda r: r.entry_id)
    return (row for rows in read for row in rows)


def statement(account: Account, start: date | None = None, end: date | None = None) -> Statement:
    """The account's whole statement for the period, oldest first, in memory, each line with
    its objects: for a short period or a small account (the demo's checks, the tests). Pages
    read `page`, the CSV `movements`."""
    period = Period.of(account, start, end)
    figures = totals(period)
    found = [
        Line(entry, transfer, other)
        for rows in batches(lines_query(period, figures), figures, BATCH, key=lambda r: r[0].id)
        for entry, transfer, other in rows
    ]
    return Statement(account, start, end, figures, found)


def pot_statement(
    start: date | None = None, end: date | None = None, *, for_members: bool = False
) -> Statement:
    """The common pot's whole statement for the period, oldest first, as `pot_page` lets this
    reader read it (in memory, as `statement`)."""
    st = statement(transfers.pot(), start, end)
    st.lines = list(_as_read(st.lines, for_members))
    return st


# ---------------------------------------------------------------------------- CSV


def _hours(minutes: int) -> str:
    """Decimal hours the French way: 1,50 for 1 h 30 (a number a spreadsheet can sum)."""
    return f"{minutes / 60:.2f}".replace(".", ",")


def csv_chunks(rows: Iterable, headers: list[str], describe) -> Iterator[str]:
    """The movements (`movements`' rows) as CSV text, piece by piece: the BOM and the headers,
    then a piece every BATCH rows (as `movements` reads them). `describe(row)` gives the
    (kind, counterpart, reason) words in the reader's language."""
    out = io.StringIO()
    writer = csv.writer(out, dialect=CSV_DIALECT)
    out.write("\ufeff")
    writer.writerow(headers)
    zone = _zone()
    for n, row in enumerate(rows, 1):
        kind, counterpart, reason = describe(row)
        writer.writerow(
            [
                row.created_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
                cell(kind),
                cell(counterpart),
                cell(reason),
                row.amount,
                _hours(row.amount),
                duration_text(row.amount),
                row.balance_after,
                _hours(row.balance_after),
                row.transfer_id,
            ]
        )
        if n % BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


# ---------------------------------------------------------------------------- the admin's


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
