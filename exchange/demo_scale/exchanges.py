"""Exchanges as rows: who with whom, born from which listing, and each step of their history
(proposed, accepted, logged, confirmed…), for those that settle and for those still open or
closed without moving anything (declined, cancelled, expired, disputed)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta

from exchange.demo_scale import bulk
from exchange.demo_scale.lexicon import TRADES
from exchange.demo_scale.world import Member, Roster, World
from models import Exchange, ExchangeEvent

LOG_DAYS = 30  # EXCHANGE_LOG_DAYS's default: a log nobody confirms expires then
LISTING_SHARE = 0.6  # the others are logged directly ("I helped X for 1 h 30")
FORESEEN = (60, 60, 90, 120, 120, 180)


class Pairs:
    """Two members active at a moment, most often from the same space."""

    def __init__(self, w: World, rng, apart: Member):
        """`apart` (the member with a long statement) is never drawn: their exchanges are
        counted out for them."""
        self.rng = rng

        def weight(m: Member) -> float:
            return 0.0 if m is apart else m.weight

        self.everyone = Roster(w.members, weight=weight)
        self.by_space = {
            space_id: Roster(
                [m for m in w.members if space_id in m.spaces],
                since=lambda m, s=space_id: m.spaces[s],
                weight=weight,
            )
            for space_id in w.space_ids()
        }

    def one(self, at: datetime) -> Member | None:
        for _ in range(20):
            m = self.everyone.pick(self.rng, at)
            if m is not None and m.active_at(at):
                return m
        return None

    def other(self, a: Member, at: datetime) -> Member | None:
        for _ in range(20):
            roster = self.by_space[a.home] if self.rng.random() < 0.65 else self.everyone
            b = roster.pick(self.rng, at)
            if b is not None and b.id != a.id and b.active_at(at):
                return b
        return None


def listing_for(w: World, rng, provider: Member, receiver: Member, at: datetime, always=False):
    """A listing the exchange may come from: an offer of the provider or a request of the
    receiver, published in the months before `at` (None: the time is logged directly)."""
    if not always and rng.random() >= LISTING_SHARE:
        return None
    found = []
    for key in ((provider.id, "offer"), (receiver.id, "request")):
        items = w.listings_of.get(key)
        if items:
            low = bisect_left(items, (at - timedelta(days=120),))
            high = bisect_right(items, (at - timedelta(hours=6),))
            if high > low:
                found.append((key[1], items[rng.randrange(low, high)]))
    return rng.choice(found) if found else None


def new(w: World, rng, provider: Member, receiver: Member, source, at: datetime) -> dict:
    """An exchange's row, without its state or steps yet; `at` bounds its first step."""
    row: dict[str, object] = {
        "listing_id": None,
        "provider_id": provider.id,
        "receiver_id": receiver.id,
        "initiator_id": provider.id,
        "state": "proposed",
        "title": "",
        "message": "",
        "foreseen_minutes": None,
        "minutes": None,
        "performed_on": None,
        "logged_by_id": None,
        "logged_at": None,
        "expires_at": None,
        "dispute_reason": "",
        "resolved_by_id": None,
        "created_at": at,
        "updated_at": at,
        "closed_at": None,
        "_events": [],
        "_skills": (),
    }
    trade = TRADES[provider.trade]
    if source is None:
        row["title"] = w.writer.direct_title(trade)
        return row
    kind, (_created, listing_id, slug, skills, title, estimate) = source
    author, other = (provider, receiver) if kind == "offer" else (receiver, provider)
    row.update(listing_id=listing_id, title=title, initiator_id=other.id, _skills=skills)
    row["foreseen_minutes"] = estimate or rng.choice(FORESEEN)
    row["message"] = w.writer.proposal(kind, author.first, TRADES[slug])
    step(row, "proposed", other.id, at, row["foreseen_minutes"], row["message"])
    return row


def step(row: dict, kind: str, actor: int | None, at: datetime, minutes=None, message="") -> None:
    row["_events"].append((kind, actor, at, minutes, message))
    row["updated_at"] = at


def author_of(row: dict) -> int:
    """Who answers a proposal: the one who did not initiate it."""
    return row["receiver_id"] if row["initiator_id"] == row["provider_id"] else row["provider_id"]


def accept(w: World, row: dict, at: datetime) -> None:
    step(row, "accepted", author_of(row), at, message=w.writer.accept())
    row["state"] = "accepted"


def log(w: World, rng, row: dict, at: datetime, minutes: int) -> int:
    """Time logged by one side (the provider, most often); returns who confirms it."""
    provider, receiver = row["provider_id"], row["receiver_id"]
    logger = provider if rng.random() < 0.7 else receiver
    if row["listing_id"] is None:
        row["initiator_id"] = logger
        row["message"] = w.writer.note()
    row.update(state="done", minutes=minutes, logged_by_id=logger, logged_at=at)
    row["expires_at"] = at + timedelta(days=LOG_DAYS)
    row["performed_on"] = max(row["created_at"], at - timedelta(days=rng.uniform(0, 2))).date()
    step(row, "logged", logger, at, minutes, w.writer.note())
    return receiver if logger == provider else provider


def close(row: dict, state: str, at: datetime) -> None:
    row["state"] = state
    row["closed_at"] = at
    row["updated_at"] = at


def timeline(rng, lower: datetime, end: datetime, steps: int) -> list[datetime] | None:
    """`steps` increasing moments between `lower` and `end` (end last), in a few days' span;
    None when there is no room."""
    span = end - lower
    if span < timedelta(hours=2 * steps):
        return None
    start = end - min(span * 0.9, timedelta(days=rng.uniform(1, 25)))
    cuts = sorted(rng.random() for _ in range(steps - 1))
    # At most 25 days from the first step to the last: a log is confirmed before it expires.
    return [start + (end - start) * c for c in cuts] + [end]


def groups(w: World, rows: list[dict]):
    event_id = w.ids.take(ExchangeEvent.__table__, 0)
    columns = [c.name for c in Exchange.__table__.columns]
    for chunk in bulk.batches(rows, 4000):
        events = []
        for row in chunk:
            for kind, actor, at, minutes, message in row["_events"]:
                events.append(
                    {
                        "id": event_id,
                        "exchange_id": row["id"],
                        "actor_id": actor,
                        "kind": kind,
                        "minutes": minutes,
                        "message": message,
                        "created_at": at,
                    }
                )
                event_id += 1
        yield {
            Exchange.__table__: [{c: row[c] for c in columns} for row in chunk],
            ExchangeEvent.__table__: events,
        }
    w.ids.take(ExchangeEvent.__table__, event_id - w.ids.take(ExchangeEvent.__table__, 0))
    w.counts["exchange_events"] = sum(len(row["_events"]) for row in rows)
