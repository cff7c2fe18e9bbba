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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from exchange.demo import data
from exchange.services.exchanges import disputes, lifecycle
from exchange.services.ledger import rules as network_rules
from exchange.services.ledger import transfers
from exchange.services.moderation import audit
from exchange.services.notify import outbox
from exchange.text import slugify
from models import (
    Account,
    Exchange,
    ExchangeEvent,
    Listing,
    Membership,
    NetworkSettings,
    Notification,
    Space,
    Transfer,
    User,
    db,
)
from models.exchanges import OPEN_STATES

HISTORY_DAYS = 125  # the first movements, some four months ago
SETTLED_BEFORE = timedelta(days=3)  # exchanges from listings are settled by then
ADMIN_SPACE = "rhone"  # the admin lives in Lyon and works from Les Ateliers du Rhône

# ---------------------------------------------------------------------------- the words
# exchanges.toml: what the exchanges say, and who gave what to whom.

_DATA = data.load("exchanges")

# When to meet, in a proposal; a proposal on an offer ({why}: what the receiver needs) or on a
# request ({why}: why the giver can); the author's answer; what the one who logs adds, by how
# it went against the time foreseen.
SLOTS = _DATA["slots"]
OFFER_PROPOSALS = _DATA["offer_proposals"]
REQUEST_PROPOSALS = _DATA["request_proposals"]
ACCEPTS = _DATA["accepts"]
NOTES_LONGER = _DATA["notes_longer"]
NOTES_SHORTER = _DATA["notes_shorter"]
NOTES_AS_FORESEEN = _DATA["notes_as_foreseen"]

# Offers that others answered over the months: title -> what the one who asks needs.
OFFER_NEEDS: dict[str, tuple[str, ...]] = {
    row["title"]: tuple(row["needs"]) for row in _DATA["offer_need"]
}
# Requests others answered: title -> (the skills a helper needs, none: anyone; why they can).
REQUEST_HELPERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    row["title"]: (tuple(row["skills"]), tuple(row["reasons"])) for row in _DATA["request_helper"]
}


class Direct(NamedTuple):
    """Time given outside a listing, logged and confirmed some time in the history."""

    provider: str
    receiver: str
    title: str
    minutes: int
    message: str = ""


DIRECT_LOGS = [Direct(**row) for row in _DATA["direct_log"]]
# Gifts between members (pay it forward): giver, recipient, minutes, message.
GIFTS = [(g["giver"], g["recipient"], g["minutes"], g["message"]) for g in _DATA["gift"]]
# Gifts to the common pot (two more than RETRIBUTIONS: see _plan_pot): minutes, message.
POT_GIFTS = [(g["minutes"], g["message"]) for g in _DATA["pot_gift"]]
# The pot's retributions: coordinator, member, minutes, reason.
RETRIBUTIONS = [
    (r["coordinator"], r["member"], r["minutes"], r["reason"]) for r in _DATA["retribution"]
]
# Who typed 10 h instead of 1 h (the first of them with a balance that allowed it).
CORRECTED_GIVERS = tuple(_DATA["corrected_givers"])

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


class Recent(NamedTuple):
    """An exchange of the last days: a proposal on a listing, then its steps; the step that
    leaves it open goes through the services (see `_play`). `days`: how many days ago each
    step happened, the proposal first.
    Steps: ("accept" | "decline", text) by the listing's author; ("cancel", who, text);
    ("log", who, minutes, note); ("dispute", text) by the party who did not log.
    `who` is "initiator" or "author"."""

    listing: str
    initiator: str
    message: str
    foreseen: int | None
    days: tuple[float, ...]
    steps: tuple[tuple, ...] = ()


RECENT = [
    Recent(
        r["listing"],
        r["initiator"],
        r["message"],
        r.get("foreseen"),
        tuple(r["days"]),
        tuple(tuple(step) for step in r["steps"]),
    )
    for r in _DATA["recent"]
]
# A direct log of the last days that waits for the other side's confirmation.
RECENT_LOGS = [
    (r["provider"], r["receiver"], r["days"], r["title"], r["minutes"], r["message"])
    for r in _DATA["recent_log"]
]


# ---------------------------------------------------------------------------- the world


class Step(NamedTuple):
    kind: str  # an ExchangeEvent kind
    actor: User | None
    at: datetime
    minutes: int | None = None
    text: str = ""


@dataclass
class _Plan:
    at: datetime  # when its movement (or its last step) happens: history runs in this order
    run: Callable[[], object]
    rng: random.Random | None = None  # given by _run


@dataclass
class _Move:
    """A movement decided by the history, written through the ledger once the exchanges
    have their ids; `then` runs with the transfer written (the moderation log)."""

    at: datetime
    kind: str
    payer: int  # account ids
    payee: int
    minutes: int
    reason: str
    author_id: int | None
    exchange: Exchange | None = None
    reverses: _Move | None = None
    then: Callable[[Transfer], object] | None = None
    transfer: Transfer | None = None

    def write(self) -> None:
        self.transfer = transfers.transfer(
            kind=self.kind,
            from_account=self.payer,
            to_account=self.payee,
            minutes=self.minutes,
            reason=self.reason,
            author_id=self.author_id,
            exchange_id=self.exchange.id if self.exchange else None,
            reverses_id=self.reverses.transfer.id if self.reverses else None,
            at=self.at,
        )
        if self.then is not None:
            self.then(self.transfer)


@dataclass
class _World:
    rng: random.Random
    now: datetime
    zone: ZoneInfo
    admin: User
    users: dict[str, User]  # by display name
    spaces: dict[int, dict[int, datetime]]  # user id -> {space id: active since}
    coordinates: dict[int, dict[int, datetime]]  # user id -> {space id: coordinator since}
    skills: dict[int, set[str]]  # user id -> skill slugs
    listings: dict[str, Listing]  # by title
    accounts: dict[int, Account]  # user id -> time account
    pot: Account
    floor: int
    ceiling: int
    featured: set[int]
    log_days: int
    rules: object  # the rules' row, held so that each transfer finds it in the session
    balance: dict[int, int] = field(default_factory=dict)  # account id -> minutes, as it goes
    plans: list[_Plan] = field(default_factory=list)
    exchanges: list[tuple[Exchange, list[Step]]] = field(default_factory=list)
    moves: list[_Move] = field(default_factory=list)  # in date order
    afterwards: list[Callable[[], object]] = field(default_factory=list)  # once ids exist
    reserved: int = 0  # minutes of the pot that a correction will take back

    def since(self, user: User) -> datetime:
        """When the member first became active in a space of the network."""
        return min(self.spaces[user.id].values())

    def user(self, name: str) -> User:
        return self.users[name]

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    def daytime(self, day: datetime, earliest: int = 9, latest: int = 19) -> datetime:
        """A moment of that day between `earliest` and `latest` o'clock, Paris time."""
        local = day.astimezone(self.zone)
        start = local.replace(hour=earliest, minute=0, second=0, microsecond=0)
        moment = start + timedelta(minutes=self.rng.randint(0, (latest - earliest) * 60))
        return min(moment.astimezone(day.tzinfo), self.now)  # today's: never later than now

    def awake(self, moment: datetime) -> datetime:
        """The moment, or the next morning when it falls in the night (Paris time)."""
        local = moment.astimezone(self.zone)
        minutes = self.rng.randint(0, 150)  # drawn in any case: the draws stay the same
        if 8 <= local.hour < 22:
            return moment
        if local.hour >= 22:
            local += timedelta(days=1)
        morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
        return min((morning + timedelta(minutes=minutes)).astimezone(moment.tzinfo), self.now)


def add(rng: random.Random, now: datetime, admin: User, spaces: dict[str, Space]) -> None:
    """Give the demo network its exchanges and history, and commit (after `demo.seed`)."""
    _admin_joins(admin, spaces[ADMIN_SPACE])
    world = _load(rng, now, admin)
    _plan_history(world)
    _run(world)  # decides everything, in date order, balances kept in `world.balance`
    _write_history(world)
    recent = _Recent.of(world)
    db.session.commit()
    # What follows goes through the services, one commit each: a small session keeps it fast.
    db.session.expunge_all()
    for story in RECENT:
        _play(recent, story)
    for log in RECENT_LOGS:
        _play_log(recent, *log)
    db.session.commit()


def _write_history(w: _World) -> None:
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


def _dice(parent: random.Random) -> random.Random:
    return random.Random(parent.getrandbits(64))


def _run(w: _World) -> None:
    """Play the history in date order; a plan that answers with a plan is put off till then.

    Each plan draws from a generator of its own, seeded in the order the plans were made:
    what one plan picks does not depend on how many draws the plans before it made."""
    main = w.rng
    for plan in w.plans:
        plan.rng = _dice(main)
    queue = [(plan.at, i, plan) for i, plan in enumerate(w.plans)]
    heapq.heapify(queue)
    count = len(queue)
    while queue:
        _when, _i, plan = heapq.heappop(queue)
        w.rng = plan.rng
        if isinstance(later := plan.run(), _Plan):
            later.rng = _dice(plan.rng)
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


def _load(rng: random.Random, now: datetime, admin: User) -> _World:
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
        a.user_id: a for a in db.session.scalars(select(Account).where(Account.kind == "member"))
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
    return _World(
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


# ---------------------------------------------------------------------------- writing


def _fits(w: _World, payer: Account, payee: Account, minutes: int) -> bool:
    """Whether the movement stays within the limits (the ledger would refuse it otherwise)."""
    floor = 0 if payer.is_pot else w.floor
    if w.balance[payer.id] - minutes < floor:
        return False
    return payee.is_pot or w.balance[payee.id] + minutes <= w.ceiling


def _move(
    w: _World,
    kind: str,
    payer: Account,
    payee: Account,
    minutes: int,
    reason: str,
    author,
    at,
    **more,
) -> _Move | None:
    """Decide a movement if the limits allow it then (None otherwise)."""
    if not _fits(w, payer, payee, minutes):
        return None
    w.balance[payer.id] -= minutes
    w.balance[payee.id] += minutes
    move = _Move(
        at, kind, payer.id, payee.id, minutes, reason, author.id if author else None, **more
    )
    w.moves.append(move)
    return move


def _write(
    w: _World,
    *,
    provider: User,
    receiver: User,
    initiator: User,
    title: str,
    steps: list[Step],
    listing: Listing | None = None,
    message: str = "",
    foreseen: int | None = None,
    performed_on: date | None = None,
) -> Exchange:
    """An exchange of the history with its steps; its state follows from the last one.
    Written with the others by `_write_history`."""
    exchange = Exchange(
        listing_id=listing.id if listing else None,
        provider_id=provider.id,
        receiver_id=receiver.id,
        initiator_id=initiator.id,
        title=title[:120],
        message=message,
        foreseen_minutes=foreseen,
        performed_on=performed_on,
        created_at=steps[0].at,
        updated_at=steps[-1].at,
    )
    state = "proposed"
    for step in steps:
        if step.kind == "logged":
            state = "done"
            exchange.minutes = step.minutes
            exchange.logged_by_id = step.actor.id
            exchange.logged_at = step.at
            exchange.expires_at = step.at + timedelta(days=w.log_days)
        elif step.kind == "disputed":
            state = "disputed"
            exchange.dispute_reason = step.text
        elif step.kind == "resolved":
            state = "confirmed" if step.minutes else "cancelled"
            exchange.resolved_by_id = step.actor.id
            exchange.minutes = step.minutes or exchange.minutes
        else:
            state = step.kind
    exchange.state = state
    if state not in OPEN_STATES:
        exchange.closed_at = steps[-1].at
    w.exchanges.append((exchange, steps))
    return exchange


def _settle(exchange: Exchange, w: _World, author: User, minutes: int, reason: str, at) -> None:
    payer, payee = w.accounts[exchange.receiver_id], w.accounts[exchange.provider_id]
    if _move(w, "settlement", payer, payee, minutes, reason, author, at, exchange=exchange) is None:
        raise AssertionError(f"checked before: {exchange.title}")


def _done_minutes(w: _World, foreseen: int | None) -> tuple[int, str]:
    """The time actually given against the time foreseen, and what the logger says."""
    if foreseen is None:
        return w.rng.choice([60, 90, 120, 150, 180]), w.rng.choice(NOTES_AS_FORESEEN)
    delta = w.rng.choice([-30, -15, 0, 0, 0, 0, 15, 30, 60])
    minutes = max(30, foreseen + delta)
    if minutes > foreseen:
        return minutes, w.rng.choice(NOTES_LONGER)
    if minutes < foreseen:
        return minutes, w.rng.choice(NOTES_SHORTER)
    return minutes, w.rng.choice(NOTES_AS_FORESEEN)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _proposal(w: _World, listing: Listing, why: str) -> str:
    templates = OFFER_PROPOSALS if listing.kind == "offer" else REQUEST_PROPOSALS
    slot = w.rng.choice(SLOTS)
    return w.rng.choice(templates).format(
        first=listing.author.display_name.split()[0],
        why=why,
        Why=_cap(why),
        slot=slot,
        Slot=_cap(slot),
    )


def _de_mois(day: date) -> str:
    month = MONTHS[day.month - 1]
    return f"d'{month}" if month[0] in "ao" else f"de {month}"


def _le_jour(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"


# ---------------------------------------------------------------------------- history


def _plan_history(w: _World) -> None:
    start = w.now - timedelta(days=HISTORY_DAYS)
    for listing in w.listings.values():
        _plan_listing(w, listing, start)
    for direct in DIRECT_LOGS:
        _plan_direct(w, direct, start)
    _plan_gifts(w, start)
    _plan_pot(w, start)
    _plan_stories(w)


def _listing_window(w: _World, listing: Listing, start: datetime) -> tuple[datetime, datetime]:
    """When a listing could be answered: from the day after it was published until it was
    paused, closed or expired, and at the latest a few days ago."""
    begin = max(start, listing.created_at + timedelta(days=1))
    end = w.now - SETTLED_BEFORE
    if listing.status in ("paused", "closed"):
        end = min(end, listing.updated_at - timedelta(days=1))
    end = min(end, listing.expires_at - timedelta(days=1))
    return begin, end


def _plan_listing(w: _World, listing: Listing, start: datetime) -> None:
    """A few settled exchanges on a listing, over the time it was visible."""
    if listing.kind == "offer":
        if listing.title not in OFFER_NEEDS:
            return
    elif listing.title not in REQUEST_HELPERS:
        return
    begin, end = _listing_window(w, listing, start)
    days = (end - begin).total_seconds() / 86400
    if days < 4:
        return
    count = min(2, int(days / w.rng.uniform(30, 45)))
    if listing.author_id in w.featured:
        count += 1
    answered: set[int] = set()
    for _ in range(count):
        proposed = w.awake(begin + (end - begin) * w.rng.random() * 0.8)
        accepted = w.awake(proposed + timedelta(hours=w.rng.uniform(2, 30)))
        performed = w.daytime(accepted + timedelta(days=w.rng.uniform(1, 8)))
        logged = min(w.awake(performed + timedelta(hours=w.rng.uniform(1, 20))), end)
        confirmed = w.awake(logged + timedelta(hours=w.rng.uniform(2, 60)))
        if not (accepted < performed < logged < confirmed < w.now - timedelta(hours=12)):
            continue
        times = (proposed, accepted, performed, logged, confirmed)
        w.plans.append(_Plan(confirmed, partial(_listing_exchange, w, listing, times, answered)))


def _counterpart(w: _World, listing: Listing, at: datetime, answered: set[int]) -> User | None:
    """Who answers the listing then: a member already there (in its space when on site),
    with the skills a request asks for, able to pay or be paid within the limits."""
    helpers = set()
    if listing.kind == "request":
        helpers = {slugify(name) for name in REQUEST_HELPERS[listing.title][0]}
    minutes = listing.estimated_minutes or 120
    author = w.accounts[listing.author_id]
    people, weights = [], []
    for user in w.users.values():
        spaces = w.spaces.get(user.id)
        if user.id == listing.author_id or user.id in answered or not spaces:
            continue
        joined = spaces.get(listing.space_id) if listing.mode == "on_site" else min(spaces.values())
        if joined is None or joined > at - timedelta(days=1):
            continue
        if helpers and not helpers & w.skills[user.id]:
            continue
        account = w.accounts[user.id]
        payer, payee = (account, author) if listing.kind == "offer" else (author, account)
        if not _fits(w, payer, payee, minutes + 60):
            continue
        weight = 3.0 if user.id in w.featured else 1.0
        if listing.space_id in spaces:
            weight *= 3
        # Who has received a lot tends to give back, and the other way round.
        balance = w.balance[account.id]
        lean = balance / 600 if listing.kind == "offer" else -balance / 600
        weight *= min(3.0, max(0.25, 1 + lean))
        people.append(user)
        weights.append(weight)
    if not people:
        return None
    return w.rng.choices(people, weights)[0]


def _listing_exchange(w: _World, listing: Listing, times, answered: set[int]) -> None:
    proposed, accepted, performed, logged, confirmed = times
    other = _counterpart(w, listing, proposed, answered)
    if other is None:
        return
    author = listing.author
    provider, receiver = (author, other) if listing.kind == "offer" else (other, author)
    foreseen = listing.estimated_minutes
    minutes, note = _done_minutes(w, foreseen)
    if not _fits(w, w.accounts[receiver.id], w.accounts[provider.id], minutes):
        return
    if listing.kind == "offer":
        why = w.rng.choice(OFFER_NEEDS[listing.title])
    else:
        why = w.rng.choice(REQUEST_HELPERS[listing.title][1])
    message = _proposal(w, listing, why)
    logger = provider if w.rng.random() < 0.75 else receiver
    confirmer = receiver if logger is provider else provider
    answered.add(other.id)
    exchange = _write(
        w,
        provider=provider,
        receiver=receiver,
        initiator=other,
        title=listing.title,
        listing=listing,
        message=message,
        foreseen=foreseen,
        performed_on=w.local_day(performed),
        steps=[
            Step("proposed", other, proposed, foreseen, message),
            Step("accepted", author, accepted, None, w.rng.choice(ACCEPTS)),
            Step("logged", logger, logged, minutes, note),
            Step("confirmed", confirmer, confirmed, minutes),
        ],
    )
    _settle(exchange, w, confirmer, minutes, listing.title, confirmed)


def _direct_window(w: _World, provider: User, receiver: User, start: datetime):
    begin = max(start, w.since(provider), w.since(receiver)) + timedelta(days=1)
    return begin, w.now - timedelta(days=2)


def _plan_direct(w: _World, direct: Direct, start: datetime) -> None:
    provider, receiver = w.user(direct.provider), w.user(direct.receiver)
    begin, end = _direct_window(w, provider, receiver, start)
    if end - begin < timedelta(days=2):
        return
    # More of them in the first months, when there were fewer listings to answer.
    performed = w.daytime(begin + (end - begin) * w.rng.random() ** 1.4 * 0.9)
    logged = w.awake(performed + timedelta(hours=w.rng.uniform(1, 30)))
    confirmed = w.awake(logged + timedelta(hours=w.rng.uniform(1, 72)))
    if confirmed >= w.now - timedelta(hours=6):
        return
    logger = provider if w.rng.random() < 0.75 else receiver
    w.plans.append(
        _Plan(confirmed, partial(_direct_exchange, w, direct, logger, performed, logged, confirmed))
    )


def _direct_exchange(w: _World, direct: Direct, logger: User, performed, logged, confirmed):
    provider, receiver = w.user(direct.provider), w.user(direct.receiver)
    if not _fits(w, w.accounts[receiver.id], w.accounts[provider.id], direct.minutes):
        return None
    confirmer = receiver if logger is provider else provider
    exchange = _write(
        w,
        provider=provider,
        receiver=receiver,
        initiator=logger,
        title=direct.title,
        message=direct.message,
        performed_on=w.local_day(performed),
        steps=[
            Step("logged", logger, logged, direct.minutes, direct.message),
            Step("confirmed", confirmer, confirmed, direct.minutes),
        ],
    )
    _settle(exchange, w, confirmer, direct.minutes, direct.title, confirmed)
    return exchange


def _gift(w: _World, giver: User, to: Account, minutes: int, message: str, at: datetime):
    return _move(w, "gift", w.accounts[giver.id], to, minutes, message, giver, at)


def _plan_gifts(w: _World, start: datetime) -> None:
    for giver_name, recipient_name, minutes, message in GIFTS:
        giver, recipient = w.user(giver_name), w.user(recipient_name)
        begin = max(start, w.since(giver), w.since(recipient)) + timedelta(hours=6)
        end = w.now - timedelta(hours=3)
        if begin >= end:
            continue
        at = w.awake(begin + (end - begin) * w.rng.uniform(0.2, 0.9))
        w.plans.append(_Plan(at, partial(_gift, w, giver, w.accounts[recipient.id], minutes,
                                         message, at)))  # fmt: skip


def _plan_pot(w: _World, start: datetime) -> None:
    """Gifts to the pot all along, and retributions from it in between, always a gift or two
    behind, so that the pot has something to give."""
    gifts, retributions = iter(POT_GIFTS), iter(RETRIBUTIONS)
    order = ["gift", "gift"] + ["retribution", "gift"] * len(RETRIBUTIONS)
    first = start + timedelta(days=20)
    span = (w.now - timedelta(days=2) - first) / len(order)
    for i, what in enumerate(order):
        at = w.daytime(first + span * (i + w.rng.uniform(0.1, 0.9)), 8, 21)
        if what == "gift":
            minutes, message = next(gifts)
            w.plans.append(_Plan(at, partial(_pot_gift, w, minutes, message, at)))
            continue
        coordinator, member, minutes, reason = next(retributions)
        reason = reason.format(de_mois=_de_mois(w.local_day(at - timedelta(days=6))))
        w.plans.append(_Plan(at, partial(_retribute, w, w.user(coordinator), w.user(member),
                                         minutes, reason, at)))  # fmt: skip


def _pot_gift(w: _World, minutes: int, message: str, at: datetime):
    """Whoever has time to spare then gives it to the pot (in the first weeks, what they can)."""
    people, weights = [], []
    for user in w.users.values():
        spaces = w.spaces.get(user.id)
        balance = w.balance[w.accounts[user.id].id]
        if spaces and min(spaces.values()) < at and balance >= 60:
            people.append(user)
            weights.append(balance * (2 if user.id in w.featured else 1))
    if not people:
        return None
    giver = w.rng.choices(people, weights)[0]
    minutes = min(minutes, w.balance[w.accounts[giver.id].id] // 30 * 30)
    return _gift(w, giver, w.pot, minutes, message, at)


def _retribute(w: _World, coordinator: User, member: User, minutes: int, reason: str, at):
    """A coordinator of a space of the member pays them from the pot, logged with its reason."""
    shared = [
        s
        for s in w.spaces.get(member.id, {})
        if coordinator.is_admin or w.coordinates.get(coordinator.id, {}).get(s, at) < at
    ]
    if not shared or w.since(member) >= at:
        return None
    if w.balance[w.pot.id] - w.reserved < minutes:  # paid once the pot has it
        later = w.daytime(at + timedelta(days=3))
        if later < w.now - timedelta(days=1):
            return _Plan(later, partial(_retribute, w, coordinator, member, minutes, reason, later))
        return None
    space_id = min(shared)

    def log(transfer: Transfer) -> None:
        entry = audit.record(
            coordinator.id,
            "pot_retribution",
            reason=reason,
            space_id=space_id,
            subject_user_id=member.id,
            target_type="transfer",
            target_id=transfer.id,
            minutes=minutes,
        )
        entry.created_at = at

    payee = w.accounts[member.id]
    return _move(w, "retribution", w.pot, payee, minutes, reason, coordinator, at, then=log)


def _window(w: _World, *people: User, listing: Listing | None = None, days: float = 125):
    """From when these members were all there (and the listing published) until a few
    days ago, within the last `days` days."""
    begin = max([w.now - timedelta(days=days)] + [w.since(p) + timedelta(days=1) for p in people])
    end = w.now - SETTLED_BEFORE
    if listing is not None:
        listing_begin, listing_end = _listing_window(w, listing, w.now - timedelta(days=days))
        begin, end = max(begin, listing_begin), min(end, listing_end)
    return begin, end


def _plan_stories(w: _World) -> None:
    """The exchanges of the history that did not go as planned, and a few that shaped how
    listings look today."""
    _plan_answered(w)
    _plan_declined_and_cancelled(w)
    _plan_disputes(w)
    _plan_duplicate(w)
    _plan_expired(w)
    _plan_correction(w)


def _answer_listing(
    w: _World,
    title: str,
    name: str,
    at: datetime,
    message: str,
    *,
    answer: str = "",
    outcome: str = "confirmed",
    minutes: int | None = None,
    note: str = "",
    who_cancels: str = "initiator",
    text: str = "",
) -> _Plan:
    """A scripted exchange on a listing, proposed at `at`: confirmed (minutes, note),
    declined (text), or accepted then cancelled (text)."""
    listing, other = w.listings[title], w.user(name)
    author = listing.author
    provider, receiver = (author, other) if listing.kind == "offer" else (other, author)
    accepted = w.awake(at + timedelta(hours=w.rng.uniform(3, 20)))
    steps = [Step("proposed", other, at, listing.estimated_minutes, message)]
    if outcome == "declined":
        steps.append(Step("declined", author, accepted, None, text))
    else:
        steps.append(Step("accepted", author, accepted, None, answer))
    if outcome == "cancelled":
        canceller = other if who_cancels == "initiator" else author
        steps.append(Step("cancelled", canceller, accepted + timedelta(days=2), None, text))
    performed = None
    if outcome == "confirmed":
        performed = w.daytime(accepted + timedelta(days=w.rng.uniform(1, 4)))
        logged = w.awake(performed + timedelta(hours=w.rng.uniform(2, 8)))
        steps.append(Step("logged", provider, logged, minutes, note))
        steps.append(Step("confirmed", receiver, w.awake(logged + timedelta(hours=20)), minutes))

    def run():
        if outcome == "confirmed" and not _fits(
            w, w.accounts[receiver.id], w.accounts[provider.id], minutes
        ):
            return
        exchange = _write(
            w,
            provider=provider,
            receiver=receiver,
            initiator=other,
            title=listing.title,
            listing=listing,
            message=message,
            foreseen=listing.estimated_minutes,
            performed_on=w.local_day(performed) if performed else None,
            steps=steps,
        )
        if outcome == "confirmed":
            _settle(exchange, w, receiver, minutes, listing.title, steps[-1].at)

    return _Plan(steps[-1].at, run)


def _plan_answered(w: _World) -> None:
    """Two requests closed by their authors once someone had helped."""
    for title, name, message, answer, minutes, note in [
        ("Je cherche quelqu'un pour relire mon contrat d'édition", "Olivier Marchand",
         "Bonjour Louise, je relis régulièrement des contrats, y compris d'édition : cession de "
         "droits, durée, à-valoir… On le regarde ensemble ?",
         "Oh oui, merci Olivier ! L'éditeur attend ma réponse la semaine prochaine.", 90,
         "Trois clauses à renégocier, dont la durée de cession. Bon courage avec l'éditeur !"),
        ("Je cherche qui m'aide à préparer mon premier atelier sur les données",
         "Pierre-Yves Kerjean",
         "Bonjour Kevin, j'anime souvent des ateliers et je serais content de t'aider à "
         "construire le déroulé du tien : objectifs, timing, petits exercices.",
         "Merci ! Mardi soir au Quai ?", 90,
         "Déroulé en trois temps, avec un exercice sur de vraies données du Quai."),
    ]:  # fmt: skip
        listing = w.listings[title]
        begin, end = _window(w, w.user(name), listing=listing)
        end -= timedelta(days=3)  # done and confirmed before the author closed it
        if end > begin:
            at = w.daytime(begin + (end - begin) * w.rng.uniform(0, 0.3))
            w.plans.append(
                _answer_listing(w, title, name, at, message, answer=answer, minutes=minutes,
                                note=note)
            )  # fmt: skip


def _plan_declined_and_cancelled(w: _World) -> None:
    portfolio = "Je cherche un·e graphiste pour repenser mon portfolio"
    begin, end = _window(w, w.user("Louise Mercier"), w.user("Jérémie Bonnet"),
                         listing=w.listings[portfolio])  # fmt: skip
    if end - begin > timedelta(days=12):
        declined = w.daytime(begin + (end - begin) * 0.2)
        w.plans.append(_answer_listing(
            w, portfolio, "Louise Mercier", declined,
            "Bonjour Sarah, j'aime beaucoup tes photos culinaires : je peux te proposer une "
            "nouvelle mise en page de ton portfolio, en visio.",
            outcome="declined",
            text="Merci beaucoup Louise ! Jérémie m'a proposé la même chose à la coopérative et "
                 "on se voit demain : je garde ton nom pour ma prochaine plaquette.",
        ))  # fmt: skip
        w.plans.append(_answer_listing(
            w, portfolio, "Jérémie Bonnet", declined + timedelta(hours=2),
            "Salut Sarah, on en parlait à la réunion coopérative : je te propose de repenser ton "
            "portfolio autour de trois séries, avec une maquette imprimable.",
            answer="Avec plaisir, Jérémie ! Demain à l'atelier ?", minutes=150,
            note="Maquette en trois séries, prête pour l'impression.",
        ))  # fmt: skip

    bees = "Découvrir les abeilles : une visite des ruches"
    begin, end = _window(w, w.user("Thomas Lefebvre"), listing=w.listings[bees])
    if end > begin:
        w.plans.append(_answer_listing(
            w, bees, "Thomas Lefebvre", w.daytime(begin + (end - begin) * 0.5),
            "Bonjour Bertrand, je monte régulièrement à la ferme pour le wifi : je rêverais de "
            "voir les ruches la prochaine fois !",
            outcome="declined",
            text="Merci Thomas ! Les ruches sont fermées pour l'hiver, on ne les ouvre plus avant "
                 "le printemps : repropose-moi dès les premiers beaux jours.",
        ))  # fmt: skip

    meal = "Je cherche des mains pour cuisiner le grand repas du Repair Café"
    begin, end = _window(w, w.user("Marta Kowalska"), listing=w.listings[meal])
    if end > begin:
        w.plans.append(_answer_listing(
            w, meal, "Marta Kowalska", w.daytime(begin + (end - begin) * 0.3),
            "Bonjour Diego, je ne suis pas cheffe mais j'épluche vite : compte sur moi pour le "
            "repas !",
            outcome="cancelled", answer="Merci Marta ! Rendez-vous à 9 h à la cuisine de la "
                                        "Filature.",
            text="Je suis malade comme un chien depuis hier, je ne pourrai pas venir samedi. "
                 "Vraiment désolée, Diego !",
        ))  # fmt: skip

    truck = "Je cherche un camion pour récupérer un stock de tissus à Rezé"
    begin, end = _window(w, w.user("Diego Fernandes"), listing=w.listings[truck])
    if end > begin:
        w.plans.append(_answer_listing(
            w, truck, "Diego Fernandes", w.daytime(begin + (end - begin) * 0.4),
            "Bonjour Gaëlle, j'ai le camion de la cantine le mercredi : je peux t'emmener à Rezé "
            "récupérer les tissus.",
            outcome="cancelled", who_cancels="author",
            answer="Super, merci Diego ! Mercredi 10 h devant L'Écluse ?",
            text="L'association nous livre finalement le stock elle-même : plus besoin du "
                 "camion. Merci quand même, Diego !",
        ))  # fmt: skip


def _plan_disputes(w: _World) -> None:
    """A dispute a coordinator resolved by confirming fewer minutes than logged."""
    bike = w.listings["Réparation de vélos dans la cour, le vendredi midi"]
    karim, malik, thomas = bike.author, w.user("Malik Traoré"), w.user("Thomas Lefebvre")
    begin, end = _window(w, malik, listing=bike)
    if end - begin > timedelta(days=10):
        proposed = w.daytime(begin + (end - begin) * 0.3)
        accepted = proposed + timedelta(hours=5)
        logged = w.daytime(accepted + timedelta(days=3), 14, 18)
        disputed = logged + timedelta(hours=22)
        resolved = disputed + timedelta(days=2, hours=3)
        reason = (
            "Après en avoir parlé avec vous deux : 2 h, le temps de la réparation et des "
            "réglages. La discussion sur le référencement peut faire l'objet d'un échange à part."
        )
        steps = [
            Step("proposed", malik, proposed, 60,
                 "Salut Karim, ma roue arrière frotte et mes freins ne freinent plus beaucoup. "
                 "Vendredi midi ?"),
            Step("accepted", karim, accepted, None, "Oui, passe dans la cour vers 12 h 30."),
            Step("logged", karim, logged, 180, "Roue, freins, câbles : ton vélo est comme neuf !"),
            Step("disputed", malik, disputed, None,
                 "La réparation a pris 1 h 30 ; le reste du temps, on a parlé référencement "
                 "autour d'un café, ça ne compte pas comme de la mécanique."),
            Step("resolved", thomas, resolved, 120, reason),
        ]  # fmt: skip
        w.plans.append(_Plan(resolved, partial(_resolved, w, bike, karim, malik, steps, 120)))
        thanks = resolved + timedelta(days=1, hours=2)
        w.plans.append(_Plan(thanks, partial(
            _gift, w, karim, w.accounts[malik.id], 60,
            "Sans rancune pour le vélo : une heure pour le café et les conseils de "
            "référencement !", thanks)))  # fmt: skip


def _plan_duplicate(w: _World) -> None:
    """Time logged twice for the same help: the second log, disputed, is cancelled."""
    rachid, mamadou, justine = (
        w.user("Rachid Bouzid"), w.user("Mamadou Sow"), w.user("Justine Carré"))  # fmt: skip
    linux = Direct("Rachid Bouzid", "Mamadou Sow",
                   "Installation de Linux sur deux portables du Repair Café", 180)  # fmt: skip
    begin, end = _direct_window(w, rachid, mamadou, w.now - timedelta(days=HISTORY_DAYS))
    if end - begin > timedelta(days=30):
        performed = w.daytime(begin + (end - begin) * 0.45)
        logged = w.awake(performed + timedelta(hours=4))
        confirmed = w.awake(logged + timedelta(hours=26))
        w.plans.append(_Plan(confirmed, partial(_direct_exchange, w, linux, rachid, performed,
                                                logged, confirmed)))  # fmt: skip
        again = w.daytime(confirmed + timedelta(days=6))
        disputed = w.awake(again + timedelta(hours=20))
        resolved = disputed + timedelta(days=1, hours=4)
        reason = (
            f"Doublon de l'échange confirmé le {_le_jour(w.local_day(confirmed))} : annulé pour "
            "que ces 3 h ne comptent pas deux fois."
        )
        steps = [
            Step("logged", rachid, again, 180, ""),
            Step("disputed", mamadou, disputed, None,
                 "Ce temps est déjà déclaré et confirmé depuis la semaine dernière : c'est un "
                 "doublon."),
            Step("resolved", justine, resolved, None, reason),
        ]  # fmt: skip
        w.plans.append(
            _Plan(resolved, partial(_resolved, w, None, rachid, mamadou, steps, None, linux.title))
        )


def _resolved(w, listing, provider, receiver, steps, minutes, title=None):
    """A disputed exchange a coordinator resolved: settled with `minutes`, or cancelled."""
    if minutes and not _fits(w, w.accounts[receiver.id], w.accounts[provider.id], minutes):
        return
    first = steps[0]
    exchange = _write(
        w,
        provider=provider,
        receiver=receiver,
        initiator=first.actor,
        title=title or listing.title,
        listing=listing,
        message=first.text,
        foreseen=first.minutes if first.kind == "proposed" else None,
        performed_on=w.local_day(steps[-3].at),
        steps=steps,
    )
    resolution = steps[-1]
    if minutes:
        _settle(exchange, w, resolution.actor, minutes, resolution.text, resolution.at)
    coordinator = resolution.actor
    shared = sorted(
        set(w.coordinates.get(coordinator.id, {}))
        & (set(w.spaces[provider.id]) | set(w.spaces[receiver.id]))
    )

    def log() -> None:
        entry = audit.record(
            coordinator.id,
            "exchange_resolved",
            reason=resolution.text,
            space_id=shared[0] if shared else None,
            subject_user_id=provider.id,
            target_type="exchange",
            target_id=exchange.id,
            outcome="confirm" if minutes else "cancel",
            minutes=minutes,
            receiver_id=receiver.id,
            title=exchange.title,
        )
        entry.created_at = resolution.at

    w.afterwards.append(log)


def _plan_expired(w: _World) -> None:
    """Two logs nobody confirmed in time; one of them was made up for with a gift."""
    for provider, receiver, title, minutes, message, amends in [
        ("Gaëlle Le Gall", "Diego Fernandes", "Retouche des rideaux de la cantine", 90,
         "Rideaux raccourcis et ourlés, il ne reste qu'à les raccrocher !",
         "Pour la retouche des rideaux, que j'ai oublié de confirmer à temps : pardon, et "
         "merci !"),
        ("Élodie Perrin", "Rachid Bouzid", "Mise en page de la notice des ordinateurs de récup",
         60, "", ""),
    ]:  # fmt: skip
        giver, taker = w.user(provider), w.user(receiver)
        begin, end = _direct_window(w, giver, taker, w.now - timedelta(days=HISTORY_DAYS))
        end -= timedelta(days=w.log_days + 3)
        if end <= begin:
            continue
        logged = w.daytime(begin + (end - begin) * w.rng.uniform(0.3, 0.9))
        expired = w.daytime(logged + timedelta(days=w.log_days, hours=24), 3, 4)
        steps = [
            Step("logged", giver, logged, minutes, message),
            Step("expired", None, expired, minutes),
        ]

        def run(giver=giver, taker=taker, title=title, message=message, steps=steps):
            _write(
                w,
                provider=giver,
                receiver=taker,
                initiator=giver,
                title=title,
                message=message,
                performed_on=w.local_day(steps[0].at),
                steps=steps,
            )

        w.plans.append(_Plan(expired, run))
        if amends:
            at = expired + timedelta(days=1, hours=5)
            w.plans.append(_Plan(at, partial(_gift, w, taker, w.accounts[giver.id], 90, amends,
                                             at)))  # fmt: skip


def _plan_correction(w: _World) -> None:
    """A gift of 10 h typed instead of 1 h, reversed by the admin, then given again."""
    lyon = [w.user(name) for name in CORRECTED_GIVERS]
    begin = max([w.now - timedelta(days=HISTORY_DAYS)] + [w.since(u) for u in lyon])
    begin += timedelta(days=10)
    end = w.now - timedelta(days=10)
    if end <= begin:
        return
    at = w.daytime(begin + (end - begin) * 0.5, 9, 12)
    fixed_at, again_at = at + timedelta(hours=3), at + timedelta(hours=3, minutes=20)
    message = "Pour la caisse commune : merci pour l'accueil aux Ateliers."
    done: list = []  # the giver, the mistake, its correction

    def give_too_much():
        giver = next((u for u in lyon if _fits(w, w.accounts[u.id], w.pot, 600)), None)
        if giver is not None and (mistake := _gift(w, giver, w.pot, 600, message, at)):
            done.extend([giver, mistake])
            w.reserved = 600  # the pot cannot pay it out before it is given back

    def correct():
        w.reserved = 0
        if not done:
            return
        giver, mistake = done
        reason = (
            f"{giver.display_name.split()[0]} voulait donner 1 h et a saisi 10 h : mouvement "
            "annulé à sa demande, le bon don suit."
        )

        def log(correction: Transfer) -> None:
            entry = audit.record(
                w.admin.id,
                "transfer_corrected",
                reason=reason,
                subject_user_id=giver.id,
                target_type="transfer",
                target_id=mistake.transfer.id,
                correction_id=correction.id,
                minutes=600,
            )
            entry.created_at = fixed_at

        payee = w.accounts[giver.id]
        if _move(w, "correction", w.pot, payee, 600, reason, w.admin, fixed_at,
                 reverses=mistake, then=log):  # fmt: skip
            done.append("corrected")

    def give_again():
        if len(done) == 3:
            _gift(w, done[0], w.pot, 60, message + " (La bonne durée, cette fois !)", again_at)

    w.plans += [_Plan(at, give_too_much), _Plan(fixed_at, correct), _Plan(again_at, give_again)]


# ---------------------------------------------------------------------------- the last days


@dataclass
class _Recent:
    """What the last days need to know of the network, as plain values: the session is
    emptied before they are played."""

    rng: random.Random
    now: datetime
    zone: ZoneInfo
    log_days: int
    users: dict[str, int]  # display name -> id
    since: dict[int, datetime]  # user id -> active since
    listings: dict[str, tuple[int, int, str, datetime]]  # title -> id, author, kind, published

    @classmethod
    def of(cls, w: _World) -> _Recent:
        return cls(
            rng=w.rng,
            now=w.now,
            zone=w.zone,
            log_days=w.log_days,
            users={name: u.id for name, u in w.users.items()},
            since={uid: min(spaces.values()) for uid, spaces in w.spaces.items()},
            listings={
                t: (li.id, li.author_id, li.kind, li.created_at) for t, li in w.listings.items()
            },
        )

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()


def _recent_times(w: _Recent, days: tuple[float, ...], earliest: datetime) -> list[datetime]:
    """The moments of the steps, `days` ago, after `earliest`, in order, before now."""
    latest = w.now - timedelta(minutes=10)
    times, previous = [], earliest
    for ago in days:
        moment = w.now - timedelta(days=ago + w.rng.uniform(-0.05, 0.05))
        local, minute = moment.astimezone(w.zone), w.rng.randint(0, 59)
        if not 8 <= local.hour < 22:  # in the night: the evening before
            evening = local - timedelta(days=1 if local.hour < 8 else 0)
            moment = evening.replace(hour=21, minute=minute).astimezone(moment.tzinfo)
        moment = max(moment, previous + timedelta(minutes=20))
        times.append(moment)
        previous = moment
    if times[-1] > latest:  # too little room: spread them evenly
        gap = (latest - earliest) / (len(days) + 1)
        times = [earliest + gap * (i + 1) for i in range(len(days))]
    return times


def _at(w: _Recent, at: datetime, call: Callable[[], Exchange]) -> int:
    """Run a service call, then date what it wrote (the step, its notifications) at `at`.

    The service dates them now; everything dated before is history. The new dates ride with
    the next call's transaction (or the last commit of `add`)."""
    outbox.mute_until_commit()  # the services email the parties: the demo's addresses get nothing
    exchange = call()
    for event in exchange.events:
        if event.created_at >= w.now:
            event.created_at = at
    for note in db.session.scalars(select(Notification).where(Notification.created_at >= w.now)):
        note.created_at = at
    if len(exchange.events) == 1:
        exchange.created_at = at
    exchange.updated_at = at
    if exchange.state == "done" and exchange.events[-1].kind == "logged":
        exchange.logged_at = at
        exchange.expires_at = at + timedelta(days=w.log_days)
    return exchange.id


def _play(w: _Recent, story: Recent) -> None:
    """An exchange of the last days: its earlier steps written as they were, its last one
    (the one that leaves it waiting) played through the service, which tells who it waits on.
    Stories that end closed (declined, cancelled) are written whole."""
    listing_id, author_id, kind, published = w.listings[story.listing]
    initiator_id = w.users[story.initiator]
    earliest = max(published, w.since[initiator_id]) + timedelta(minutes=30)
    times = _recent_times(w, story.days, earliest)
    if not story.steps:
        call = partial(
            lifecycle.propose,
            initiator_id,
            listing_id,
            message=story.message,
            foreseen_minutes=story.foreseen,
        )
        _at(w, times[0], call)
        return
    people = {"initiator": initiator_id, "author": author_id}
    provider, receiver = (author_id, initiator_id) if kind == "offer" else (initiator_id, author_id)
    exchange = Exchange(
        listing_id=listing_id,
        provider_id=provider,
        receiver_id=receiver,
        initiator_id=initiator_id,
        state="proposed",
        title=story.listing,
        message=story.message,
        foreseen_minutes=story.foreseen,
        created_at=times[0],
        updated_at=times[0],
    )
    events = [
        ExchangeEvent(
            actor_id=initiator_id,
            kind="proposed",
            minutes=story.foreseen,
            message=story.message,
            created_at=times[0],
        )
    ]
    last = story.steps[-1]
    closed = last[0] in ("decline", "cancel")
    written = story.steps if closed else story.steps[:-1]
    for step, at in zip(written, times[1:], strict=False):
        verb = step[0]
        actor, text, minutes = author_id, step[-1], None
        if verb == "cancel":
            actor = people[step[1]]
        elif verb == "log":
            actor, minutes = people[step[1]], step[2]
            exchange.minutes, exchange.logged_by_id = minutes, actor
            exchange.logged_at, exchange.performed_on = at, w.local_day(at)
            exchange.expires_at = at + timedelta(days=w.log_days)
        kind_of = {"accept": "accepted", "decline": "declined", "cancel": "cancelled"}
        exchange.state = kind_of.get(verb, "done")
        events.append(
            ExchangeEvent(
                actor_id=actor,
                kind=kind_of.get(verb, "logged"),
                minutes=minutes,
                message=text,
                created_at=at,
            )
        )
        exchange.updated_at = at
    if closed:
        exchange.closed_at = exchange.updated_at
    exchange.events = events
    db.session.add(exchange)
    db.session.flush()
    if closed:
        return
    at, verb = times[len(story.steps)], last[0]
    if verb == "accept":
        call = partial(lifecycle.accept, author_id, exchange.id, last[1])
    elif verb == "log":
        call = partial(
            lifecycle.log_time,
            people[last[1]],
            exchange.id,
            minutes=last[2],
            performed_on=w.local_day(at),
            note=last[3],
            confirmed_large=True,  # the story's members confirmed what they typed
        )
    else:  # "dispute", by the party who did not log
        who = author_id if exchange.logged_by_id == initiator_id else initiator_id
        call = partial(disputes.dispute, who, exchange.id, last[1])
    _at(w, at, call)


def _play_log(w: _Recent, provider, receiver, days, title, minutes, message) -> None:
    giver, taker = w.users[provider], w.users[receiver]
    (at,) = _recent_times(w, (days,), max(w.since[giver], w.since[taker]))
    _at(
        w,
        at,
        partial(
            lifecycle.log_direct,
            giver,
            counterpart_id=taker,
            gave=True,
            minutes=minutes,
            title=title,
            performed_on=w.local_day(at - timedelta(days=1)),
            message=message,
            confirmed_large=True,
        ),
    )
