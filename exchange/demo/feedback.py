"""The demo network's feedback: what the two parties of the confirmed exchanges said of each
other, so that profiles, listing cards and the exchange pages have a reputation to show.

Written after `demo_exchanges.add`, straight into the tables: the services date what they write
now and lock the exchange, and this is history. Every rule of `services.feedback` holds all the
same: only the two parties of a confirmed exchange write, once each, each about the other, within
the 14 days after the confirmation; only the receiver confirms skills, among those
`feedback.confirmable_skills` offers; both appear when the second writes, else when the window
closes, and are announced then.

Most confirmed exchanges have feedback, some from one side only, some none. Those confirmed in
the last 14 days are still open: on some, one side has written and the other has not yet
(double-blind: the demo log-ins find "X a écrit son retour" waiting for them), some are answered,
some have nothing yet. A few profiles are shaped on purpose:
- `VETERAN`, a demo log-in: recommended by every counterpart, skills confirmed by several;
- `MIXED`: recommended, but also one neutral voice and one that does not recommend;
- `QUIET`: confirmed exchanges, and nobody has written about them yet;
- the newest members (Yasmine Benali, a demo log-in) have nothing: they read as new.
One comment was reported by the member it is about and hidden by a coordinator (it gave their
phone number); about ten feedback have their public reply.

Everything follows from the exchanges and the `random.Random` handed in: two seeds of empty
databases write the same feedback.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from exchange.demo.data import known
from exchange.demo.feedback_words import set_times, write_replies, write_words
from exchange.demo.feedback_world import (
    HISTORY_SHARE,
    MIXED,
    QUIET,
    RECENT_SHARE,
    UNRECOMMENDED_EXTRA,
    VETERAN,
    Note,
    World,
)
from exchange.demo.feedback_write import hidden_candidate, write_feedback
from exchange.services.reputation import feedback
from models import (
    Exchange,
    Listing,
    Membership,
    User,
    db,
)


def add(rng: random.Random, now: datetime) -> None:
    """Write the feedback of the demo's confirmed exchanges, and commit (after the exchanges)."""
    w = World(
        rng=rng,
        now=now,
        zone=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
        users={u.display_name: u for u in db.session.scalars(select(User).order_by(User.id))},
        logins=_logins(),
    )
    confirmed = list(
        db.session.scalars(
            select(Exchange)
            .where(Exchange.state == "confirmed")
            .order_by(Exchange.id)
            .options(
                selectinload(Exchange.listing).selectinload(Listing.skills),
                selectinload(Exchange.provider).selectinload(User.skills),
                selectinload(Exchange.receiver),
            )
        )
    )
    forced = _shape(w, confirmed)
    planned = {e.id: _plan(w, e, forced.get(e.id, {})) for e in confirmed}
    _answered_lately(w, confirmed, planned, forced)
    notes = [note for found in planned.values() for note in found]
    for note in notes:
        write_words(w, note, forced.get(note.exchange.id, {}))
    set_times(w, notes)
    write_replies(w, notes)
    hidden = hidden_candidate(w, notes)
    write_feedback(w, notes, hidden)
    db.session.commit()


def _logins() -> set[int]:
    """Who `demo.print_logins` lists: the admin, the first coordinator of each space, the first
    two members who coordinate nothing. What waits for them is worth a look."""
    admin = known(
        db.session.scalar(select(User.id).where(User.is_admin.is_(True)).order_by(User.id))
    )
    found = {admin}
    first: dict[int, int] = {}
    plain: set[int] = set()
    coordinating: set[int] = set()
    for m in db.session.scalars(
        select(Membership).where(Membership.status == "active").order_by(Membership.id)
    ):
        if m.role == "coordinator":
            first[m.space_id] = min(first.get(m.space_id, m.user_id), m.user_id)
            coordinating.add(m.user_id)
        elif m.user_id != admin:
            plain.add(m.user_id)
    found.update(first.values())
    found.update(sorted(plain - coordinating)[:2])
    return found


def _closed_windows(w: World, exchanges: list[Exchange]) -> list[Exchange]:
    return [e for e in exchanges if feedback.window_end(e) <= w.now - timedelta(days=1)]


def _shape(w: World, confirmed: list[Exchange]) -> dict[int, dict[int, str]]:
    """The profiles shaped on purpose: exchange id -> {author id: recommendation} for the
    feedback that must be written, or "none" for the one that must not be."""
    forced: dict[int, dict[int, str]] = defaultdict(dict)
    veteran, mixed, quiet = (w.users.get(name) for name in (VETERAN, MIXED, QUIET))
    for exchange in confirmed:
        parties = exchange.parties()
        if veteran is not None and veteran.id in parties:
            forced[exchange.id][exchange.other_party(veteran.id)] = "recommends"
        if quiet is not None and quiet.id in parties:
            forced[exchange.id][exchange.other_party(quiet.id)] = "none"
    if mixed is not None:
        # One counterpart does not recommend them, another is neutral: their latest feedback
        # (a voice is its latest), on an exchange whose window has closed; they write nothing on
        # the exchanges still open. Those with a single exchange first. The others recommend.
        closed = {e.id for e in _closed_windows(w, confirmed)}
        by_counterpart: dict[int, list[Exchange]] = defaultdict(list)
        for exchange in confirmed:
            if mixed.id in exchange.parties():
                by_counterpart[exchange.other_party(mixed.id)].append(exchange)
        candidates = sorted(
            (c for c, found in by_counterpart.items() if any(e.id in closed for e in found)),
            key=lambda c: (len(by_counterpart[c]), by_counterpart[c][0].id),
        )
        shaped = dict(zip(candidates, ("not_recommended", "neutral"), strict=False))
        for counterpart, found in by_counterpart.items():
            last = max(
                (e for e in found if e.id in closed), key=lambda e: known(e.closed_at), default=None
            )
            for exchange in found:
                if exchange.id not in closed:
                    if counterpart in shaped:
                        forced[exchange.id][counterpart] = "none"
                elif exchange is last:
                    forced[exchange.id][counterpart] = shaped.get(counterpart, "recommends")
                else:
                    forced[exchange.id][counterpart] = "recommends"
    # Two more members who were not recommended once, by someone else than their other voices.
    shaped_ids = {u.id for u in (veteran, mixed, quiet) if u is not None}
    others = [
        e
        for e in _closed_windows(w, confirmed)
        if not set(e.parties()) & shaped_ids and e.resolved_by_id is None
    ]
    picked: set[int] = set()
    for exchange in w.rng.sample(others, min(len(others), 12)):
        if len(picked) == 2 * UNRECOMMENDED_EXTRA or set(exchange.parties()) & picked:
            continue
        author = exchange.receiver if len(picked) % 4 == 0 else exchange.provider
        forced[exchange.id][author.id] = "not_recommended"
        picked.update(exchange.parties())
    return forced


def _plan(w: World, exchange: Exchange, forced: dict[int, str]) -> list[Note]:
    """Who writes on this exchange, and when (within the window, and before now)."""
    closed, ends = known(exchange.closed_at), feedback.window_end(exchange)
    is_open = ends > w.now
    latest = min(ends - timedelta(hours=1), w.now - timedelta(minutes=15))
    provider, receiver = exchange.provider, exchange.receiver
    share = RECENT_SHARE if is_open else HISTORY_SHARE
    draw = w.rng.random()
    how = "both" if draw < share["both"] else "one" if draw < share["both"] + share["one"] else ""
    first, second = (receiver, provider) if w.rng.random() < 0.55 else (provider, receiver)
    if is_open:
        # A demo log-in finds the other side's feedback waiting for theirs.
        waiting = [p for p in (provider, receiver) if p.id in w.logins]
        if waiting and w.rng.random() < 0.7:
            how = "one"
            second = w.rng.choice(waiting)
            first = receiver if second is provider else provider
    wanted = {a for a, rec in forced.items() if rec != "none"}
    banned = {a for a, rec in forced.items() if rec == "none"}
    if wanted and how != "both":
        how = "both" if len(wanted) == 2 or (how == "" and w.rng.random() < 0.5) else "one"
        if how == "one":
            first = next(p for p in (provider, receiver) if p.id in wanted)
            second = receiver if first is provider else provider
    writers = {"both": [first, second], "one": [first], "": []}[how]
    writers = [u for u in writers if u.id not in banned]
    notes: list[Note] = []
    previous = closed
    for i, author in enumerate(writers):
        at = w.awake(previous + _delay(w.rng, first=i == 0))
        if at > latest and author.id in wanted and not is_open:  # sooner, then
            at = w.awake(previous + timedelta(hours=w.rng.uniform(1, 10)))
        if at > latest:
            break
        subject = receiver if author is provider else provider
        notes.append(Note(exchange, author, subject, at))
        previous = at
    return notes


def _answered_lately(
    w: World,
    confirmed: list[Exchange],
    planned: dict[int, list[Note]],
    forced: dict[int, dict[int, str]],
) -> None:
    """At least one exchange of the last 14 days already has both feedback, shown together
    (the one with the most room, preferably not one a demo log-in is waiting on)."""
    still_open = [e for e in confirmed if feedback.window_end(e) > w.now]
    if any(len(planned[e.id]) == 2 for e in still_open):
        return

    def waits_on_login(e: Exchange) -> bool:
        return any(n.subject.id in w.logins for n in planned[e.id])

    for exchange in sorted(still_open, key=lambda e: (waits_on_login(e), known(e.closed_at))):
        found = planned[exchange.id]
        latest = min(
            feedback.window_end(exchange) - timedelta(hours=1), w.now - timedelta(minutes=15)
        )
        banned = {a for a, rec in forced.get(exchange.id, {}).items() if rec == "none"}
        if banned:
            continue
        if found:
            first = found[0]
        else:
            at = w.awake(known(exchange.closed_at) + timedelta(hours=w.rng.uniform(2, 20)))
            first = Note(exchange, exchange.receiver, exchange.provider, at)
        at = w.awake(first.at + timedelta(hours=w.rng.uniform(1, 20)))
        if at <= latest:
            found[:] = [first, Note(exchange, first.subject, first.author, at)]
            return


def _delay(rng: random.Random, *, first: bool) -> timedelta:
    """How long after the confirmation (the first) or the first feedback (the second)."""
    draw = rng.random()
    if draw < (0.55 if first else 0.5):
        return timedelta(hours=rng.uniform(2, 30) if first else rng.uniform(1, 36))
    if draw < 0.88:
        return timedelta(days=rng.uniform(1.2, 4) if first else rng.uniform(1.5, 5))
    return timedelta(days=rng.uniform(4, 11) if first else rng.uniform(5, 10))
