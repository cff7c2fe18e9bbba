"""The demo network's exchanges and time credits: four months of history, and exchanges
waiting in every state, so that `/echanges`, `/compte` and `/caisse-commune` are worth a look.

History (everything settled or closed before the last days) is decided first, in date order,
with the balances kept aside so that no movement passes a credit limit as it stood then; it
is then written directly: the exchanges and their steps, and every movement through
`transfers.transfer(at=…)` in date order, so that the running balances follow the dates (and the
ledger checks the limits once more). The exchanges still open (proposed, accepted, done,
disputed) reach their state through the real services, then get their dates: their
notifications exist, their emails go nowhere.

Everything follows from the data below and the `random.Random` handed in: two seeds of empty
databases write the same exchanges and the same movements, dated from the moment of the seed.
The admin joins Les Ateliers du Rhône as a member, to exchange like everybody else.
"""

from __future__ import annotations

import heapq
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from exchange.demo.data import known
from exchange.demo.history_credits import plan_direct, plan_gifts, plan_pot
from exchange.demo.history_data import ADMIN_SPACE, DIRECT_LOGS, HISTORY_DAYS, RECENT, RECENT_LOGS
from exchange.demo.history_listings import plan_answered, plan_declined_and_cancelled, plan_listing
from exchange.demo.history_stories import (
    plan_correction,
    plan_disputes,
    plan_duplicate,
    plan_expired,
)
from exchange.demo.history_world import Plan, World, dice
from exchange.demo.recent import RecentWorld, play, play_log
from exchange.services.exchanges import lifecycle
from exchange.services.ledger import rules as network_rules
from exchange.services.ledger import transfers
from models import (
    Account,
    ExchangeEvent,
    Listing,
    Membership,
    NetworkSettings,
    Space,
    User,
    db,
)


def add(rng: random.Random, now: datetime, admin: User, spaces: dict[str, Space]) -> None:
    """Give the demo network its exchanges and history, and commit (after `demo.seed`)."""
    _admin_joins(admin, spaces[ADMIN_SPACE])
    world = load_world(rng, now, admin)
    _plan_history(world)
    _run(world)  # decides everything, in date order, balances kept in `world.balance`
    _write_history(world)
    recent = RecentWorld.of(world)
    db.session.commit()
    # What follows goes through the services, one commit each: a small session keeps it fast.
    db.session.expunge_all()
    for story in RECENT:
        play(recent, story)
    for log in RECENT_LOGS:
        play_log(recent, *log)
    db.session.commit()


def _write_history(w: World) -> None:
    """The exchanges at once (their ids), then every movement in date order through the
    ledger, which checks the limits again, then the exchanges' steps at once."""
    db.session.add_all([exchange for exchange, _steps in w.exchanges])
    db.session.flush()
    for move in w.moves:
        move.write()
    for then in w.afterwards:
        then()
    db.session.execute(
        insert(ExchangeEvent),
        [
            {
                "exchange_id": exchange.id,
                "actor_id": step.actor.id if step.actor else None,
                "kind": step.kind,
                "minutes": step.minutes,
                "message": step.text,
                "created_at": step.at,
            }
            for exchange, steps in w.exchanges
            for step in steps
        ],
    )


def _run(w: World) -> None:
    """Play the history in date order; a plan that answers with a plan is put off till then.

    Each plan draws from a generator of its own, seeded in the order the plans were made:
    what one plan picks does not depend on how many draws the plans before it made."""
    main = w.rng
    for plan in w.plans:
        plan.rng = dice(main)
    queue = [(plan.at, i, plan) for i, plan in enumerate(w.plans)]
    heapq.heapify(queue)
    count = len(queue)
    while queue:
        _when, _i, plan = heapq.heappop(queue)
        w.rng = plan.rng
        if isinstance(later := plan.run(), Plan):
            later.rng = dice(plan.rng)
            heapq.heappush(queue, (later.at, count, later))
            count += 1
    w.rng = main


def _admin_joins(admin: User, space: Space) -> None:
    """The admin is also a member of their own coworking space: it is how they exchange."""
    since = space.created_at + timedelta(hours=1)
    db.session.add(
        Membership(
            user=admin,
            space=space,
            status="active",
            role="member",
            requested_at=since,
            decided_at=since,
        )
    )
    db.session.flush()


def _plan_history(w: World) -> None:
    start = w.now - timedelta(days=HISTORY_DAYS)
    for listing in w.listings.values():
        plan_listing(w, listing, start)
    for direct in DIRECT_LOGS:
        plan_direct(w, direct, start)
    plan_gifts(w, start)
    plan_pot(w, start)
    _plan_stories(w)


def _plan_stories(w: World) -> None:
    """The exchanges of the history that did not go as planned, and a few that shaped how
    listings look today."""
    plan_answered(w)
    plan_declined_and_cancelled(w)
    plan_disputes(w)
    plan_duplicate(w)
    plan_expired(w)
    plan_correction(w)


def load_world(rng: random.Random, now: datetime, admin: User) -> World:
    users = {
        u.display_name: u
        for u in db.session.scalars(
            select(User).order_by(User.id).options(selectinload(User.skills))
        )
    }
    spaces: dict[int, dict[int, datetime]] = {}
    coordinates: dict[int, dict[int, datetime]] = {}
    for m in db.session.scalars(
        select(Membership).where(Membership.status == "active").order_by(Membership.id)
    ):
        spaces.setdefault(m.user_id, {})[m.space_id] = m.decided_at or m.requested_at
        if m.role == "coordinator":
            coordinates.setdefault(m.user_id, {})[m.space_id] = m.decided_at or m.requested_at
    accounts = {
        known(a.user_id): a
        for a in db.session.scalars(select(Account).where(Account.kind == "member"))
    }
    rules = network_rules.current()
    # The log-ins `demo.print_logins` shows: the admin, the first coordinator of each space,
    # the first two members who coordinate nothing. Their statements should be worth a look.
    featured = {admin.id}
    by_space: dict[int, int] = {}
    for user_id, coordinated in coordinates.items():
        for space_id in coordinated:
            by_space[space_id] = min(by_space.get(space_id, user_id), user_id)
    featured.update(by_space.values())
    plain = sorted(uid for uid in spaces if uid not in coordinates and uid != admin.id)
    featured.update(plain[:2])
    return World(
        rng=rng,
        now=now,
        zone=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
        admin=admin,
        users=users,
        spaces=spaces,
        coordinates=coordinates,
        skills={u.id: {s.slug for s in u.skills} for u in users.values()},
        listings={li.title: li for li in db.session.scalars(select(Listing).order_by(Listing.id))},
        accounts=accounts,
        pot=transfers.pot(),
        floor=rules.credit_floor,
        ceiling=rules.credit_ceiling,
        featured=featured,
        log_days=lifecycle.log_days(),
        rules=db.session.get(NetworkSettings, 1),
        balance={a.id: a.balance for a in [*accounts.values(), transfers.pot()]},
    )
