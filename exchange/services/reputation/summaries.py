"""A member's reputation: built only from the feedback that has appeared about them.

One voice per counterpart: several exchanges with the same person count once, by their latest
feedback. A skill is "confirmed by N members" when N distinct counterparts confirmed it. Nothing
else enters: not gifts, not money, not listings, not roles, not what members say of themselves.
The number of confirmed exchanges is shown beside it, as a fact, not as a mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from exchange.text import fold
from models import Exchange, Feedback, Skill, db
from models.base import utcnow
from models.feedback import feedback_skills


@dataclass
class Summary:
    recommends: int = 0
    neutral: int = 0
    not_recommended: int = 0
    exchanges: int = 0  # confirmed exchanges the member took part in
    skills: list[tuple[Skill, int]] = field(default_factory=list)

    @property
    def voices(self) -> int:
        """How many distinct members have a feedback about this one that shows."""
        return self.recommends + self.neutral + self.not_recommended

    @property
    def is_new(self) -> bool:
        return self.voices == 0


def _latest_per_voice(subject_ids, now: datetime):
    """Each counterpart's latest feedback that shows, per member reviewed (a subquery)."""
    rank = (
        func.row_number()
        .over(
            partition_by=(Feedback.subject_id, Feedback.author_id),
            order_by=(Feedback.created_at.desc(), Feedback.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(Feedback.subject_id, Feedback.recommendation, rank)
        .where(Feedback.subject_id.in_(subject_ids), Feedback.visible_from <= now)
        .subquery()
    )
    return select(ranked.c.subject_id, ranked.c.recommendation).where(ranked.c.rank == 1).subquery()


def summaries(user_ids, now: datetime | None = None) -> dict[int, Summary]:
    """The summaries of several members at once (two queries), without the skills."""
    now = now or utcnow()
    ids = sorted(set(user_ids))
    found = {user_id: Summary() for user_id in ids}
    if not ids:
        return found
    latest = _latest_per_voice(ids, now)
    rows = db.session.execute(
        select(latest.c.subject_id, latest.c.recommendation, func.count()).group_by(
            latest.c.subject_id, latest.c.recommendation
        )
    )
    for subject_id, recommendation, count in rows:
        setattr(found[subject_id], recommendation, count)
    for party_id, count in _confirmed_counts(ids):
        found[party_id].exchanges += count
    return found


def _confirmed_counts(ids):
    for column in (Exchange.provider_id, Exchange.receiver_id):
        yield from db.session.execute(
            select(column, func.count())
            .where(column.in_(ids), Exchange.state == "confirmed")
            .group_by(column)
        )


def summary(user_id: int, now: datetime | None = None) -> Summary:
    """One member's summary, with the skills their counterparts confirmed."""
    now = now or utcnow()
    result = summaries([user_id], now)[user_id]
    voices = func.count(func.distinct(Feedback.author_id))
    rows = db.session.execute(
        select(Skill, voices)
        .join(feedback_skills, feedback_skills.c.skill_id == Skill.id)
        .join(Feedback, Feedback.id == feedback_skills.c.feedback_id)
        .where(Feedback.subject_id == user_id, Feedback.visible_from <= now)
        .group_by(Skill.id)
    )
    result.skills = sorted(
        ((skill, count) for skill, count in rows), key=lambda row: (-row[1], fold(row[0].name))
    )
    return result


def latest(user_id: int, limit: int = 5, offset: int = 0, now: datetime | None = None):
    """The feedback about a member that shows, newest first, with their replies."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.subject_id == user_id, Feedback.visible_from <= now)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .offset(offset)
            .limit(limit)
            .options(selectinload(Feedback.author), selectinload(Feedback.exchange))
        )
    )


def count_visible(user_id: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    visible = Feedback.subject_id == user_id, Feedback.visible_from <= now
    return db.session.scalar(select(func.count()).select_from(Feedback).where(*visible)) or 0


# ---------------------------------------------------------------------------- on the cards


def preload_cards(user_ids) -> None:
    """Load the summaries a page of cards will show, in one go (kept for the request)."""
    cache = g.setdefault("reputation_cards", {})
    missing = [i for i in set(user_ids) if i not in cache]
    if missing:
        cache.update(summaries(missing))


def card(user_id: int) -> Summary:
    """The summary for a card; loaded on its own when the page did not preload it."""
    if not has_request_context():
        return summaries([user_id])[user_id]
    cache = g.setdefault("reputation_cards", {})
    if user_id not in cache:
        preload_cards([user_id])
    return cache[user_id]
