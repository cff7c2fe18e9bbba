"""The money ledger every member reads: each fee with its date, what it covered, its amount,
state and parties; the totals of each month; what the commons received.

A month counts a fee when it was paid (online), refunded or settled outside Archipel in
that month, in the network's time zone. The commons keep their share of paid fees only:
a refund gives the application fee back with the rest. Money the payer's bank gave back (a
chargeback lost) counts in the month Archipel heard of the bank's decision, as a refund
counts in the month it was made; the application fee is not given back by Stripe then.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from exchange.services.ledger.statement_queries import zone
from exchange.services.spreadsheets import CSV_DIALECT, cell
from models import Fee, db

PER_PAGE = 50


@dataclass
class Month:
    first_day: date
    paid_count: int = 0
    paid_cents: int = 0
    refunded_cents: int = 0
    settled_cents: int = 0
    commons_cents: int = 0
    charged_back_cents: int = 0

    @property
    def net_cents(self) -> int:
        """Money that went from receivers to providers and the commons online, refunds and
        bank disputes lost off."""
        return self.paid_cents - self.refunded_cents - self.charged_back_cents


@dataclass
class Totals:
    months: list[Month] = field(default_factory=list)
    paid_cents: int = 0
    refunded_cents: int = 0
    settled_cents: int = 0
    commons_cents: int = 0
    charged_back_cents: int = 0
    due_count: int = 0


def _month(moment) -> date:
    return moment.astimezone(zone()).date().replace(day=1)


def totals() -> Totals:
    """Each month's totals, newest first, and the whole ledger's.

    Read in one pass over the fees that moved money: a network's fees stay in the thousands.
    """
    result = Totals()
    months: dict[date, Month] = {}

    def month_of(moment) -> Month:
        key = _month(moment)
        return months.setdefault(key, Month(key))

    query = select(
        Fee.state,
        Fee.amount_cents,
        Fee.commons_cents,
        Fee.paid_at,
        Fee.refunded_at,
        Fee.settled_at,
        Fee.dispute_status,
        Fee.dispute_cents,
        Fee.dispute_closed_at,
    )
    for fee in db.session.execute(query):
        if fee.state == "due":
            result.due_count += 1
        if fee.paid_at is not None:
            month = month_of(fee.paid_at)
            month.paid_count += 1
            month.paid_cents += fee.amount_cents
            month.commons_cents += fee.commons_cents
            result.paid_cents += fee.amount_cents
            result.commons_cents += fee.commons_cents
        if fee.state == "refunded" and fee.refunded_at is not None:
            month = month_of(fee.refunded_at)
            month.refunded_cents += fee.amount_cents
            month.commons_cents -= fee.commons_cents
            result.refunded_cents += fee.amount_cents
            result.commons_cents -= fee.commons_cents
        if fee.state == "settled" and fee.settled_at is not None:
            month_of(fee.settled_at).settled_cents += fee.amount_cents
            result.settled_cents += fee.amount_cents
        # A chargeback lost gives the amount in question back to the payer (a refunded fee
        # has nothing left to give: it is counted once, as refunded).
        if fee.dispute_status == "lost" and fee.state != "refunded" and fee.dispute_closed_at:
            cents = fee.dispute_cents or fee.amount_cents
            month_of(fee.dispute_closed_at).charged_back_cents += cents
            result.charged_back_cents += cents
    result.months = sorted(months.values(), key=lambda m: m.first_day, reverse=True)
    return result


def shows_dispute(fee: Fee, viewer=None) -> bool:
    """Whether the ledger shows what the payer's bank did about a fee: to its parties and
    the admins while the bank asks or decides; to everyone once money went back."""
    if fee.charged_back:
        return True
    if not fee.dispute_status or viewer is None:
        return False
    return viewer.is_admin or viewer.id in (fee.provider_id, fee.receiver_id)


def page_of(fee_id: int) -> int:
    """The page of the ledger that lists this fee (1 for a fee that does not exist)."""
    fee = db.session.get(Fee, fee_id)
    if fee is None:
        return 1
    newer = db.session.scalar(
        select(func.count())
        .select_from(Fee)
        .where(
            (Fee.created_at > fee.created_at)
            | ((Fee.created_at == fee.created_at) & (Fee.id > fee.id))
        )
    )
    return (newer or 0) // PER_PAGE + 1


def page(number: int = 1):
    """One page of fees, newest first (a past-the-end page number shows the last page)."""
    count = db.session.scalar(select(func.count()).select_from(Fee)) or 0
    last = max(1, -(-count // PER_PAGE))
    return db.paginate(
        _listing(), page=min(max(1, number), last), per_page=PER_PAGE, error_out=False
    )


def _listing():
    return (
        select(Fee)
        .options(joinedload(Fee.provider), joinedload(Fee.receiver), joinedload(Fee.exchange))
        .order_by(Fee.created_at.desc(), Fee.id.desc())
    )


def _euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def to_csv(headers: list[str], state_label, dispute_label) -> str:
    """Every fee as CSV (BOM, `;`), amounts in euros with a decimal point, and in cents.
    The exchange is named by its number: its title is for its parties."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, dialect=CSV_DIALECT)
    writer.writerow(headers)
    here = zone()

    def day(moment) -> str:
        return moment.astimezone(here).strftime("%d/%m/%Y %H:%M") if moment else ""

    for fee in db.session.scalars(_listing()):
        writer.writerow(
            [
                day(fee.created_at),
                fee.exchange_id,
                cell(fee.covers),
                _euros(fee.amount_cents),
                fee.amount_cents,
                _euros(fee.commons_cents),
                cell(state_label(fee.state)),
                cell(fee.provider.display_name),
                cell(fee.receiver.display_name),
                day(fee.paid_at),
                day(fee.refunded_at),
                day(fee.settled_at),
                # The CSV is everyone's: only what shows_dispute shows to anyone.
                cell(dispute_label(fee.dispute_status)) if shows_dispute(fee) else "",
                day(fee.dispute_closed_at) if shows_dispute(fee) else "",
                fee.id,
            ]
        )
    return out.getvalue()
