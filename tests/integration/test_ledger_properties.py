"""A property-based test of the ledger: Hypothesis drives random exchanges (propose, accept or
decline, cancel, log, confirm, confirm again), gifts and their replays, retributions,
corrections and changes of the credit limits, against a model of the balances kept in a few
dictionaries. After every step: the balances sum to zero, the database says what the model
says, `transfers.verify()` finds nothing, and no balance moved past a limit.

The world (a space, members, their listings) is built once per test; between examples only
the ledger's rows are deleted, which keeps 100 examples × 50 steps affordable.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select, text

from exchange.services.errors import Conflict, CreditLimitExceeded, Forbidden, InvalidInput
from exchange.services.exchanges import lifecycle
from exchange.services.ledger import gifts, rules
from exchange.services.ledger import transfers as ledger_transfers
from models import Account, db
from tests import factories

EXAMPLES, STEPS = 100, 50
MINUTES = st.integers(min_value=15, max_value=150)
START_FLOOR, START_CEILING = -300, 300  # −5 h, +5 h: tight enough that limits are met


@dataclass
class World:
    admin: int
    members: list[int]
    listings: list[tuple[int, int, str]]  # (listing id, author id, kind)
    account: dict[int | None, int]  # user id (None: the pot) → account id


def _build_world() -> World:
    admin = factories.member("Admin", admin=True)
    space = factories.space("L'Île")
    members, listings = [], []
    for name in ("Ana", "Ben", "Cyr", "Dia"):
        person = factories.member(name)
        factories.join(person, space)
        members.append(person.id)
        for kind in ("offer", "request"):
            item = factories.listing(person, space, f"{kind} de {name}", kind=kind)
            listings.append((item.id, person.id, kind))
    account = {uid: ledger_transfers.account_of(uid).id for uid in members}
    account[None] = ledger_transfers.pot().id
    return World(admin.id, members, listings, account)


LEDGER_TABLES = (
    "entries",
    "transfers",
    "exchange_events",
    "exchanges",
    "notifications",
    "moderation_actions",
)


def _reset_ledger() -> None:
    """Empty the ledger and the exchanges, keep the people: a fresh start for one example."""
    if db.engine.dialect.name == "postgresql":  # TRUNCATE passes the append-only trigger
        # CASCADE: what refers to exchanges (feedback) goes with them; none is written here.
        db.session.execute(text(f"TRUNCATE {', '.join(LEDGER_TABLES)} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("DELETE FROM entries"))
        db.session.execute(text("DELETE FROM transfers WHERE reverses_id IS NOT NULL"))
        for table in LEDGER_TABLES[1:]:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.execute(text("UPDATE accounts SET balance = 0"))
    db.session.execute(
        text(
            "UPDATE network_settings SET credit_floor = :f, credit_ceiling = :c, welcome_grant = 0"
        ),
        {"f": START_FLOOR, "c": START_CEILING},
    )
    db.session.commit()
    db.session.remove()  # a fresh session: nothing of the last example is remembered


@dataclass
class Move:
    kind: str
    debit: int
    credit: int
    amount: int
    reversed: bool = False


class LedgerMachine(RuleBasedStateMachine):
    world: World  # set by the test
    seen: Counter  # what the steps did, over all examples (printed)

    def __init__(self):
        super().__init__()
        _reset_ledger()
        w = self.world
        self.floor, self.ceiling = START_FLOOR, START_CEILING
        # Every account, the admin's included: nothing may move on any of them unforeseen.
        self.balances = dict.fromkeys(db.session.scalars(select(Account.id)), 0)
        self.pot = w.account[None]
        self.exchanges: dict[int, dict] = {}
        self.moves: dict[int, Move] = {}
        self.keys: dict[str, tuple[int, tuple]] = {}  # request key → (transfer, request)
        # Accounts left past a limit when it moved, and how far: they may only come closer.
        self.excess: dict[int, int] = {}
        self.counter = 0

    # ------------------------------------------------------------------------ the model

    def _limits(self, account: int) -> tuple[int, int | None]:
        return (0, None) if account == self.pot else (self.floor, self.ceiling)

    def _past(self, account: int, balance: int) -> int:
        floor, ceiling = self._limits(account)
        if balance < floor:
            return floor - balance
        if ceiling is not None and balance > ceiling:
            return balance - ceiling
        return 0

    def _fits(self, debit: int, credit: int, amount: int) -> bool:
        """What the ledger should decide: neither account passes a limit (or goes further
        past one it was already past)."""
        floor, _ceiling = self._limits(debit)
        if self.balances[debit] - amount < floor:
            return False
        _floor, ceiling = self._limits(credit)
        return ceiling is None or self.balances[credit] + amount <= ceiling

    def _apply(self, transfer_id: int, kind: str, debit: int, credit: int, amount: int) -> None:
        assert transfer_id not in self.moves, "a transfer id came back twice"
        self.seen[kind] += 1
        self.moves[transfer_id] = Move(kind, debit, credit, amount)
        for account, delta in ((debit, -amount), (credit, amount)):
            before = self._past(account, self.balances[account])
            self.balances[account] += delta
            after = self._past(account, self.balances[account])
            assert after == 0 or after < before, f"account {account} moved past a limit"
            if account in self.excess:
                self.excess[account] = after
                if not after:
                    del self.excess[account]

    def _expect(self, error, call):
        try:
            call()
        except error as e:
            db.session.rollback()
            self.seen[error.__name__] += 1
            return e
        raise AssertionError(f"{error.__name__} expected")

    def _key(self) -> str:
        self.counter += 1
        return f"key-{self.counter}"

    def _ids(self, *states: str) -> list[int]:
        return sorted(i for i, ex in self.exchanges.items() if ex["state"] in states)

    # ------------------------------------------------------------------------ exchanges

    @rule(listing=st.integers(0, 7), actor=st.integers(0, 3), minutes=st.none() | MINUTES)
    def propose(self, listing, actor, minutes):
        listing_id, author, kind = self.world.listings[listing]
        actor = self.world.members[actor]

        def call():
            return lifecycle.propose(
                actor, listing_id, message="Je peux samedi.", foreseen_minutes=minutes
            )

        if actor == author:
            self._expect(InvalidInput, call)
            return
        if any(
            ex["listing"] == listing_id
            and ex["initiator"] == actor
            and ex["state"] in ("proposed", "accepted")
            for ex in self.exchanges.values()
        ):
            self._expect(Conflict, call)
            return
        ex = call()
        provider, receiver = (author, actor) if kind == "offer" else (actor, author)
        assert (ex.provider_id, ex.receiver_id) == (provider, receiver)
        self.exchanges[ex.id] = {
            "listing": listing_id,
            "initiator": actor,
            "provider": provider,
            "receiver": receiver,
            "state": "proposed",
            "minutes": None,
            "logged_by": None,
        }

    @precondition(lambda self: self._ids("proposed"))
    @rule(data=st.data(), yes=st.booleans(), wrong_side=st.booleans())
    def answer(self, data, yes, wrong_side):
        ex_id = data.draw(st.sampled_from(self._ids("proposed")))
        ex = self.exchanges[ex_id]
        other = ex["provider"] if ex["initiator"] == ex["receiver"] else ex["receiver"]
        service = lifecycle.accept if yes else lifecycle.decline
        if wrong_side:
            self._expect(Forbidden, lambda: service(ex["initiator"], ex_id))
            return
        service(other, ex_id)
        ex["state"] = "accepted" if yes else "declined"

    @precondition(lambda self: self._ids("proposed", "accepted"))
    @rule(data=st.data(), by_provider=st.booleans())
    def cancel(self, data, by_provider):
        ex_id = data.draw(st.sampled_from(self._ids("proposed", "accepted")))
        ex = self.exchanges[ex_id]
        lifecycle.cancel(ex["provider"] if by_provider else ex["receiver"], ex_id)
        ex["state"] = "cancelled"

    @precondition(lambda self: self._ids("accepted"))
    @rule(data=st.data(), minutes=MINUTES, by_provider=st.booleans())
    def log(self, data, minutes, by_provider):
        ex_id = data.draw(st.sampled_from(self._ids("accepted")))
        ex = self.exchanges[ex_id]
        actor = ex["provider"] if by_provider else ex["receiver"]
        lifecycle.log_time(actor, ex_id, minutes=minutes)
        ex.update(state="done", minutes=minutes, logged_by=actor)

    @precondition(lambda self: self._ids("done"))
    @rule(data=st.data())
    def confirm(self, data):
        self._confirm(data.draw(st.sampled_from(self._ids("done"))))

    def _confirm(self, ex_id: int) -> None:
        ex = self.exchanges[ex_id]
        confirmer = ex["provider"] if ex["logged_by"] == ex["receiver"] else ex["receiver"]
        debit, credit = self.world.account[ex["receiver"]], self.world.account[ex["provider"]]
        if not self._fits(debit, credit, ex["minutes"]):
            self._expect(CreditLimitExceeded, lambda: lifecycle.confirm(confirmer, ex_id))
            return
        lifecycle.confirm(confirmer, ex_id)
        settlement = db.session.scalar(
            text("SELECT id FROM transfers WHERE exchange_id = :e"), {"e": ex_id}
        )
        self._apply(settlement, "settlement", debit, credit, ex["minutes"])
        ex["state"] = "confirmed"

    @rule(
        listing=st.integers(0, 7),
        actor=st.integers(0, 3),
        minutes=MINUTES,
        provider_logs=st.booleans(),
    )
    def exchange(self, listing, actor, minutes, provider_logs):
        """The whole of an exchange in one step: propose, accept, log, confirm."""
        if self.world.listings[listing][1] == self.world.members[actor]:
            actor = (actor + 1) % 4
        self.propose(listing, actor, None)
        proposed = [
            i
            for i in self._ids("proposed")
            if self.exchanges[i]["listing"] == self.world.listings[listing][0]
            and self.exchanges[i]["initiator"] == self.world.members[actor]
        ]
        if not proposed:  # this member already has one open on this listing
            return
        ex_id = proposed[-1]
        ex = self.exchanges[ex_id]
        other = ex["provider"] if ex["initiator"] == ex["receiver"] else ex["receiver"]
        lifecycle.accept(other, ex_id)
        ex["state"] = "accepted"
        logger = ex["provider"] if provider_logs else ex["receiver"]
        lifecycle.log_time(logger, ex_id, minutes=minutes)
        ex.update(state="done", minutes=minutes, logged_by=logger)
        self._confirm(ex_id)

    @precondition(lambda self: self._ids("confirmed"))
    @rule(data=st.data())
    def confirm_again(self, data):
        ex_id = data.draw(st.sampled_from(self._ids("confirmed")))
        ex = self.exchanges[ex_id]
        confirmer = ex["provider"] if ex["logged_by"] == ex["receiver"] else ex["receiver"]
        self._expect(Conflict, lambda: lifecycle.confirm(confirmer, ex_id))

    # ------------------------------------------------------------------------ gifts

    @rule(giver=st.integers(0, 3), to=st.none() | st.integers(0, 3), minutes=MINUTES)
    def give(self, giver, to, minutes):
        giver = self.world.members[giver]
        to = None if to is None else self.world.members[to]
        key = self._key()

        def call():
            return gifts.give(
                giver, minutes=minutes, message="Merci", to_member_id=to, request_key=key
            )

        if to == giver:
            self._expect(InvalidInput, call)
            return
        debit, credit = self.world.account[giver], self.world.account[to]
        if not self._fits(debit, credit, minutes):
            self._expect(CreditLimitExceeded, call)
            return
        moved = call()
        self._apply(moved.id, "gift", debit, credit, minutes)
        self.keys[key] = (moved.id, (giver, to, minutes))

    @precondition(lambda self: self.keys)
    @rule(data=st.data())
    def replay_gift(self, data):
        key = data.draw(st.sampled_from(sorted(self.keys)))
        transfer_id, (giver, to, minutes) = self.keys[key]
        again = gifts.give(
            giver, minutes=minutes, message="Merci", to_member_id=to, request_key=key
        )
        assert again.id == transfer_id  # answered, not moved again
        self.seen["replayed gift"] += 1

    @rule(member=st.integers(0, 3), minutes=MINUTES)
    def retribute(self, member, minutes):
        member = self.world.members[member]
        debit, credit = self.pot, self.world.account[member]

        def call():
            return gifts.retribute(self.world.admin, member, minutes=minutes, reason="Communs")

        if not self._fits(debit, credit, minutes):
            self._expect(CreditLimitExceeded, call)
            return
        self._apply(call().id, "retribution", debit, credit, minutes)

    # ------------------------------------------------------------------------ the admin

    @precondition(lambda self: self.moves)
    @rule(data=st.data())
    def correct(self, data):
        transfer_id = data.draw(st.sampled_from(sorted(self.moves)))
        move = self.moves[transfer_id]

        def call():
            return gifts.correct(self.world.admin, transfer_id, "Erreur de saisie")

        if move.kind == "correction" or move.reversed:
            self._expect(Conflict, call)
            return
        if not self._fits(move.credit, move.debit, move.amount):
            self._expect(CreditLimitExceeded, call)
            return
        fix = call()
        self._apply(fix.id, "correction", move.credit, move.debit, move.amount)
        move.reversed = True

    @rule(
        floor=st.integers(-40, 0).map(lambda n: n * 15),
        ceiling=st.integers(0, 40).map(lambda n: n * 15),
    )
    def set_limits(self, floor, ceiling):
        rules.update(self.world.admin, credit_floor=floor, credit_ceiling=ceiling, welcome_grant=0)
        self.floor, self.ceiling = floor, ceiling
        self.excess = {
            account: past
            for account, balance in self.balances.items()
            if (past := self._past(account, balance))
        }

    # ------------------------------------------------------------------------ invariants

    @invariant()
    def the_ledger_is_exact(self):
        db.session.expire_all()
        balances = dict(db.session.execute(select(Account.id, Account.balance)).all())
        assert balances == self.balances
        assert sum(balances.values()) == 0
        report = ledger_transfers.verify()
        assert report.ok, report.problems
        assert report.transfers == len(self.moves)

    @invariant()
    def no_balance_is_past_a_limit_unless_the_limit_moved(self):
        for account, balance in self.balances.items():
            past = self._past(account, balance)
            assert past == 0 or past <= self.excess.get(account, 0), (account, balance)


class _HeldJobs:
    """A queue whose worker is away: the emails of every step wait in the outbox, written and
    handed off as always, but not delivered. The ledger is what is under test here; delivering
    some 2,900 emails inline took a third of its time."""

    periodic = ()

    def __init__(self):
        self.held = 0

    def enqueue(self, task: str, *args) -> None:
        self.held += 1

    def start(self) -> None:
        """Nothing runs."""


def test_the_ledger_follows_its_model_whatever_happens(app):
    app.config["BASE_URL"] = "https://archipel.test"  # emails without building a request
    held = app.extensions["archipel.jobs"] = _HeldJobs()  # the shared app gets its own back
    world = _build_world()

    class Machine(LedgerMachine):
        pass

    Machine.world = world
    Machine.seen = Counter()
    started = time.perf_counter()
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,  # no .hypothesis/ folder left in the project
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    print(
        f"\n[properties] {EXAMPLES} examples × up to {STEPS} steps on"
        f" {db.engine.dialect.name}: {time.perf_counter() - started:.1f} s\n"
        f"[properties] {dict(Machine.seen.most_common())}"
    )
    assert held.held > 0  # the steps did hand their emails off, to a queue that held them
