"""The ledger as the history plays it: balances checked against the network's limits as
`services.ledger.transfers.transfer` checks them, each movement with its two entries and their running
balances; gifts, retributions from the pot and corrections; and the rows they make."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from exchange.demo_scale import bulk
from exchange.demo_scale.lexicon import TRADES
from exchange.demo_scale.world import World
from exchange.services.ledger import limits as ledger_limits
from models import Entry, Transfer

GIFTS = (30, 60, 60, 90, 120)


class Move(NamedTuple):
    """One transfer, with the running balances of its two accounts once it moved."""

    id: int
    kind: str
    minutes: int
    debit: int
    credit: int
    reason: str
    author: int | None
    exchange: dict | None
    reverses: int | None
    at: datetime
    debit_after: int
    credit_after: int


@dataclass
class Ledger:
    """The balances as the history goes, and the movements it wrote."""

    floor: int
    ceiling: int
    pot: int
    balances: dict[int, int]
    next_id: int
    moves: list[Move] = field(default_factory=list)

    def limits(self, account: int) -> ledger_limits.Limits:
        """The ledger's limits: the pot between 0 and no ceiling, members the network's."""
        return (
            ledger_limits.Limits(0, None)
            if account == self.pot
            else ledger_limits.Limits(self.floor, self.ceiling)
        )

    def room(self, debit: int, credit: int, minutes: int) -> int:
        """The most of `minutes` (in quarters of an hour) the limits let move now, or 0, by
        the ledger's own rule (`transfers.possible_move`)."""
        most = minutes
        for account, delta in ((debit, -minutes), (credit, minutes)):
            possible = ledger_limits.possible_move(
                self.balances[account], delta, self.limits(account)
            )
            if possible is not None:
                most = min(most, possible)
        return most // 15 * 15 if most >= 15 else 0

    def move(self, at, kind, debit, credit, minutes, reason, author, exchange=None, reverses=None):
        self.balances[debit] -= minutes
        self.balances[credit] += minutes
        after = (self.balances[debit], self.balances[credit])
        move = Move(
            self.next_id,
            kind,
            minutes,
            debit,
            credit,
            reason,
            author,
            exchange,
            reverses,
            at,
            *after,
        )
        self.next_id += 1
        self.moves.append(move)
        return move


def give(w: World, rng, pairs, ledger: Ledger, at: datetime, kind: str):
    """A gift to the pot or a member, or a retribution from the pot; a few gifts made by
    mistake are corrected a few days later: (when, the gift) is returned for those."""
    member = pairs.one(at)
    if member is None:
        return None
    minutes = rng.choice(GIFTS)
    if kind == "retribution":
        steward = next((c for c in w.stewards.get(member.home, ()) if c != member.id), None)
        minutes = ledger.room(ledger.pot, member.account_id, minutes)
        if steward is None or not minutes:
            return None
        reason = w.writer.retribution(TRADES[member.trade])
        move = ledger.move(
            at, "retribution", ledger.pot, member.account_id, minutes, reason, steward
        )
        w.act(
            at,
            steward,
            "pot_retribution",
            reason=reason,
            space_id=member.home,
            subject_user_id=member.id,
            target_type="transfer",
            target_id=move.id,
            details={"minutes": minutes},
        )
        return None
    other = pairs.other(member, at) if kind == "gift" else None
    to = other.account_id if other else ledger.pot
    if kind == "gift" and other is None:
        return None
    minutes = ledger.room(member.account_id, to, minutes)
    if not minutes:
        return None
    reason = w.writer.gift() if other else w.writer.pot_gift()
    move = ledger.move(at, "gift", member.account_id, to, minutes, reason, member.id)
    if other is not None and rng.random() < 0.02:
        return (min(at + timedelta(days=rng.uniform(0.5, 5)), w.now - timedelta(hours=1)), move)
    return None


CORRECTION = "Don saisi deux fois par erreur : ce mouvement annule le second."


def correct(w: World, ledger: Ledger, at: datetime, original: Move) -> None:
    transfer_id, minutes, debit, credit = (
        original.id,
        original.minutes,
        original.debit,
        original.credit,
    )
    if ledger.room(credit, debit, minutes) != minutes:
        return
    move = ledger.move(
        at, "correction", credit, debit, minutes, CORRECTION, w.admin.id, reverses=transfer_id
    )
    w.act(
        at,
        w.admin.id,
        "transfer_corrected",
        reason=CORRECTION,
        subject_user_id=original.author,
        target_type="transfer",
        target_id=transfer_id,
        details={"correction_id": move.id, "minutes": minutes},
    )


def groups(w: World, moves: list[Move]):
    entry_id = w.ids.take(Entry.__table__, 2 * len(moves))
    for chunk in bulk.batches(moves, 4000):
        transfers, entries = [], []
        for m in chunk:
            transfers.append(
                {
                    "id": m.id,
                    "kind": m.kind,
                    "amount": m.minutes,
                    "debit_account_id": m.debit,
                    "credit_account_id": m.credit,
                    "reason": m.reason,
                    "author_id": m.author,
                    "exchange_id": m.exchange["id"] if m.exchange else None,
                    "reverses_id": m.reverses,
                    "request_key": None,
                    "created_at": m.at,
                }
            )
            for account, amount, after in (
                (m.debit, -m.minutes, m.debit_after),
                (m.credit, m.minutes, m.credit_after),
            ):
                entries.append(
                    {
                        "id": entry_id,
                        "transfer_id": m.id,
                        "account_id": account,
                        "amount": amount,
                        "balance_after": after,
                        "created_at": m.at,
                    }
                )
                entry_id += 1
        yield {Transfer.__table__: transfers, Entry.__table__: entries}
