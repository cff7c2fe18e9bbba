"""The ledger under concurrent writers: many threads settling exchanges and giving time over
a few accounts held near their limits, with replayed requests, as gunicorn workers would.

Afterwards the ledger must be exact: balances sum to zero, none past a limit, every cached
balance equal to its entries, every replay moved once, no deadlock, and no error but clean
refusals. Each thread has its own app context and database session. The big storm needs
PostgreSQL (rows locked in account-id order); SQLite runs a smaller one, where writers queue
for the database's write lock (BEGIN IMMEDIATE) instead of failing with "database is locked".

The timings are printed (`pytest -s`), never asserted.
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from exchange.services.community import memberships
from exchange.services.errors import Conflict, CreditLimitExceeded
from exchange.services.exchanges import direct, disputes, lifecycle
from exchange.services.ledger import gifts, rules, transfers
from models import Account, Exchange, ModerationAction, Notification, Transfer, db
from models.base import utcnow
from tests import factories
from tests.threads import race

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
FLOOR, CEILING = -120, 120  # −2 h, +2 h: tight, so that limits are met all the time
MEMBERS = 20


@dataclass
class Crowd:
    admin_id: int
    member_ids: list[int]
    account: dict[int | None, int]  # user id (None: the pot) → account id
    setup_transfers: set[int]


def _crowd(size: int) -> Crowd:
    admin = factories.member("Admin", admin=True)
    rules.update(admin.id, credit_floor=FLOOR, credit_ceiling=CEILING, welcome_grant=0)
    space = factories.space("La Grande Halle")
    members = []
    for i in range(size):
        person = factories.member(f"Membre {i:02d}")
        factories.join(person, space)
        members.append(person.id)
    account = {uid: transfers.account_of(uid).id for uid in members}
    account[None] = transfers.pot().id
    # Near the limits from the start: half the accounts at −1 h 45, half at +1 h 45.
    setup = set()
    for giver, taker in zip(members[0::2], members[1::2], strict=True):
        setup.add(gifts.give(giver, minutes=105, message="Mise en place", to_member_id=taker).id)
    return Crowd(admin.id, members, account, setup)


@pytest.fixture
def crowd(app) -> Crowd:
    return _crowd(MEMBERS)


@pytest.fixture
def few(app) -> Crowd:
    """Enough people for two requests racing each other."""
    return _crowd(6)


# ---------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Gift:
    giver: int
    to: int | None  # None: the common pot
    minutes: int
    key: str


@dataclass(frozen=True)
class Retribute:
    by: int  # the admin
    to: int
    minutes: int
    key: str


@dataclass(frozen=True)
class Settle:
    exchange_id: int
    receiver: int  # who confirms (the provider logged the time)


@dataclass(frozen=True)
class Replay:
    of: Gift | Retribute | Settle


def _plan(crowd: Crowd, threads: int, requests: int, settle_share: float, seed: int):
    """Each thread's requests: settlements of logged exchanges, gifts between members, a few
    gifts to the pot and retributions from it, and 5% replays of a request already sent, by
    the same thread earlier or by another one about now."""
    rng = random.Random(seed)
    now = utcnow()
    plan: list[list] = []
    to_log: list[tuple[int, int, int]] = []
    for t in range(threads):
        ops = []
        for k in range(requests):
            minutes = rng.randint(15, 90)
            key = f"{seed}-{t}-{k}"
            dice = rng.random()
            if dice < settle_share:
                provider, receiver = rng.sample(crowd.member_ids, 2)
                to_log.append((provider, receiver, minutes))
                ops.append(("settle", len(to_log) - 1, receiver))
            elif dice < settle_share + 0.05:
                ops.append(Gift(rng.choice(crowd.member_ids), None, minutes, key))
            elif dice < settle_share + 0.10:
                ops.append(Retribute(crowd.admin_id, rng.choice(crowd.member_ids), minutes, key))
            else:
                giver, to = rng.sample(crowd.member_ids, 2)
                ops.append(Gift(giver, to, minutes, key))
        plan.append(ops)

    # The exchanges to settle, logged by their provider (rows written directly: setting the
    # scene is not what is tested here, and 1600 logs through the service would take long).
    rows = [
        Exchange(
            provider_id=provider,
            receiver_id=receiver,
            initiator_id=provider,
            state="done",
            title=f"Coup de main {i}",
            minutes=minutes,
            performed_on=now.date(),
            logged_by_id=provider,
            logged_at=now,
            expires_at=now + timedelta(days=30),
        )
        for i, (provider, receiver, minutes) in enumerate(to_log)
    ]
    db.session.add_all(rows)
    db.session.commit()
    ids = [row.id for row in rows]
    plan = [
        [Settle(ids[op[1]], op[2]) if isinstance(op, tuple) else op for op in ops] for ops in plan
    ]

    # 5% of the slots become replays of an original that stays in the plan.
    slots = [(t, k) for t in range(threads) for k in range(1, requests)]
    replays = set(rng.sample(slots, round(0.05 * threads * requests)))
    for t, k in sorted(replays):
        if threads > 1 and rng.random() < 0.5:  # another thread's request, about now
            candidates = [
                (t2, k2)
                for t2 in range(threads)
                if t2 != t
                for k2 in (k - 1, k)
                if (t2, k2) not in replays
            ]
        else:  # this thread's own, sent a moment ago
            candidates = [(t, k2) for k2 in range(max(0, k - 10), k) if (t, k2) not in replays]
        t2, k2 = rng.choice(candidates)
        plan[t][k] = Replay(plan[t2][k2])
    return plan


# ---------------------------------------------------------------------------- the storm


@dataclass
class Outcome:
    request: object
    replay: bool
    result: object  # a transfer id (gift), an exchange id (settlement), or the exception
    seconds: float


@dataclass
class Storm:
    outcomes: list[Outcome] = field(default_factory=list)
    elapsed: float = 0.0
    unfinished: int = 0  # threads still running when the wait ended


def _send(request) -> int:
    if isinstance(request, Gift):
        moved = gifts.give(
            request.giver,
            minutes=request.minutes,
            message="Merci",
            to_member_id=request.to,
            request_key=request.key,
        )
        return moved.id
    if isinstance(request, Retribute):
        moved = gifts.retribute(
            request.by,
            request.to,
            minutes=request.minutes,
            reason="Pour les communs",
            request_key=request.key,
        )
        return moved.id
    return lifecycle.confirm(request.receiver, request.exchange_id).id


def _storm(app, plan) -> Storm:
    storm = Storm()
    barrier = threading.Barrier(len(plan) + 1)
    per_thread: list[list[Outcome]] = [[] for _ in plan]

    def run(t: int) -> None:
        with app.app_context():
            barrier.wait()
            for request in plan[t]:
                replay = isinstance(request, Replay)
                original = request.of if replay else request
                started = time.perf_counter()
                try:
                    result = _send(original)
                except Exception as e:  # classified by the test
                    result = e
                finally:
                    db.session.remove()  # what the end of a request does
                per_thread[t].append(
                    Outcome(original, replay, result, time.perf_counter() - started)
                )

    threads = [threading.Thread(target=run, args=(t,)) for t in range(len(plan))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=600)
    storm.elapsed = time.perf_counter() - started
    storm.outcomes = [o for outcomes in per_thread for o in outcomes]
    storm.unfinished = sum(thread.is_alive() for thread in threads)
    return storm


def _is_deadlock(error: BaseException) -> bool:
    original = getattr(error, "orig", None) or error.__cause__
    return type(original).__name__ == "DeadlockDetected" or "deadlock" in str(error).lower()


def _check(crowd: Crowd, plan, storm: Storm, label: str) -> None:
    """Every invariant of the ledger after a storm, and the figures, printed."""
    assert storm.unfinished == 0, "a thread did not finish"
    assert len(storm.outcomes) == sum(len(requests) for requests in plan)
    refused = [o for o in storm.outcomes if isinstance(o.result, CreditLimitExceeded)]
    conflicts = [
        o
        for o in storm.outcomes
        if isinstance(o.result, Conflict) and not isinstance(o.result, CreditLimitExceeded)
    ]
    errors = [
        o.result
        for o in storm.outcomes
        if isinstance(o.result, BaseException) and not isinstance(o.result, Conflict)
    ]
    deadlocks = [e for e in errors if _is_deadlock(e)]
    locked = [e for e in errors if "database is locked" in str(e)]
    succeeded = [o for o in storm.outcomes if isinstance(o.result, int)]

    db.session.expire_all()
    report = transfers.verify()
    balances = dict(db.session.execute(select(Account.id, Account.balance)).all())
    members = [balances[crowd.account[m]] for m in crowd.member_ids]

    # Which requests moved credits: one transfer per gift key, one settlement per exchange.
    by_key: dict[str, set[int]] = defaultdict(set)
    confirmed: set[int] = set()
    for o in succeeded:
        if isinstance(o.request, Gift | Retribute):
            by_key[o.request.key].add(o.result)
        else:
            confirmed.add(o.request.exchange_id)
    gift_ids = {tid for ids in by_key.values() for tid in ids}
    settlements = dict(
        db.session.execute(
            select(Transfer.exchange_id, func.count(Transfer.id))
            .where(Transfer.kind == "settlement")
            .group_by(Transfer.exchange_id)
        ).all()
    )
    transfer_ids = set(db.session.scalars(select(Transfer.id))) - crowd.setup_transfers
    settlement_ids = set(
        db.session.scalars(select(Transfer.id).where(Transfer.kind == "settlement"))
    )
    states = Counter(db.session.scalars(select(Exchange.state)))

    # The model: the setting-up gifts plus every request that succeeded, once each.
    expected: Counter[int] = Counter()
    for giver, taker in zip(crowd.member_ids[0::2], crowd.member_ids[1::2], strict=True):
        expected[crowd.account[giver]] -= 105
        expected[crowd.account[taker]] += 105
    done = {o.request.key: o.request for o in succeeded if not isinstance(o.request, Settle)}
    for request in done.values():
        giver = request.giver if isinstance(request, Gift) else None  # a retribution: the pot
        expected[crowd.account[giver]] -= request.minutes
        expected[crowd.account[request.to]] += request.minutes
    for ex in db.session.scalars(select(Exchange).where(Exchange.id.in_(confirmed))):
        expected[crowd.account[ex.receiver_id]] -= ex.minutes
        expected[crowd.account[ex.provider_id]] += ex.minutes

    # Replays: answered by what the original did, never moving again.
    replays = [o for o in storm.outcomes if o.replay]
    replays_answered = sum(
        1
        for o in replays
        if (isinstance(o.request, Settle) and type(o.result) is Conflict)
        or (not isinstance(o.request, Settle) and isinstance(o.result, int))
    )
    # Told once per movement, logged once per retribution, whatever the replays.
    told = dict(
        db.session.execute(
            select(Notification.kind, func.count(Notification.id)).group_by(Notification.kind)
        ).all()
    )
    moved = dict(
        db.session.execute(
            select(Transfer.kind, func.count(Transfer.id))
            .where(Transfer.credit_account_id != crowd.account[None])
            .group_by(Transfer.kind)
        ).all()
    )
    to_pot = db.session.scalar(
        select(func.count(Transfer.id)).where(Transfer.credit_account_id == crowd.account[None])
    )
    logged = db.session.scalar(
        select(func.count(ModerationAction.id)).where(ModerationAction.action == "pot_retribution")
    )
    conflict_messages = Counter(str(o.result.message) for o in conflicts)

    kinds = Counter(type(o.request).__name__ for o in storm.outcomes)
    latencies = sorted(o.seconds for o in storm.outcomes)
    print(
        f"\n[{label}] {len(plan)} threads × {len(plan[0])} requests = {len(storm.outcomes)}"
        f" in {storm.elapsed:.2f} s ({len(storm.outcomes) / storm.elapsed:.0f} requests/s;"
        f" latency median {statistics.median(latencies) * 1000:.1f} ms,"
        f" p95 {latencies[int(0.95 * len(latencies))] * 1000:.1f} ms,"
        f" max {latencies[-1] * 1000:.0f} ms)\n"
        f"[{label}] requests: {dict(kinds)}\n"
        f"[{label}] moved: {moved.get('gift', 0) - len(crowd.setup_transfers)} gifts between"
        f" members, {to_pot} to the pot, {moved.get('retribution', 0)} retributions,"
        f" {len(confirmed)} settlements;"
        f" refused at a limit: {len(refused)}; conflicts: {len(conflicts)};"
        f" replays: {len(replays)} ({replays_answered} answered by the original);"
        f" deadlocks: {len(deadlocks)}; 'database is locked': {len(locked)};"
        f" other errors: {len(errors)}\n"
        f"[{label}] balances: min {min(members)}, max {max(members)}, pot {balances[crowd.account[None]]},"
        f" sum {sum(balances.values())}; exchanges {dict(states)}\n"
        f"[{label}] conflicts: {dict(conflict_messages)}"
    )

    assert deadlocks == [] and locked == []
    assert errors == [], errors[:5]
    assert report.ok, report.problems[:10]
    assert sum(balances.values()) == 0
    assert all(FLOOR <= b <= CEILING for b in members), members
    assert balances[crowd.account[None]] >= 0
    # Each request moved credits once, and nothing else moved.
    assert all(len(ids) == 1 for ids in by_key.values())
    assert all(n == 1 for n in settlements.values())
    assert set(settlements) == confirmed
    assert transfer_ids == gift_ids | settlement_ids
    assert states["confirmed"] == len(confirmed)
    assert {a: b for a, b in balances.items() if b} == {a: b for a, b in expected.items() if b}
    assert told.get("gift_received", 0) == moved.get("gift", 0)
    assert told.get("retribution_received", 0) == moved.get("retribution", 0) == logged
    assert told.get("exchange_confirmed", 0) == len(confirmed)
    assert len(refused) > 0  # the limits were really met


# ---------------------------------------------------------------------------- the tests


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="16 truly concurrent writers need PostgreSQL: set TEST_DATABASE_URL",
)
def test_sixteen_threads_of_settlements_and_gifts_near_the_limits_keep_the_ledger_exact(
    crowd, make_app
):
    plan = _plan(crowd, threads=16, requests=200, settle_share=0.5, seed=20261201)
    workers = make_app(
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 20, "max_overflow": 0},
        BASE_URL="https://archipel.test",
    )
    storm = _storm(workers, plan)
    _check(crowd, plan, storm, "PostgreSQL")


@pytest.mark.skipif(
    ON_POSTGRES, reason="the SQLite variant; on PostgreSQL the 16-thread storm runs instead"
)
def test_concurrent_writers_on_sqlite_queue_instead_of_failing(crowd, make_app):
    plan = _plan(crowd, threads=8, requests=50, settle_share=0.3, seed=20261202)
    workers = make_app(
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 0},
        BASE_URL="https://archipel.test",
    )
    storm = _storm(workers, plan)
    _check(crowd, plan, storm, "SQLite")


# ---------------------------------------------------------------------------- one instant


@pytest.fixture
def logged(few):
    """An exchange whose time the provider logged: the receiver may confirm or dispute."""
    provider, receiver = few.member_ids[2], few.member_ids[4]  # both at −1 h 45
    gifts.give(few.member_ids[1], minutes=200, message="De quoi payer", to_member_id=receiver)
    exchange = direct.log_direct(
        provider,
        counterpart_id=receiver,
        gave=True,
        minutes=75,
        title="Déménagement",
        performed_on=None,
    )
    return exchange.id, provider, receiver


def _balances(crowd, *users) -> tuple[int, ...]:
    db.session.expire_all()
    return tuple(db.session.get(Account, crowd.account[u]).balance for u in users)


@pytest.mark.parametrize("repeat", range(5))
def test_the_same_exchange_confirmed_twice_at_the_same_instant_moves_credits_once(
    app, few, logged, repeat
):
    exchange_id, provider, receiver = logged
    before = _balances(few, provider, receiver)
    results = race(app, *[lambda: lifecycle.confirm(receiver, exchange_id).state] * 2)
    assert sorted(map(type, results), key=str) == sorted([str, Conflict], key=str), results
    assert (
        db.session.scalar(
            select(func.count(Transfer.id)).where(Transfer.exchange_id == exchange_id)
        )
        == 1
    )
    assert _balances(few, provider, receiver) == (before[0] + 75, before[1] - 75)
    assert transfers.verify().ok


@pytest.mark.parametrize("repeat", range(3))
def test_a_confirmation_and_a_dispute_at_the_same_instant_one_wins(app, few, logged, repeat):
    exchange_id, _provider, receiver = logged
    results = race(
        app,
        lambda: lifecycle.confirm(receiver, exchange_id).state,
        lambda: disputes.dispute(receiver, exchange_id, "Trop long").state,
    )
    winners = [r for r in results if isinstance(r, str)]
    assert len(winners) == 1 and any(isinstance(r, Conflict) for r in results), results
    db.session.expire_all()
    assert db.session.get(Exchange, exchange_id).state == winners[0]
    settled = db.session.scalar(
        select(func.count(Transfer.id)).where(Transfer.exchange_id == exchange_id)
    )
    assert settled == (1 if winners[0] == "confirmed" else 0)
    assert transfers.verify().ok


@pytest.mark.parametrize("repeat", range(3))
def test_the_same_gift_sent_twice_at_the_same_instant_moves_once(app, few, repeat):
    giver, taker = few.member_ids[1], few.member_ids[0]  # +1 h 45 gives to −1 h 45

    def send():
        return gifts.give(
            giver, minutes=30, message="Merci", to_member_id=taker, request_key="twice"
        ).id

    results = race(app, send, send)
    assert all(isinstance(r, int) for r in results), results
    assert results[0] == results[1]
    assert _balances(few, giver, taker) == (105 - 30, -105 + 30)
    told = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == taker, Notification.kind == "gift_received"
        )
    )
    assert told == 1  # told once, as it moved once
    assert transfers.verify().ok


def test_the_same_retribution_sent_twice_at_the_same_instant_is_logged_and_told_once(app, few):
    gifts.give(few.member_ids[1], minutes=60, message="Pour la caisse", to_member_id=None)
    taker = few.member_ids[0]

    def send():
        return gifts.retribute(
            few.admin_id, taker, minutes=45, reason="Atelier réparation", request_key="once"
        ).id

    results = race(app, send, send)
    assert all(isinstance(r, int) for r in results) and results[0] == results[1], results
    assert _balances(few, taker, None) == (-105 + 45, 60 - 45)
    assert (
        db.session.scalar(
            select(func.count(ModerationAction.id)).where(
                ModerationAction.action == "pot_retribution"
            )
        )
        == 1
    )
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == taker, Notification.kind == "retribution_received"
            )
        )
        == 1
    )


@pytest.mark.parametrize("repeat", range(3))
def test_joining_two_spaces_at_the_same_instant_welcomes_once(app, few, repeat):
    rules.update(few.admin_id, credit_floor=FLOOR, credit_ceiling=CEILING, welcome_grant=30)
    gifts.give(few.member_ids[1], minutes=90, message="Pour les nouveaux", to_member_id=None)
    newcomer = factories.member("Nouvelle").id
    first, second = factories.space("Le Port").id, factories.space("La Criée").id
    results = race(
        app,
        lambda: memberships.request_join(newcomer, first).status,
        lambda: memberships.request_join(newcomer, second).status,
    )
    assert results == ["active", "active"], results
    db.session.expire_all()
    assert db.session.get(Account, transfers.account_of(newcomer).id).balance == 30
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == newcomer, Notification.kind == "welcome_grant"
            )
        )
        == 1
    )
    assert transfers.verify().ok


def test_two_gifts_that_each_fit_but_not_together_one_is_refused(app, few):
    """Two requests read the same balance at the same instant: only one may spend it."""
    giver = few.member_ids[0]  # at −1 h 45: 15 min left before the floor
    takers = few.member_ids[2], few.member_ids[4]
    results = race(
        app,
        *[
            lambda to=to: gifts.give(giver, minutes=15, message="Merci", to_member_id=to).id
            for to in takers
        ],
    )
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, CreditLimitExceeded) for r in results) == 1, results
    assert _balances(few, giver) == (FLOOR,)
    assert transfers.verify().ok
