"""The admin's list of listing categories."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select

from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.moderation import audit
from exchange.text import slugify, squash
from models import Category, Listing, User, db


def _admin(actor_id: int) -> User:
    actor = db.session.get(User, actor_id)
    if actor is None or not actor.is_admin:
        raise Forbidden()
    return actor


def _names(name_fr: str, name_en: str) -> tuple[str, str]:
    fr = squash(name_fr)[:80]
    en = squash(name_en)[:80]
    if not fr:
        raise InvalidInput(_l("Donnez le nom en français."), field="name_fr")
    if not en:
        raise InvalidInput(_l("Donnez le nom en anglais."), field="name_en")
    return fr, en


def with_counts() -> list[tuple[Category, int]]:
    """Every category with its number of listings, in display order."""
    count = (
        select(func.count(Listing.id))
        .where(Listing.category_id == Category.id)
        .correlate(Category)
        .scalar_subquery()
    )
    return list(
        db.session.execute(select(Category, count).order_by(Category.position, Category.id))
    )


def create(actor_id: int, *, name_fr: str, name_en: str) -> Category:
    """Add a category at the end of the list."""
    actor = _admin(actor_id)
    fr, en = _names(name_fr, name_en)
    slug = slugify(fr)[:60]
    if not slug:
        raise InvalidInput(_l("Donnez le nom en français."), field="name_fr")
    if db.session.scalar(select(Category.id).where(Category.slug == slug)):
        raise Conflict(_l("Cette catégorie existe déjà."), field="name_fr")
    last = db.session.scalar(select(func.max(Category.position))) or 0
    category = Category(slug=slug, name_fr=fr, name_en=en, position=last + 1)
    db.session.add(category)
    db.session.flush()
    audit.record(
        actor.id, "category_created", target_type="category", target_id=category.id, name=fr
    )
    db.session.commit()
    return category


def rename(actor_id: int, category_id: int, *, name_fr: str, name_en: str) -> Category:
    """Change a category's names; its address (slug) stays, so links keep working."""
    actor = _admin(actor_id)
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound()
    fr, en = _names(name_fr, name_en)
    before = (category.name_fr, category.name_en)
    category.name_fr, category.name_en = fr, en
    audit.record(
        actor.id,
        "category_renamed",
        target_type="category",
        target_id=category.id,
        before=list(before),
        after=[fr, en],
    )
    db.session.commit()
    return category


def move(actor_id: int, category_id: int, direction: int) -> None:
    """Swap a category with its neighbour above (-1) or below (+1)."""
    _admin(actor_id)
    ordered = [c for c, _n in with_counts()]
    index = next((i for i, c in enumerate(ordered) if c.id == category_id), None)
    if index is None:
        raise NotFound()
    other = index + (1 if direction > 0 else -1)
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, category in enumerate(ordered):
            category.position = position
        db.session.commit()


def delete(actor_id: int, category_id: int) -> None:
    """Remove a category nobody uses; a used one stays (its listings would lose it)."""
    actor = _admin(actor_id)
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound()
    used = db.session.scalar(
        select(func.count(Listing.id)).where(Listing.category_id == category.id)
    )
    if used:
        raise Conflict(
            lazy_ngettext(
                "%(num)d annonce utilise cette catégorie : renommez-la plutôt.",
                "%(num)d annonces utilisent cette catégorie : renommez-la plutôt.",
                used,
            )
        )
    audit.record(
        actor.id,
        "category_deleted",
        target_type="category",
        target_id=category.id,
        name=category.name_fr,
    )
    db.session.delete(category)
    db.session.commit()
