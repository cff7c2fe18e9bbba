"""Settlements per second through the real services: exchanges awaiting confirmation are
logged first (`direct.log_direct`, not timed), then confirmed from many threads at once
(`lifecycle.confirm`, the step that writes the settlement: timed), each call in an app
context of its own as a request would be. The ledger is verified afterwards."""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time

from sqlalchemy import select

from exchange import create_app
from exchange.config import Config, _database_url
from exchange.services.errors import DomainError
from exchange.services.exchanges import direct, lifecycle
from exchange.services.ledger import rules
from exchange.services.ledger import transfers as ledger_transfers
from models import Account, Membership, User, db
from tests.bench.members import Cast

MINUTES = 15
TITLE = "Banc d'essai : relecture"
MOST_PAIRS = 64
ROUND_PER_THREAD = 25  # confirmations each thread has in a round


# The emails of each settlement are handed to RQ as in production (a worker process sends
# them, not the process that settles); the queue lives in a Redis database of the bench's own,
# emptied at the end.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
# gunicorn serves with several processes; so do the settlements: 16 threads over 4 processes.
PROCESSES = int(os.environ.get("BENCH_SETTLE_PROCESSES", "4"))


def bench_app(database_url: str, threads: int):
    """Archipel on this database with a pool for every thread; emails go to the queue."""
    options = {"pool_pre_ping": True, "pool_size": threads + 2, "max_overflow": 4}
    return create_app(
        Config,
        SQLALCHEMY_DATABASE_URI=_database_url(database_url),
        SQLALCHEMY_ENGINE_OPTIONS=options,
        MAIL_BACKEND="memory",
        REDIS_URL=REDIS_URL,
        OUTBOX_DELIVERY="rq",
        CACHE_REDIS_URL=None,
        RATELIMIT_STORAGE_URI="memory://",
    )


def empty_queue() -> None:
    """What the settlements handed to the bench's Redis goes."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _pairs(cast: Cast) -> list[tuple[int, int]]:
    """Members who may exchange, away from their limits, none of the pages' own members."""
    limits = rules.current()
    room = 4 * MINUTES
    ids = db.session.scalars(
        select(User.id)
        .join(Account, Account.user_id == User.id)
        .where(
            User.email_confirmed_at.is_not(None),
            User.suspended_at.is_(None),
            User.id.in_(select(Membership.user_id).where(Membership.status == "active")),
            User.id.not_in([cast.busy_id, cast.profile_id]),
            User.email.not_in([cast.coordinator_email, cast.admin_email]),
            Account.balance.between(limits.credit_floor + room, limits.credit_ceiling - room),
        )
        .order_by(User.id)
        .limit(2 * MOST_PAIRS)
    ).all()
    return list(zip(ids[0::2], ids[1::2], strict=False))


def _in_threads(count: int, items: list, handle) -> None:
    """`handle(item)` for every item, from `count` threads taking the next one in turn."""
    todo: queue.Queue = queue.Queue()
    for item in items:
        todo.put(item)

    def work():
        while True:
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            handle(item)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def log_awaiting(app, cast: Cast, count: int, threads: int = 4) -> list[tuple[int, int]]:
    """`count` logged times awaiting confirmation: (exchange id, who confirms it)."""
    with app.app_context():
        pairs = _pairs(cast)
    if not pairs:
        raise SystemExit("no two members to exchange between")
    # Each pair gives both ways in turn, so balances stay where they were.
    todo = [pairs[n % len(pairs)][:: 1 if (n // len(pairs)) % 2 == 0 else -1] for n in range(count)]
    made: list[tuple[int, int]] = []

    def log(pair):
        provider, receiver = pair
        with app.app_context():
            exchange = direct.log_direct(
                provider,
                counterpart_id=receiver,
                gave=True,
                minutes=MINUTES,
                title=TITLE,
                performed_on=None,
            )
            made.append((exchange.id, receiver))

    _in_threads(threads, todo, log)
    return made


def _confirm_in_child(database_url, awaiting, threads, ready, go, results) -> None:
    """One process of the round: its own app and pool, ready before the clock starts."""
    app = bench_app(database_url, threads)
    with app.app_context():
        db.session.execute(select(1))  # the pool's first connection, before the clock
    ready.release()
    go.wait()
    results.put(confirm_all(app, awaiting, threads))


def confirm_in_processes(database_url: str, awaiting: list, threads: int) -> dict:
    """Confirm them all from `threads` threads spread over PROCESSES processes."""
    processes = max(1, min(PROCESSES, threads))
    context = multiprocessing.get_context("fork")
    ready, go, results = context.Semaphore(0), context.Event(), context.Queue()
    children = [
        context.Process(
            target=_confirm_in_child,
            args=(database_url, awaiting[n::processes], threads // processes, ready, go, results),
        )
        for n in range(processes)
    ]
    for child in children:
        child.start()
    for _ in children:
        ready.acquire()
    started = time.monotonic()
    go.set()
    counts = {"settled": 0, "refused": 0}
    for _ in children:
        done = results.get()
        counts["settled"] += done["settled"]
        counts["refused"] += done["refused"]
    seconds = time.monotonic() - started
    for child in children:
        child.join()
    return {**counts, "seconds": seconds}


def confirm_all(app, awaiting: list[tuple[int, int]], threads: int) -> dict:
    """Confirm them all from `threads` threads; how many moved and how long it took."""
    counts = {"settled": 0, "refused": 0}
    lock = threading.Lock()

    def confirm(item):
        exchange_id, receiver = item
        with app.app_context():
            try:
                lifecycle.confirm(receiver, exchange_id)
                outcome = "settled"
            except DomainError:  # a limit reached: the rule held, nothing moved
                outcome = "refused"
        with lock:
            counts[outcome] += 1

    started = time.monotonic()
    _in_threads(threads, awaiting, confirm)
    return {**counts, "seconds": time.monotonic() - started}


def verify(app) -> dict:
    """`transfers.verify()` on the whole ledger, as `flask ledger verify` runs it."""
    with app.app_context():
        report = ledger_transfers.verify()
    return {
        "ok": report.ok,
        "transfers": report.transfers,
        "entries": report.entries,
        "total": report.total,
        "problems": (report.problems or [])[:5],
    }


def measure(database_url: str, cast: Cast, *, seconds: float, threads: int) -> dict:
    """Rounds of logging times (untimed) then confirming them all (timed), until the confirming
    has taken `seconds`: nothing is left awaiting confirmation in the database afterwards."""
    app = bench_app(database_url, threads)
    total = {"settled": 0, "refused": 0, "seconds": 0.0, "rounds": 0, "threads": threads}
    total["processes"] = max(1, min(PROCESSES, threads))
    while total["seconds"] < seconds:
        awaiting = log_awaiting(app, cast, ROUND_PER_THREAD * threads)
        with app.app_context():
            db.engine.dispose()  # no connection crosses the fork
        done = confirm_in_processes(database_url, awaiting, threads)
        for key in ("settled", "refused", "seconds"):
            total[key] += done[key]
        total["rounds"] += 1
    total["per_second"] = total["settled"] / total["seconds"] if total["seconds"] else 0.0
    total["ledger"] = verify(app)
    with app.app_context():
        db.engine.dispose()
    empty_queue()
    return total
