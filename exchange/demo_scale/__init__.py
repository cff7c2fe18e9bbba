"""A generated network at a real network's size, for measuring Archipel (`flask demo seed
--scale large|small`): six spaces, thousands of members, tens of thousands of listings, years of
exchanges, their ledger and their feedback, written in bulk (Core inserts, a few thousand rows
per statement) into an empty database, every invariant of the services kept.

Phases, one module each: `people` (spaces, members, accounts, memberships), `listings` (with
their search words), `history` (exchanges and the ledger, `opened` for those that move
nothing), `feedback`, `desk` (reports), `finish` (moderation log, balances, sequences).
Everything is drawn from `random.Random(SEED)`: the same scale gives the same network.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from exchange import demo
from exchange.demo_scale import desk, feedback, finish, history, listings, memberships, people
from exchange.demo_scale.bulk import Phases
from exchange.demo_scale.texts import Writer
from exchange.demo_scale.world import SCALES, Scale, World
from exchange.services.community import passwords
from exchange.services.reputation import summaries
from models import Account, Entry, Exchange, Listing, Report, db
from models.base import utcnow

SEED = 2026
__all__ = ["SCALES", "Built", "Scale", "build", "describe"]


@dataclass
class Built:
    world: World
    phases: Phases

    @property
    def named(self):
        return self.world.named


def build(scale: Scale, echo: Callable[[str], object] = print, bars: bool = True) -> Built:
    """Write the network of this scale into the (empty) database of the app context."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not a secret
    # Argon2 is slow on purpose: one hash, with the app's settings, shared by every member.
    password_hash = passwords.hash_password(demo.DEMO_PASSWORD)
    writer = Writer(random.Random(SEED + 1))  # noqa: S311
    w = World(scale, rng, utcnow(), writer, password_hash)
    phases = Phases(echo, bars)
    for phase in (people, listings, history, feedback, desk, finish):
        phase.add(w, phases)
    db.session.remove()
    return Built(w, phases)


def sizes(w: World) -> dict[str, dict]:
    """What the benchmark's members hold, read back from the database."""
    statement, profile, coordinator = w.named["statement"], w.named["profile"], w.named["desk"]
    desk_space = w.spaces[memberships.DESK_SPACE]["id"]
    entries = db.session.scalar(
        select(func.count(Entry.id)).where(Entry.account_id == statement.account_id)
    )
    pending = db.session.scalar(
        select(func.count(Listing.id)).where(
            Listing.space_id == desk_space, Listing.moderation == "pending"
        )
    )
    return {
        "admin": {"member": w.admin, "note": "network admin"},
        "statement": {"member": statement, "note": f"{entries} ledger movements"},
        "profile": {
            "member": profile,
            "note": f"{summaries.count_visible(profile.id)} feedback shown on the profile",
        },
        "desk": {
            "member": coordinator,
            "note": f"coordinator of {memberships.DESK_SPACE}: {pending} listings waiting,"
            f" {_open_reports()} open reports, {_disputes()} disputes in the network",
        },
    }


def _open_reports() -> int:
    return db.session.scalar(select(func.count(Report.id)).where(Report.status == "open")) or 0


def _disputes() -> int:
    disputed = select(func.count(Exchange.id)).where(Exchange.state == "disputed")
    return db.session.scalar(disputed) or 0


def describe(built: Built, echo: Callable[[str], object]) -> None:
    """Print the counts, the time of each phase and the benchmark's log-ins."""
    w = built.world
    echo(f"Seeded the {w.scale.name} network in {built.phases.total:.1f} s:")
    echo("  " + ", ".join(f"{count} {name}" for name, count in sorted(w.counts.items())))
    pot = db.session.scalar(select(Account.balance).where(Account.kind == "pot"))
    echo(f"  common pot: {pot} minutes")
    echo(f"Benchmark log-ins (every account's password: {demo.DEMO_PASSWORD})")
    for role, found in sizes(w).items():
        m = found["member"]
        echo(f"  {role:<10} id {m.id:<6} {m.email:<34} {m.name}: {found['note']}")
