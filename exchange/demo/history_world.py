"""The history as it is decided: the world it is decided in (who is where since when, the
balances as they go), the plans run in date order, the movements kept for the ledger, and the
small helpers every story uses to write an exchange and its steps."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from exchange.demo.data import known
from exchange.demo.history_data import (
    NOTES_AS_FORESEEN,
    NOTES_LONGER,
    NOTES_SHORTER,
    OFFER_PROPOSALS,
    REQUEST_PROPOSALS,
    SETTLED_BEFORE,
    SLOTS,
    Step,
)
from exchange.services.ledger import transfers
from models import (
    Account,
    Exchange,
    Listing,
    Transfer,
    User,
)
from models.exchanges import OPEN_STATES


@dataclass
class Plan:
    at: datetime  # when its movement (or its last step) happens: history runs in this order
    run: Callable[[], object]
    rng: random.Random = field(init=False)  # given by `exchanges._run`


@dataclass
class Move:
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
    reverses: Move | None = None
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
            reverses_id=known(self.reverses.transfer).id if self.reverses else None,
            at=self.at,
        )
        if self.then is not None:
            self.then(self.transfer)


@dataclass
class World:
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
    plans: list[Plan] = field(default_factory=list)
    exchanges: list[tuple[Exchange, list[Step]]] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)  # in date order
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


def dice(parent: random.Random) -> random.Random:
    return random.Random(parent.getrandbits(64))


def fits(w: World, payer: Account, payee: Account, minutes: int) -> bool:
    """Whether the movement stays within the limits (the ledger would refuse it otherwise)."""
    floor = 0 if payer.is_pot else w.floor
    if w.balance[payer.id] - minutes < floor:
        return False
    return payee.is_pot or w.balance[payee.id] + minutes <= w.ceiling


def record_move(
    w: World,
    kind: str,
    payer: Account,
    payee: Account,
    minutes: int,
    reason: str,
    author,
    at,
    **more,
) -> Move | None:
    """Decide a movement if the limits allow it then (None otherwise)."""
    if not fits(w, payer, payee, minutes):
        return None
    w.balance[payer.id] -= minutes
    w.balance[payee.id] += minutes
    move = Move(
        at, kind, payer.id, payee.id, minutes, reason, author.id if author else None, **more
    )
    w.moves.append(move)
    return move


def write_exchange(
    w: World,
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
            exchange.logged_by_id = known(step.actor).id
            exchange.logged_at = step.at
            exchange.expires_at = step.at + timedelta(days=w.log_days)
        elif step.kind == "disputed":
            state = "disputed"
            exchange.dispute_reason = step.text
        elif step.kind == "resolved":
            state = "confirmed" if step.minutes else "cancelled"
            exchange.resolved_by_id = known(step.actor).id
            exchange.minutes = step.minutes or exchange.minutes
        else:
            state = step.kind
    exchange.state = state
    if state not in OPEN_STATES:
        exchange.closed_at = steps[-1].at
    w.exchanges.append((exchange, steps))
    return exchange


def settle(exchange: Exchange, w: World, author: User, minutes: int, reason: str, at) -> None:
    payer, payee = w.accounts[exchange.receiver_id], w.accounts[exchange.provider_id]
    if (
        record_move(w, "settlement", payer, payee, minutes, reason, author, at, exchange=exchange)
        is None
    ):
        raise AssertionError(f"checked before: {exchange.title}")


def done_minutes(w: World, foreseen: int | None) -> tuple[int, str]:
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


def proposal_text(w: World, listing: Listing, why: str) -> str:
    templates = OFFER_PROPOSALS if listing.kind == "offer" else REQUEST_PROPOSALS
    slot = w.rng.choice(SLOTS)
    return w.rng.choice(templates).format(
        first=listing.author.display_name.split()[0],
        why=why,
        Why=_cap(why),
        slot=slot,
        Slot=_cap(slot),
    )


def listing_window(w: World, listing: Listing, start: datetime) -> tuple[datetime, datetime]:
    """When a listing could be answered: from the day after it was published until it was
    paused, closed or expired, and at the latest a few days ago."""
    begin = max(start, listing.created_at + timedelta(days=1))
    end = w.now - SETTLED_BEFORE
    if listing.status in ("paused", "closed"):
        end = min(end, listing.updated_at - timedelta(days=1))
    end = min(end, listing.expires_at - timedelta(days=1))
    return begin, end


def story_window(w: World, *people: User, listing: Listing | None = None, days: float = 125):
    """From when these members were all there (and the listing published) until a few
    days ago, within the last `days` days."""
    begin = max([w.now - timedelta(days=days)] + [w.since(p) + timedelta(days=1) for p in people])
    end = w.now - SETTLED_BEFORE
    if listing is not None:
        listing_begin, listing_end = listing_window(w, listing, w.now - timedelta(days=days))
        begin, end = max(begin, listing_begin), min(end, listing_end)
    return begin, end
