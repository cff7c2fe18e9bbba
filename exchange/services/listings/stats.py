"""What every search page shows about all listings at once, cached: how many are visible for
a set of filters, and the most used tags. At 50,000 listings each is a scan of the table or of
its tags; both may be a minute late, so they are computed once and shared
(exchange/adapters/cache.py).

Any committed change to a listing, its tags, a category, a skill or a member's suspension
moves the cache's "listings" generation on, so a member sees their new listing counted at
once, in every worker (the generation lives in Redis when REDIS_URL is set). What changes
with time alone (a listing that expires) is seen within CACHE_SECONDS.

The directory's and the home page's most listed member skills are cached the same way, in a
"members" generation that moves on when a member joins, leaves or changes their skills.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, func, inspect, select

from exchange.adapters import cache
from models import Category, Listing, Skill, User, db, listing_skills

NAMESPACE = "listings"
MEMBERS = "members"
_CHANGED = "archipel.cached_stats_changed"


def cached(key: str, compute: Callable[[], object], namespace: str = NAMESPACE):
    return cache.get_or_compute(namespace, key, current_app.config["CACHE_SECONDS"], compute)


def visible_count(conditions: list, key: str) -> int:
    """How many listings meet these conditions; `key` names the filters they come from."""
    return cached(
        "count:" + key,
        lambda: db.session.scalar(select(func.count(Listing.id)).where(*conditions)) or 0,
    )


def popular_tags(visible: list, limit: int = 30) -> list[Skill]:
    """The tags most visible listings carry, most used first."""
    count = func.count(listing_skills.c.listing_id)

    def compute() -> list[int]:
        return list(
            db.session.scalars(
                select(Skill.id)
                .join(listing_skills, listing_skills.c.skill_id == Skill.id)
                .join(Listing, Listing.id == listing_skills.c.listing_id)
                .where(*visible)
                .group_by(Skill.id, Skill.name)
                .order_by(count.desc(), Skill.name)
                .limit(limit)
            )
        )

    ids = cached(f"tags:{limit}", compute)
    if not ids:
        return []
    found = {s.id: s for s in db.session.scalars(select(Skill).where(Skill.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def _touched(session) -> set[str]:
    """The cached generations this flush makes stale."""
    touched: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (Listing, Category)):
            touched.add(NAMESPACE)
        elif isinstance(obj, Skill):
            touched |= {NAMESPACE, MEMBERS}
        elif isinstance(obj, User):
            attrs = inspect(obj).attrs
            if attrs.suspended_at.history.has_changes():
                touched.add(NAMESPACE)
            if obj in session.new or obj in session.deleted or attrs.skills.history.has_changes():
                touched.add(MEMBERS)
    return touched


@event.listens_for(FlaskSession, "before_flush")
def _note_changes(session, *args) -> None:
    touched = _touched(session)
    if touched:
        session.info.setdefault(_CHANGED, set()).update(touched)


@event.listens_for(FlaskSession, "after_commit")
def _invalidate(session) -> None:
    touched = session.info.pop(_CHANGED, ())
    if has_app_context():
        for namespace in sorted(touched):
            cache.bump(namespace)


@event.listens_for(FlaskSession, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_CHANGED, None)
