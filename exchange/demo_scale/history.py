"""Three years of movements, played in date order: confirmed exchanges settled receiver →
provider, gifts to members and to the common pot, retributions from the pot, a few
corrections. Each movement is checked against the network's limits on the balances as they
are then, exactly as `services.ledger.transfers.transfer` checks them, and its two entries carry the
running balances; transfers and entries get their ids in date order.
"""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta
from typing import Any

from exchange.demo_scale import bulk, exchanges, ledger_rows, opened
from exchange.demo_scale.world import HISTORY_DAYS, Member, World
from exchange.services.ledger import rules as network_rules
from models import Entry, Exchange, ExchangeEvent, Transfer

MINUTES = (30, 45, 60, 60, 60, 90, 90, 120, 120, 150, 180, 240)
RESOLVED_RATE = 0.00125  # confirmed by a coordinator after a dispute


def add(w: World, phases: bulk.Phases) -> None:
    rng = w.dice()
    rules = network_rules.current()
    ledger = ledger_rows.Ledger(
        rules.credit_floor,
        rules.credit_ceiling,
        w.pot_account,
        w.balances,
        w.ids.take(Transfer.__table__, 0),
    )
    pairs = exchanges.Pairs(w, rng, w.named["statement"])
    rows: list[dict] = []
    with phases.phase("history (played)", w.scale.confirmed) as bar:
        _play(w, rng, pairs, ledger, rows, bar)
        rows += opened.add(w, rng, pairs)
        rows.sort(key=lambda row: (row["created_at"], row["provider_id"]))
    first = w.ids.take(Exchange.__table__, len(rows))
    for i, row in enumerate(rows):
        row["id"] = first + i
    w.ids.take(Transfer.__table__, len(ledger.moves))
    tables = (Exchange.__table__, ExchangeEvent.__table__)
    with phases.phase("exchanges", len(rows)) as bar, bulk.without_indexes(*tables):
        bulk.insert_together(exchanges.groups(w, rows), bar, Exchange.__table__)
    tables = (Transfer.__table__, Entry.__table__)
    with phases.phase("ledger", len(ledger.moves)) as bar, bulk.without_indexes(*tables):
        bulk.insert_together(ledger_rows.groups(w, ledger.moves), bar, Transfer.__table__)
    w.counts.update(exchanges=len(rows), transfers=len(ledger.moves), entries=2 * len(ledger.moves))


def _play(w: World, rng, pairs, ledger: ledger_rows.Ledger, rows: list, bar) -> None:
    """Every movement in date order (a correction is queued when its gift is made)."""
    scale = w.scale
    begin = w.start + timedelta(days=30)
    moments = sorted(
        begin + timedelta(days=HISTORY_DAYS * rng.random() ** 0.6) for _ in range(scale.confirmed)
    )
    moments[-1] = min(moments[-1], w.now - timedelta(hours=1))
    hub = w.named["statement"]
    hub_slots = set(rng.sample(range(scale.confirmed), min(scale.hub_entries, scale.confirmed)))
    reputed_slots = set(rng.sample(range(scale.confirmed), scale.reputed_feedback * 3))
    queue: list[tuple[datetime, int, str, Any]] = [
        (
            at,
            i,
            "settle",
            (hub if i in hub_slots else w.named["profile"] if i in reputed_slots else None),
        )
        for i, at in enumerate(moments)
    ]
    for kind, count in (("pot_gift", 3000), ("gift", 1000), ("retribution", 1000)):
        for _ in range(scale.part(count)):
            at = begin + timedelta(days=HISTORY_DAYS * rng.random())
            queue.append((min(at, w.now - timedelta(hours=2)), len(queue), kind, None))
    heapq.heapify(queue)
    while queue:
        at, _seq, kind, payload = heapq.heappop(queue)
        if kind == "settle":
            _settle(w, rng, pairs, ledger, rows, at, payload)
            bar.update(1)
        elif kind == "correct":
            ledger_rows.correct(w, ledger, at, payload)
        else:
            later = ledger_rows.give(w, rng, pairs, ledger, at, kind)
            if later is not None:
                heapq.heappush(queue, (later[0], len(queue) + scale.confirmed, "correct", later[1]))


def _orient(rng, ledger: ledger_rows.Ledger, a: Member, b: Member, giver: Member | None):
    """Who gives the time: most often whoever has less on their account (balances come back
    towards zero, as in a living network); `giver`, if named, most often."""
    if giver is not None and rng.random() < 0.8:
        return (a, b) if giver is a else (b, a)
    low_first = ledger.balances[a.account_id] <= ledger.balances[b.account_id]
    lower, higher = (a, b) if low_first else (b, a)
    return (lower, higher) if rng.random() < 0.65 else (higher, lower)


def _settle(w: World, rng, pairs, ledger: ledger_rows.Ledger, rows: list, at, forced) -> None:
    for _attempt in range(60 if forced else 10):
        a = forced or pairs.one(at)
        b = pairs.other(a, at) if a else None
        if b is None:
            continue
        giver = forced if forced is w.named["profile"] else None
        provider, receiver = _orient(rng, ledger, a, b, giver)
        minutes = ledger.room(receiver.account_id, provider.account_id, rng.choice(MINUTES))
        if not minutes:
            provider, receiver = receiver, provider
            minutes = ledger.room(receiver.account_id, provider.account_id, 60)
        if not minutes:
            continue
        row = _confirmed(w, rng, provider, receiver, at, minutes)
        if row is None:
            continue
        author = row["resolved_by_id"] or row["_events"][-1][1]
        ledger.move(
            at,
            "settlement",
            receiver.account_id,
            provider.account_id,
            minutes,
            row["title"],
            author,
            exchange=row,
        )
        rows.append(row)
        w.confirmed.append(row)
        return


def _confirmed(w: World, rng, provider: Member, receiver: Member, at, minutes: int):
    """A confirmed exchange and its steps, ending at `at`; None if it cannot fit in time."""
    source = exchanges.listing_for(w, rng, provider, receiver, at)
    disputed = rng.random() < RESOLVED_RATE
    lower = max(provider.since(), receiver.since()) + timedelta(hours=1)
    if source is not None:
        lower = max(lower, source[1][0] + timedelta(hours=1))
    count = (4 if source else 2) + disputed
    moments = exchanges.timeline(rng, lower, at, count)
    if moments is None:
        return None
    row = exchanges.new(w, rng, provider, receiver, source, moments[0])
    if source is not None:
        exchanges.accept(w, row, moments[1])
    confirmer = exchanges.log(w, rng, row, moments[-2 - disputed], minutes)
    if disputed:
        row.update(state="disputed", dispute_reason=w.writer.dispute())
        exchanges.step(row, "disputed", confirmer, moments[-2], message=row["dispute_reason"])
        opened.resolve(w, rng, row, at, minutes)
    else:
        exchanges.step(row, "confirmed", confirmer, at, minutes)
    exchanges.close(row, "confirmed", at)
    return row
