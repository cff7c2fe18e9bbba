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
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from exchange.demo import data
from exchange.services.moderation import audit, reports, rights
from exchange.services.notify import notifications
from exchange.services.reputation import feedback
from exchange.text import fold
from models import (
    Exchange,
    Feedback,
    Listing,
    Membership,
    Notification,
    Report,
    Skill,
    User,
    db,
)
from models.feedback import WINDOW

VETERAN = "Hélène Vidal"
MIXED = "Élodie Perrin"
QUIET = "Yann Le Bihan"

UNRECOMMENDED_EXTRA = 2  # feedback that does not recommend, besides the one about MIXED
HISTORY_SHARE = {"both": 0.58, "one": 0.21}  # the rest: nobody wrote (closed windows)
RECENT_SHARE = {"both": 0.25, "one": 0.40}  # windows still open: "one" is double-blind
JOB_HOUR = 4  # `flask feedback publish` runs every night at 4 h, Paris time

# ---------------------------------------------------------------------------- the words
# feedback.toml: {first} is the first name of the member the sentence is about.

_WORDS = data.load("feedback")
# What the receiver says of the work, by words of the exchange's title (accents ignored).
RECEIVED = [(tuple(row["words"]), row["text"]) for row in _WORDS["received"]]
RECEIVED_ANY = _WORDS["received_any"]  # when no sentence above fits the title
PERSON = _WORDS["person"]  # what the receiver may add about the person
# What the one who gave the time says of the receiver: by words of the title, then any.
GAVE = [(tuple(row["words"]), row["text"]) for row in _WORDS["gave"]]
GAVE_ANY = _WORDS["gave_any"]
GAVE_MORE = _WORDS["gave_more"]
NEUTRAL_RECEIVED = _WORDS["neutral_received"]
NEUTRAL_GAVE = _WORDS["neutral_gave"]
NEUTRAL_MORE = _WORDS["neutral_more"]
# Does not recommend: factual and calm, each with the reply of the member it is about.
NOT_RECOMMENDED_RECEIVED = [
    (row["comment"], row["reply"]) for row in _WORDS["not_recommended_received"]
]
NOT_RECOMMENDED_GAVE = [(row["comment"], row["reply"]) for row in _WORDS["not_recommended_gave"]]
# The exchange a coordinator settled after a dispute: the one who disputed, then the other.
DISPUTED = tuple(_WORDS["disputed"])
DISPUTED_REPLY = _WORDS["disputed_reply"]
REPLY_NEUTRAL = _WORDS["reply_neutral"]
REPLY_THANKS = _WORDS["reply_thanks"]
# The comment a coordinator hid, at the request of the member it is about.
HIDDEN_COMMENT = _WORDS["hidden_comment"]
HIDDEN_REPORT = _WORDS["hidden_report"]
HIDDEN_REASON = _WORDS["hidden_reason"]

# ---------------------------------------------------------------------------- the plan


@dataclass
class _Note:
    """One feedback, decided before it is written."""

    exchange: Exchange
    author: User
    subject: User
    at: datetime
    recommendation: str = "recommends"
    comment: str = ""
    skills: list[Skill] = field(default_factory=list)
    updated_at: datetime | None = None
    visible_from: datetime | None = None
    announced_at: datetime | None = None
    reply: str = ""
    replied_at: datetime | None = None
    row: Feedback | None = None

    @property
    def by_receiver(self) -> bool:
        return self.author.id == self.exchange.receiver_id


@dataclass
class _World:
    rng: random.Random
    now: datetime
    zone: ZoneInfo
    users: dict[str, User]
    logins: set[int]
    used: Counter = field(default_factory=Counter)  # sentence -> times used
    comments: set[str] = field(default_factory=set)  # those written so far
    # Works (exchange titles) some comment already speaks of: the first word on each is concrete.
    spoken_of: set[str] = field(default_factory=set)

    def awake(self, moment: datetime) -> datetime:
        """The moment, or the next morning when it falls in the night (Paris time)."""
        local = moment.astimezone(self.zone)
        minutes = self.rng.randint(0, 150)
        if 8 <= local.hour < 22:
            return moment
        if local.hour >= 22:
            local += timedelta(days=1)
        morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
        return (morning + timedelta(minutes=minutes)).astimezone(moment.tzinfo)

    def job_after(self, moment: datetime) -> datetime:
        """The next nightly run of `flask feedback publish` after the moment."""
        local = moment.astimezone(self.zone)
        run = local.replace(hour=JOB_HOUR, minute=0, second=0, microsecond=0)
        if run <= local:
            run += timedelta(days=1)
        return run.astimezone(moment.tzinfo)

    def pick(self, texts: list[str]) -> str:
        """One of the texts used least so far (so that none repeats while others wait)."""
        fewest = min(self.used[t] for t in texts)
        text = self.rng.choice([t for t in texts if self.used[t] == fewest])
        self.used[text] += 1
        return text


def _first(user: User) -> str:
    return user.display_name.split()[0]


def _de(first: str) -> str:
    """« de Sofia », « d'Amandine », « d'Hélène »."""
    return f"d'{first}" if fold(first)[:1] in tuple("aeiouh") else f"de {first}"


def _matching(pool, title: str) -> list[str]:
    """The texts whose words start a word of the title (accents and case aside)."""
    folded = fold(title)
    return [
        text
        for words, text in pool
        if any(re.search(r"(?<!\w)" + re.escape(fold(word)), folded) for word in words)
    ]


def add(rng: random.Random, now: datetime) -> None:
    """Write the feedback of the demo's confirmed exchanges, and commit (after the exchanges)."""
    w = _World(
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
        _words(w, note, forced.get(note.exchange.id, {}))
    _times(w, notes)
    _replies(w, notes)
    hidden = _hidden_candidate(w, notes)
    _write(w, notes, hidden)
    db.session.commit()


def _logins() -> set[int]:
    """Who `demo.print_logins` lists: the admin, the first coordinator of each space, the first
    two members who coordinate nothing. What waits for them is worth a look."""
    admin = db.session.scalar(select(User.id).where(User.is_admin.is_(True)).order_by(User.id))
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


def _closed_windows(w: _World, exchanges: list[Exchange]) -> list[Exchange]:
    return [e for e in exchanges if feedback.window_end(e) <= w.now - timedelta(days=1)]


def _shape(w: _World, confirmed: list[Exchange]) -> dict[int, dict[int, str]]:
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
                (e for e in found if e.id in closed), key=lambda e: e.closed_at, default=None
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


def _plan(w: _World, exchange: Exchange, forced: dict[int, str]) -> list[_Note]:
    """Who writes on this exchange, and when (within the window, and before now)."""
    closed, ends = exchange.closed_at, feedback.window_end(exchange)
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
    notes: list[_Note] = []
    previous = closed
    for i, author in enumerate(writers):
        at = w.awake(previous + _delay(w.rng, first=i == 0))
        if at > latest and author.id in wanted and not is_open:  # sooner, then
            at = w.awake(previous + timedelta(hours=w.rng.uniform(1, 10)))
        if at > latest:
            break
        subject = receiver if author is provider else provider
        notes.append(_Note(exchange, author, subject, at))
        previous = at
    return notes


def _answered_lately(
    w: _World,
    confirmed: list[Exchange],
    planned: dict[int, list[_Note]],
    forced: dict[int, dict[int, str]],
) -> None:
    """At least one exchange of the last 14 days already has both feedback, shown together
    (the one with the most room, preferably not one a demo log-in is waiting on)."""
    still_open = [e for e in confirmed if feedback.window_end(e) > w.now]
    if any(len(planned[e.id]) == 2 for e in still_open):
        return

    def waits_on_login(e: Exchange) -> bool:
        return any(n.subject.id in w.logins for n in planned[e.id])

    for exchange in sorted(still_open, key=lambda e: (waits_on_login(e), e.closed_at)):
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
            at = w.awake(exchange.closed_at + timedelta(hours=w.rng.uniform(2, 20)))
            first = _Note(exchange, exchange.receiver, exchange.provider, at)
        at = w.awake(first.at + timedelta(hours=w.rng.uniform(1, 20)))
        if at <= latest:
            found[:] = [first, _Note(exchange, first.subject, first.author, at)]
            return


def _delay(rng: random.Random, *, first: bool) -> timedelta:
    """How long after the confirmation (the first) or the first feedback (the second)."""
    draw = rng.random()
    if draw < (0.55 if first else 0.5):
        return timedelta(hours=rng.uniform(2, 30) if first else rng.uniform(1, 36))
    if draw < 0.88:
        return timedelta(days=rng.uniform(1.2, 4) if first else rng.uniform(1.5, 5))
    return timedelta(days=rng.uniform(4, 11) if first else rng.uniform(5, 10))


def _words(w: _World, note: _Note, forced: dict[int, str]) -> None:
    """The recommendation, the comment and the skills of a feedback."""
    exchange, first = note.exchange, _first(note.subject)
    rec = forced.get(note.author.id) or ""
    if exchange.resolved_by_id is not None:  # settled by a coordinator after a dispute
        disputer = note.author.id != exchange.logged_by_id
        note.recommendation = rec or ("neutral" if disputer else "recommends")
        note.comment = DISPUTED[0 if disputer else 1]
        return
    if not rec:
        rec = "neutral" if w.rng.random() < (0.1 if note.by_receiver else 0.08) else "recommends"
    note.recommendation = rec
    if rec == "not_recommended":
        replies = dict(NOT_RECOMMENDED_RECEIVED if note.by_receiver else NOT_RECOMMENDED_GAVE)
        note.comment = w.pick(list(replies))
        note.reply = replies[note.comment]
        return
    if rec == "neutral":
        pool = NEUTRAL_RECEIVED if note.by_receiver else NEUTRAL_GAVE
        note.comment = _compose(w, pool, NEUTRAL_MORE, 0.2, first)
        if note.by_receiver and w.rng.random() < 0.4:
            note.skills = _skills(w, exchange, note.author, 1)
        return
    if note.by_receiver:
        note.skills = _skills(w, exchange, note.author, w.rng.choice([0, 1, 1, 2, 2, 3]))
        if note.subject.display_name == VETERAN and not note.skills:
            note.skills = _skills(w, exchange, note.author, 2)
        if w.rng.random() < 0.08:
            return  # a recommendation and skills, no words
        pool = _matching(RECEIVED, exchange.title) or RECEIVED_ANY
        if pool is not RECEIVED_ANY:
            w.spoken_of.add(fold(exchange.title))
        note.comment = _compose(w, pool, PERSON, 0.45, first)
        return
    if w.rng.random() < 0.25:
        return
    fitting = [t for t in _matching(GAVE, exchange.title) if not w.used[t]]
    # Drawn in any case, so that what the demo's date changes elsewhere does not shift the draws.
    draw = w.rng.random()
    first_word = fold(exchange.title) not in w.spoken_of
    pool = fitting if fitting and (draw < 0.6 or first_word) else GAVE_ANY
    if pool is fitting:
        w.spoken_of.add(fold(exchange.title))
    note.comment = _compose(w, pool, GAVE_MORE, 0.15, first)


def _compose(w: _World, pool: list[str], more: list[str], chance: float, first: str) -> str:
    """A sentence of the pool, and sometimes one of `more`: always when the first one was
    used before, so that no two comments read the same."""
    main = w.pick(pool)
    words = {"first": first, "de_first": _de(first)}
    text = main.format(**words)
    if w.used[main] > 1 or text in w.comments or w.rng.random() < chance:
        for _ in more:
            candidate = f"{text} {w.pick(more).format(**words)}"
            if candidate not in w.comments:
                text = candidate
                break
    w.comments.add(text)
    return text


def _skills(w: _World, exchange: Exchange, author: User, count: int) -> list[Skill]:
    """Up to `count` of the skills the service would let this receiver confirm."""
    offered = sorted(feedback.confirmable_skills(exchange, author.id), key=lambda s: s.id)
    return sorted(w.rng.sample(offered, min(count, len(offered))), key=lambda s: s.name)


def _times(w: _World, notes: list[_Note]) -> None:
    """Double-blind: both appear when the second writes, else when the window closes; they are
    announced then (by the nightly job for a window that closed). Some were edited meanwhile."""
    by_exchange: dict[int, list[_Note]] = defaultdict(list)
    for note in notes:
        by_exchange[note.exchange.id].append(note)
    for found in by_exchange.values():
        found.sort(key=lambda n: n.at)
        ends = feedback.window_end(found[0].exchange)
        if len(found) == 2:
            shown = found[1].at
            announced = shown
        else:
            shown = ends
            announced = min(w.job_after(ends), w.now) if ends <= w.now else None
        for note in found:
            note.visible_from, note.announced_at = shown, announced
            note.updated_at = note.at
            room = min(shown, w.now) - note.at
            if room > timedelta(hours=6) and w.rng.random() < 0.12:
                note.updated_at = note.at + timedelta(minutes=w.rng.uniform(20, 300))


def _replies(w: _World, notes: list[_Note]) -> None:
    """About ten public replies by the member reviewed: to every feedback that does not
    recommend them, to some neutral ones, and a few thanks."""
    visible = [n for n in notes if n.visible_from <= w.now - timedelta(hours=6) and n.comment]
    chosen = [n for n in visible if n.recommendation == "not_recommended"]
    chosen += [n for n in visible if n.comment == DISPUTED[0]]
    neutral = [n for n in visible if n.recommendation == "neutral" and n not in chosen]
    chosen += w.rng.sample(neutral, min(2, len(neutral)))
    warm = [
        n
        for n in visible
        if n.recommendation == "recommends" and n.by_receiver and n.comment != DISPUTED[1]
    ]
    chosen += w.rng.sample(warm, min(max(0, 10 - len(chosen)), len(warm)))
    for note in sorted(chosen, key=lambda n: n.visible_from):
        at = w.awake(note.visible_from + timedelta(hours=w.rng.uniform(3, 96)))
        if at > w.now - timedelta(minutes=15):
            note.reply = ""
            continue
        if note.recommendation == "not_recommended":
            text = note.reply
        elif note.comment == DISPUTED[0]:
            text = DISPUTED_REPLY
        elif note.recommendation == "neutral":
            text = w.pick(REPLY_NEUTRAL)
        else:
            text = w.pick(REPLY_THANKS)
        note.reply, note.replied_at = text.format(first=_first(note.author)), at
    for note in notes:
        if note.replied_at is None:
            note.reply = ""


def _hidden_candidate(w: _World, notes: list[_Note]) -> tuple[_Note, User] | None:
    """The comment that will be hidden, and the coordinator who hides it: a receiver's warm
    feedback shown for a while, about a member with a coordinator in one of their spaces."""
    shaped = {VETERAN, MIXED, QUIET}
    candidates = []
    for note in notes:
        if (
            note.by_receiver
            and note.recommendation == "recommends"
            and note.comment
            and note.replied_at is None
            and note.visible_from < w.now - timedelta(days=12)
            and not {note.author.display_name, note.subject.display_name} & shaped
        ):
            spaces = rights.active_space_ids(note.subject.id)
            coordinators = sorted(
                db.session.scalars(
                    select(Membership.user_id).where(
                        Membership.space_id.in_(spaces),
                        Membership.status == "active",
                        Membership.role == "coordinator",
                        Membership.user_id.not_in(note.exchange.parties()),
                    )
                )
            )
            if coordinators:
                candidates.append((note, db.session.get(User, coordinators[0])))
    return w.rng.choice(candidates) if candidates else None


# ---------------------------------------------------------------------------- writing


def _write(w: _World, notes: list[_Note], hidden: tuple[_Note, User] | None) -> None:
    notes.sort(key=lambda n: (n.exchange.id, n.at))
    for note in notes:
        note.row = Feedback(
            exchange_id=note.exchange.id,
            author_id=note.author.id,
            subject_id=note.subject.id,
            recommendation=note.recommendation,
            comment=note.comment,
            created_at=note.at,
            updated_at=note.updated_at,
            visible_from=note.visible_from,
            announced_at=note.announced_at,
            reply=note.reply,
            replied_at=note.replied_at,
        )
        note.row.skills = note.skills
        db.session.add(note.row)
    if hidden is not None:
        hidden[0].comment = hidden[0].row.comment = HIDDEN_COMMENT
    db.session.flush()
    _notify(w, notes)
    if hidden is not None:
        _hide(w, *hidden)


def _note(user_id: int, kind: str, at: datetime, read: datetime | None, link: str, **data):
    db.session.add(
        Notification(user_id=user_id, kind=kind, data=data, link=link, created_at=at, read_at=read)
    )


def _notify(w: _World, notes: list[_Note]) -> None:
    """What the parties were told in the last 14 days: a feedback waits for theirs, the
    feedback appeared, a reply came. (The older history has no notifications.)"""
    since = w.now - WINDOW
    fresh = w.now - timedelta(days=3)

    def read(at: datetime, later: datetime | None = None) -> datetime | None:
        if later is not None:
            return later
        return None if at > fresh else at + timedelta(hours=w.rng.uniform(1, 20))

    by_exchange: dict[int, list[_Note]] = defaultdict(list)
    for note in notes:
        by_exchange[note.exchange.id].append(note)
    for found in by_exchange.values():
        exchange = found[0].exchange
        link = notifications.path("exchanges.show", exchange_id=exchange.id)
        first = found[0]
        if first.at >= since:
            answered = found[1].at - timedelta(minutes=5) if len(found) == 2 else None
            _note(first.subject.id, "feedback_waiting", first.at, read(first.at, answered), link,
                  member=first.author.display_name, title=exchange.title,
                  until=feedback.window_end(exchange).isoformat())  # fmt: skip
        announced = first.announced_at
        if announced is not None and announced >= since:
            for party in (exchange.provider, exchange.receiver):
                # Whoever wrote second was on the page when both appeared.
                on_page = len(found) == 2 and party is found[1].author
                seen = announced + timedelta(minutes=2) if on_page else None
                wrote = {f.author.id for f in found}
                shown = "both" if len(found) == 2 else ("mine" if party.id in wrote else "theirs")
                _note(party.id, "feedback_published", announced, read(announced, seen), link,
                      member=exchange.other(party.id).display_name,
                      title=exchange.title, shown=shown)  # fmt: skip
    for note in notes:
        if note.replied_at is not None and note.replied_at >= since:
            _note(note.author.id, "feedback_replied", note.replied_at, read(note.replied_at),
                  notifications.path("members.profile", user_id=note.subject.id),
                  member=note.subject.display_name)  # fmt: skip


def _hide(w: _World, note: _Note, coordinator: User) -> None:
    """The member the comment is about reports it; a coordinator of their space hides the words
    (the recommendation stays), logs why, and tells the author and the reporter."""
    row, subject = note.row, note.subject
    reported = w.awake(note.visible_from + timedelta(days=w.rng.uniform(1, 4)))
    hidden_at = w.awake(reported + timedelta(hours=w.rng.uniform(3, 20)))
    hidden_at = min(hidden_at, w.now - timedelta(hours=1))
    reason = HIDDEN_REASON.format(de_first=_de(_first(subject)))
    item = reports.feedback_item(row)
    report = Report(
        reporter_id=subject.id,
        feedback_id=row.id,
        reason="other",
        text=HIDDEN_REPORT,
        status="actioned",
        created_at=reported,
        handled_by_id=coordinator.id,
        handled_at=hidden_at,
        outcome="feedback_hidden",
    )
    db.session.add(report)
    db.session.flush()
    row.comment_hidden_at, row.comment_hidden_reason = hidden_at, reason
    spaces = rights.feedback_space_ids(row)
    entry = audit.record(
        coordinator.id,
        "feedback_hidden",
        reason=reason,
        space_id=next(s for s in spaces if coordinator.is_coordinator_of(s)),
        subject_user_id=note.author.id,
        target_type="feedback",
        target_id=row.id,
        part="comment",
        item=item,
        reports=[report.id],
    )
    entry.created_at = hidden_at
    profile = notifications.path("members.profile", user_id=subject.id)
    seen = hidden_at + timedelta(hours=2)
    _note(subject.id, "report_received", reported, reported, profile, item=item)
    _note(coordinator.id, "report_filed", reported, hidden_at, "/moderation", item=item)
    _note(subject.id, "report_handled", hidden_at, seen, "", item=item,
          outcome="feedback_hidden", note="")  # fmt: skip
    _note(note.author.id, "feedback_hidden", hidden_at, seen, profile, part="comment",
          member=subject.display_name, reason=reason)  # fmt: skip
