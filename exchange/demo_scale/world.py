"""What the phases of a generated network share: its size, its clock, its dice, and the few
facts each phase leaves for the next (who joined when, whose listings, which exchanges)."""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from exchange.demo_scale.bulk import Ids
from exchange.demo_scale.texts import Writer


@dataclass(frozen=True)
class Scale:
    """How big a network: the counts asked for, and `factor` for everything else
    (1 for the large network; the sprinkles of open exchanges, reports… follow it)."""

    name: str
    members: int
    listings: int
    confirmed: int  # confirmed exchanges, each settled by a transfer
    feedback: int
    hub_entries: int  # ledger movements of the member with a long statement
    reputed_feedback: int  # at least this many feedback shown on one profile
    factor: float
    coordinators: tuple[int, int] = (3, 6)  # per space, at least and at most

    def part(self, large_count: float) -> int:
        """A count given for the large network, at this scale (at least 1)."""
        return max(1, round(large_count * self.factor))


SCALES = {
    "large": Scale("large", 5000, 50_000, 200_000, 85_000, 10_000, 500, 1.0),
    "small": Scale("small", 500, 5_000, 20_000, 8_500, 1_000, 50, 0.1),
    # For the tests: a few hundred rows, the same shapes.
    "tiny": Scale("tiny", 60, 300, 600, 255, 60, 6, 0.006, (1, 2)),
}

HISTORY_DAYS = 3 * 365  # the network's history: three years of exchanges


@dataclass(slots=True)
class Member:
    id: int
    account_id: int
    first: str
    name: str
    email: str
    created: datetime
    trade: str  # the category slug of what they mostly do
    weight: float  # how active, relative to others
    home: int = 0  # space id
    spaces: dict[int, datetime] = field(default_factory=dict)  # active since
    coordinates: set[int] = field(default_factory=set)
    skills: list[int] = field(default_factory=list)
    suspended_at: datetime | None = None

    def since(self) -> datetime:
        return min(self.spaces.values())

    def active_at(self, at: datetime) -> bool:
        return self.since() <= at and (self.suspended_at is None or at < self.suspended_at)


class Roster:
    """Members in the order they joined, picked at random by their weight among those who had
    joined by a given moment."""

    def __init__(self, members: list[Member], since=None, weight=None):
        since = since or (lambda m: m.since())
        weight = weight or (lambda m: m.weight)
        self.members = sorted(members, key=lambda m: (since(m), m.id))
        self.joined = [since(m) for m in self.members]
        self.cumulative = list(accumulate(weight(m) for m in self.members))

    def pick(self, rng: random.Random, at: datetime) -> Member | None:
        count = bisect_right(self.joined, at)
        if count == 0:
            return None
        point = rng.random() * self.cumulative[count - 1]
        return self.members[min(bisect_right(self.cumulative, point), count - 1)]


@dataclass
class World:
    scale: Scale
    rng: random.Random
    now: datetime
    writer: Writer
    password_hash: str
    ids: Ids = field(default_factory=Ids)
    start: datetime = field(init=False)
    admin: Member = field(init=False)  # the first member `people.add` makes
    named: dict[str, Member] = field(default_factory=dict)  # the benchmark's members
    spaces: dict[str, dict] = field(default_factory=dict)  # key -> row
    members: list[Member] = field(default_factory=list)
    categories: dict[str, dict] = field(default_factory=dict)  # slug -> row
    skills: dict[str, int] = field(default_factory=dict)  # name -> id
    skill_names: dict[int, str] = field(default_factory=dict)
    homes: dict[int, int] = field(default_factory=dict)  # member id -> home space id
    stewards: dict[int, list[int]] = field(default_factory=dict)  # space id -> coordinators
    coordinating: dict[int, datetime] = field(default_factory=dict)  # coordinator -> since
    pot_account: int = 0
    balances: dict[int, int] = field(default_factory=dict)  # account id -> minutes
    actions: list[dict] = field(default_factory=list)  # the moderation log, ids given last
    # (author id, kind) -> [(created_at, listing id, category slug, skill ids, title)]
    listings_of: dict[tuple[int, str], list[tuple]] = field(default_factory=dict)
    listing_space: dict[int, int] = field(default_factory=dict)  # listing id -> space id
    confirmed: list[dict] = field(default_factory=list)  # for feedback, see history
    feedback_rows: list[tuple] = field(default_factory=list)  # (id, author, subject, shows)
    expected: dict[str, int] = field(default_factory=dict)  # the reputed member's summary
    reported: set[tuple] = field(default_factory=set)  # open reports: one per member and item
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.start = self.now - timedelta(days=HISTORY_DAYS + 30)

    def dice(self) -> random.Random:
        """A generator of its own for a phase: what one phase draws never shifts the next."""
        return random.Random(self.rng.getrandbits(64))  # noqa: S311 - demo data, not a secret

    def space_ids(self) -> list[int]:
        return [row["id"] for row in self.spaces.values()]

    def act(self, at: datetime, actor_id: int | None, action: str, **fields) -> None:
        """One act of the moderation log (written at the end, in date order)."""
        details = fields.pop("details", {})
        self.actions.append(
            {"created_at": at, "actor_id": actor_id, "action": action, "details": details, **fields}
        )
