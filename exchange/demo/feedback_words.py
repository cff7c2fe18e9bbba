"""What each side of an exchange wrote, when, which skills the receiver confirmed, and the
public replies."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from exchange.demo.feedback_world import (
    DISPUTED,
    DISPUTED_REPLY,
    GAVE,
    GAVE_ANY,
    GAVE_MORE,
    NEUTRAL_GAVE,
    NEUTRAL_MORE,
    NEUTRAL_RECEIVED,
    NOT_RECOMMENDED_GAVE,
    NOT_RECOMMENDED_RECEIVED,
    PERSON,
    RECEIVED,
    RECEIVED_ANY,
    REPLY_NEUTRAL,
    REPLY_THANKS,
    VETERAN,
    Note,
    World,
    de_name,
    first_name,
    matching,
)
from exchange.services.reputation import feedback
from exchange.text import fold
from models import (
    Exchange,
    Skill,
    User,
)


def write_words(w: World, note: Note, forced: dict[int, str]) -> None:
    """The recommendation, the comment and the skills of a feedback."""
    exchange, first = note.exchange, first_name(note.subject)
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
        pool = matching(RECEIVED, exchange.title) or RECEIVED_ANY
        if pool is not RECEIVED_ANY:
            w.spoken_of.add(fold(exchange.title))
        note.comment = _compose(w, pool, PERSON, 0.45, first)
        return
    if w.rng.random() < 0.25:
        return
    fitting = [t for t in matching(GAVE, exchange.title) if not w.used[t]]
    # Drawn in any case, so that what the demo's date changes elsewhere does not shift the draws.
    draw = w.rng.random()
    first_word = fold(exchange.title) not in w.spoken_of
    pool = fitting if fitting and (draw < 0.6 or first_word) else GAVE_ANY
    if pool is fitting:
        w.spoken_of.add(fold(exchange.title))
    note.comment = _compose(w, pool, GAVE_MORE, 0.15, first)


def _compose(w: World, pool: list[str], more: list[str], chance: float, first: str) -> str:
    """A sentence of the pool, and sometimes one of `more`: always when the first one was
    used before, so that no two comments read the same."""
    main = w.pick(pool)
    words = {"first": first, "de_first": de_name(first)}
    text = main.format(**words)
    if w.used[main] > 1 or text in w.comments or w.rng.random() < chance:
        for _ in more:
            candidate = f"{text} {w.pick(more).format(**words)}"
            if candidate not in w.comments:
                text = candidate
                break
    w.comments.add(text)
    return text


def _skills(w: World, exchange: Exchange, author: User, count: int) -> list[Skill]:
    """Up to `count` of the skills the service would let this receiver confirm."""
    offered = sorted(feedback.confirmable_skills(exchange, author.id), key=lambda s: s.id)
    return sorted(w.rng.sample(offered, min(count, len(offered))), key=lambda s: s.name)


def set_times(w: World, notes: list[Note]) -> None:
    """Double-blind: both appear when the second writes, else when the window closes; they are
    announced then (by the nightly job for a window that closed). Some were edited meanwhile."""
    by_exchange: dict[int, list[Note]] = defaultdict(list)
    for note in notes:
        by_exchange[note.exchange.id].append(note)
    for found in by_exchange.values():
        found.sort(key=lambda n: n.at)
        ends = feedback.window_end(found[0].exchange)
        announced: datetime | None
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


def write_replies(w: World, notes: list[Note]) -> None:
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
        note.reply, note.replied_at = text.format(first=first_name(note.author)), at
    for note in notes:
        if note.replied_at is None:
            note.reply = ""
