"""The one writer of transfers and entries: every time credit that moves goes through here.

`transfer` locks both accounts (lowest id first, so two transfers never wait on each other
in a circle), checks the limits on the locked balances, writes the transfer, its two entries
and the new cached balances, and leaves the commit to the use case that called it. On
SQLite, where `SELECT … FOR UPDATE` does not exist, `begin_write` opens the transaction
with BEGIN IMMEDIATE: writers queue for the database's one write lock instead of failing
with "database is locked" halfway through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from exchange.services.errors import Conflict, InvalidInput, NotFound
from exchange.services.ledger.limits import check_minutes, check_room
from models import Account, Entry, Transfer, User, db
from models.base import utcnow
from models.ledger import TRANSFER_KINDS


def begin_write() -> None:
    """Make the current transaction a writer's from its first statement (SQLite only).

    Call it before the use case reads what it will check: on SQLite the reads that follow
    see the last committed state and nobody else can write until the commit.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        return
    raw = db.session.connection().connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        db.session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def commit() -> None:
    """Commit the use case; a unique rule of the ledger broken by a concurrent twin is a
    conflict (the other request won), never an error page."""
    try:
        db.session.commit()
    except IntegrityError as e:
        db.session.rollback()
        raise Conflict(_l("Ce mouvement a déjà été enregistré.")) from e


# ---------------------------------------------------------------------------- accounts


def pot() -> Account:
    """The network's common pot (created by the migrations; again here if it went missing)."""
    account = db.session.scalar(select(Account).where(Account.kind == "pot"))
    if account is None:
        account = Account(kind="pot", balance=0)
        db.session.add(account)
        db.session.flush()
    return account


def account_of(user_id: int) -> Account:
    """A member's time account (every member has one from sign-up)."""
    account = db.session.scalar(select(Account).where(Account.user_id == user_id))
    if account is None:
        if db.session.get(User, user_id) is None:
            raise NotFound()
        account = Account(kind="member", user_id=user_id, balance=0)
        db.session.add(account)
        db.session.flush()
    return account


def lock_accounts(account_ids: list[int]) -> dict[int, Account]:
    """Lock the accounts, lowest id first, and read their balances fresh, in one statement
    (PostgreSQL locks the rows in the ORDER BY's order: two transfers between the same
    accounts wait for each other instead of deadlocking)."""
    wanted = sorted(set(account_ids))
    locked = {
        account.id: account
        for account in db.session.scalars(
            select(Account)
            .where(Account.id.in_(wanted))
            .order_by(Account.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
    }
    if len(locked) != len(wanted):
        raise NotFound()
    return locked


def by_request_key(request_key: str | None) -> Transfer | None:
    """The transfer already written for this request key, marked `replayed`, if any."""
    if not request_key:
        return None
    done = db.session.scalar(select(Transfer).where(Transfer.request_key == request_key))
    if done is not None:
        done.replayed = True
    return done


def transfer(
    *,
    kind: str,
    from_account: int,
    to_account: int,
    minutes: int | None,  # None (an empty field) is refused like any other bad duration
    reason: str,
    author_id: int | None,
    exchange_id: int | None = None,
    reverses_id: int | None = None,
    request_key: str | None = None,
    at: datetime | None = None,
    within_limits: bool = True,
) -> Transfer:
    """Move `minutes` from one account to another, inside the caller's transaction.

    `at` dates the movement in the past: only for history brought in from elsewhere (the demo
    network, an import), written in order, so that running balances follow the dates.

    Refused with CreditLimitExceeded (nothing written) when either account would pass its
    limit; a closure alone (`within_limits=False`) is not: a member who leaves owing time leaves
    the debt to the pot, which may then go below zero. When `request_key` names a transfer
    already written, that transfer is returned, marked `replayed`, and nothing moves again: a
    replayed request moves credits once. The key is read again once the accounts are locked: a
    twin request sent at the same instant may have written it while this one waited.
    """
    if kind not in TRANSFER_KINDS:
        raise ValueError(f"unknown transfer kind {kind!r}")
    minutes = check_minutes(minutes)
    if from_account == to_account:
        raise InvalidInput(_l("On ne se donne pas du temps à soi-même."))
    begin_write()
    accounts = lock_accounts([from_account, to_account])
    if (replayed := by_request_key(request_key)) is not None:
        return replayed
    if within_limits:
        check_room(accounts[from_account], accounts[to_account], minutes, author_id)
    moved = Transfer(
        kind=kind,
        amount=minutes,
        debit_account_id=from_account,
        credit_account_id=to_account,
        reason=(reason or "").strip()[:1000],
        author_id=author_id,
        exchange_id=exchange_id,
        reverses_id=reverses_id,
        request_key=request_key or None,
        created_at=at or utcnow(),
    )
    db.session.add(moved)
    _enter(moved, accounts[from_account], accounts[to_account])
    db.session.flush()
    return moved


def _enter(moved: Transfer, debit: Account, credit: Account) -> None:
    """The transfer's two entries, each with the running balance it leaves on its account."""
    debit.balance -= moved.amount
    credit.balance += moved.amount
    moved.entries = [
        Entry(
            account_id=account.id,
            amount=amount,
            balance_after=account.balance,
            created_at=moved.created_at,
        )
        for account, amount in ((debit, -moved.amount), (credit, moved.amount))
    ]


# ---------------------------------------------------------------------------- verification


@dataclass
class Report:
    transfers: int = 0
    entries: int = 0
    accounts: int = 0
    total: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> Report:
    """Recompute every balance from the entries and prove the ledger balances.

    Checks: each transfer has exactly two entries, −amount on its debit account and +amount
    on its credit account; each cached balance equals the sum of its account's entries and the
    last entry's running balance; the sum of all balances is zero. Reads only.
    """
    report = Report()
    report.transfers = db.session.scalar(select(func.count(Transfer.id))) or 0
    report.entries = db.session.scalar(select(func.count(Entry.id))) or 0

    _check_transfers(report)
    _check_accounts(report)
    if report.total != 0:
        report.problems.append(f"the balances sum to {report.total}, not 0")
    entries_total = db.session.scalar(select(func.sum(Entry.amount))) or 0
    if entries_total != 0:
        report.problems.append(f"the entries sum to {entries_total}, not 0")
    return report


def _check_transfers(report: Report) -> None:
    """Each transfer has its two entries, and no entry names a missing transfer."""
    entries_by_transfer: dict[int, list[tuple[int, int]]] = {}
    for transfer_id, account_id, amount in db.session.execute(
        select(Entry.transfer_id, Entry.account_id, Entry.amount)
    ):
        entries_by_transfer.setdefault(transfer_id, []).append((account_id, amount))
    for t in db.session.execute(
        select(Transfer.id, Transfer.amount, Transfer.debit_account_id, Transfer.credit_account_id)
    ):
        found = sorted(entries_by_transfer.pop(t.id, []))
        expected = sorted([(t.debit_account_id, -t.amount), (t.credit_account_id, t.amount)])
        if found != expected:
            report.problems.append(
                f"transfer {t.id}: entries {found} instead of {expected}"
                f" (sum {sum(a for _acc, a in found)})"
            )
    for transfer_id, orphans in entries_by_transfer.items():
        report.problems.append(f"entries {orphans} name transfer {transfer_id}, which is missing")


def _check_accounts(report: Report) -> None:
    """Each cached balance is the sum of its entries and the last running balance; the
    balances are counted and summed into the report."""
    sums = dict(
        db.session.execute(
            select(Entry.account_id, func.sum(Entry.amount)).group_by(Entry.account_id)
        ).all()
    )
    last_ids = select(func.max(Entry.id)).group_by(Entry.account_id)
    running = dict(
        db.session.execute(
            select(Entry.account_id, Entry.balance_after).where(Entry.id.in_(last_ids))
        ).all()
    )
    for account in db.session.scalars(select(Account).order_by(Account.id)):
        report.accounts += 1
        report.total += account.balance
        computed = int(sums.get(account.id) or 0)
        if account.balance != computed:
            report.problems.append(
                f"account {account.id}: cached balance {account.balance}, entries say {computed}"
            )
        if account.id in running and running[account.id] != computed:
            report.problems.append(
                f"account {account.id}: last running balance {running[account.id]},"
                f" entries say {computed}"
            )
