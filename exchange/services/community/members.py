"""Profiles and the member directory."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from exchange.services.errors import InvalidInput, NotFound
from exchange.services.listings import stats as listing_stats
from exchange.services.paging import Page
from exchange.text import fold, parse_tags, slugify, squash
from models import Membership, Skill, Space, User, db, user_skills

LANGUAGES = ("fr", "en")


def get_member(user_id: int) -> User:
    """A member whose address is confirmed (the others have not really joined yet)."""
    user = db.session.scalar(
        select(User)
        .where(User.id == user_id, User.email_confirmed_at.is_not(None))
        .options(selectinload(User.memberships).selectinload(Membership.space))
    )
    if user is None:
        raise NotFound()
    return user


def skills_by_name(names: list[str]) -> list[Skill]:
    """The Skill rows for these names, creating the missing ones (inside the caller's transaction)."""
    wanted = {slugify(n): n for n in names if slugify(n)}
    if not wanted:
        return []
    existing = {s.slug: s for s in db.session.scalars(select(Skill).where(Skill.slug.in_(wanted)))}
    for slug, name in wanted.items():
        if slug not in existing:
            existing[slug] = Skill(name=name, slug=slug)
            db.session.add(existing[slug])
    return [existing[slug] for slug in wanted]


def refresh_search_text(user: User) -> None:
    user.search_text = fold(
        " ".join([user.display_name, user.city, *(s.name for s in user.skills)])
    )


def update_profile(
    user_id: int,
    *,
    display_name: str,
    bio: str,
    city: str,
    languages: str,
    contact: str,
    skills: str,
    locale: str,
) -> User:
    """Save the member's own profile."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    display_name = squash(display_name)
    if not display_name:
        raise InvalidInput(field="display_name")
    if locale not in LANGUAGES:
        raise InvalidInput(field="locale")
    user.display_name = display_name[:80]
    user.bio = (bio or "").strip()[:5000]
    user.city = squash(city)[:80]
    user.languages = squash(languages)[:120]
    user.contact = (contact or "").strip()[:300]
    user.locale = locale
    user.skills = skills_by_name(parse_tags(skills))
    refresh_search_text(user)
    db.session.commit()
    return user


def search_members(
    *, q: str = "", skill: str = "", space_id: int | None = None, page: int = 1, per_page: int = 24
) -> Page:
    """The directory: confirmed members matching every word of `q`, a skill and a space."""
    conditions = [User.email_confirmed_at.is_not(None)]
    for word in fold(q).split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(User.search_text.like(f"%{escaped}%", escape="\\"))
    if skill:
        conditions.append(
            User.id.in_(
                select(user_skills.c.user_id)
                .join(Skill, Skill.id == user_skills.c.skill_id)
                .where(Skill.slug == slugify(skill))
            )
        )
    if space_id:
        conditions.append(
            User.id.in_(
                select(Membership.user_id).where(
                    and_(Membership.space_id == space_id, Membership.status == "active")
                )
            )
        )
    where = and_(*conditions)
    total = db.session.scalar(select(func.count(User.id)).where(where)) or 0

    page = max(1, page)
    users = db.session.scalars(
        select(User)
        .where(where)
        .order_by(User.display_name, User.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .options(selectinload(User.memberships).selectinload(Membership.space))
    ).all()
    return Page(list(users), total, page, per_page)


def popular_skills(limit: int = 30) -> list[tuple[Skill, int]]:
    """Skills most members list, for the directory's filter (cached: listing_stats)."""
    count = func.count(user_skills.c.user_id).label("n")

    def compute() -> list[tuple[int, int]]:
        rows = db.session.execute(
            select(Skill.id, count)
            .join(user_skills, user_skills.c.skill_id == Skill.id)
            .group_by(Skill.id, Skill.name)
            .order_by(count.desc(), Skill.name)
            .limit(limit)
        ).all()
        return [(skill_id, n) for skill_id, n in rows]

    counted = listing_stats.cached(f"skills:{limit}", compute, listing_stats.MEMBERS)
    if not counted:
        return []
    ids = [skill_id for skill_id, _ in counted]
    found = {s.id: s for s in db.session.scalars(select(Skill).where(Skill.id.in_(ids)))}
    return [(found[i], n) for i, n in counted if i in found]


def all_spaces() -> list[Space]:
    return list(db.session.scalars(select(Space).order_by(Space.name)))


def _partners(user_id: int, space_ids=None):
    """Members one can log time with or give to: confirmed, not suspended, active in a space
    (in these spaces when given), oneself excepted."""
    active = select(Membership.user_id).where(Membership.status == "active")
    if space_ids is not None:
        active = active.where(Membership.space_id.in_(space_ids or [-1]))
    return select(User).where(
        User.id != user_id,
        User.email_confirmed_at.is_not(None),
        User.suspended_at.is_(None),
        User.id.in_(active),
    )


def partner_suggestions(user_id: int, q: str, space_ids=None, limit: int = 8) -> list[User]:
    """Exchange partners (`_partners`) whose name has a word starting with what was
    typed, accents and case aside ("hel" finds Hélène), by name; their spaces loaded. A few
    queries, whatever the number of members."""
    typed = fold(q)[:60]
    if len(typed) < 2:
        return []
    candidates = db.session.scalars(
        _partners(user_id, space_ids)
        .where(User.search_text.contains(typed, autoescape=True))
        .options(selectinload(User.memberships).selectinload(Membership.space))
        .order_by(func.lower(User.display_name), User.id)
        .limit(limit * 8)
    )
    named = [u for u in candidates if _name_matches(u.display_name, typed)]
    # By name as people read it: "Hélène" before "Hugo" (SQL's lower() leaves accents be).
    return sorted(named, key=lambda u: (fold(u.display_name), u.id))[:limit]


def _name_matches(name: str, typed: str) -> bool:
    folded = fold(name)
    return folded.startswith(typed) or f" {typed}" in folded or f"-{typed}" in folded


def partner(user_id: int, partner_id: int, space_ids=None) -> User | None:
    """One exchange partner by id (a page's ?membre=), or None when they are none."""
    return db.session.scalar(_partners(user_id, space_ids).where(User.id == partner_id))
