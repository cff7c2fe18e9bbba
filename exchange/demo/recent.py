"""The last days of the demo: exchanges still open in every state (proposed, accepted, done,
disputed), played through the real services and then dated, so that their notifications exist."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select

from exchange.demo.history_data import Recent
from exchange.demo.history_world import World
from exchange.services.exchanges import direct, disputes, lifecycle
from exchange.services.notify import outbox
from models import (
    Exchange,
    ExchangeEvent,
    Notification,
    db,
)


@dataclass
class RecentWorld:
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
    def of(cls, w: World) -> RecentWorld:
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


def _recent_times(w: RecentWorld, days: tuple[float, ...], earliest: datetime) -> list[datetime]:
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


def _at(w: RecentWorld, at: datetime, call: Callable[[], Exchange]) -> int:
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


def play(w: RecentWorld, story: Recent) -> None:
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
    _write_steps(w, exchange, events, written, times[1:], people)
    if closed:
        exchange.closed_at = exchange.updated_at
    exchange.events = events
    db.session.add(exchange)
    db.session.flush()
    if closed:
        return
    at = times[len(story.steps)]
    _at(w, at, _last_step(w, exchange, last, at, people))


def _write_steps(
    w: RecentWorld,
    exchange: Exchange,
    events: list[ExchangeEvent],
    steps,
    times,
    people: dict[str, int],
) -> None:
    """The story's steps before the last one, written as they were, on `exchange`."""
    author_id = people["author"]
    for step, at in zip(steps, times, strict=False):
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


def _last_step(w: RecentWorld, exchange: Exchange, last, at: datetime, people: dict[str, int]):
    """The service call that plays the story's last step, the one that leaves it waiting."""
    verb, author_id, initiator_id = last[0], people["author"], people["initiator"]
    if verb == "accept":
        return partial(lifecycle.accept, author_id, exchange.id, last[1])
    elif verb == "log":
        return partial(
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
        return partial(disputes.dispute, who, exchange.id, last[1])


def play_log(w: RecentWorld, provider, receiver, days, title, minutes, message) -> None:
    giver, taker = w.users[provider], w.users[receiver]
    (at,) = _recent_times(w, (days,), max(w.since[giver], w.since[taker]))
    _at(
        w,
        at,
        partial(
            direct.log_direct,
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
