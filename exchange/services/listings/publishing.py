"""Offers and requests: publish, edit, pause, reopen, close, renew (finding them:
listing_queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.services.community.members import skills_by_name
from exchange.services.community.spaces import coordinators
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.listings import search
from exchange.services.notify import notifications
from exchange.text import parse_tags, slugify, squash
from models import Category, Listing, Membership, Space, User, db
from models.base import utcnow
from models.listings import KINDS, MODES

DEFAULT_DAYS = 90
MAX_DAYS = 365
MAX_SUMMARY_LINES = 3
MAX_ESTIMATE_MINUTES = 200 * 60
SUBSTANTIVE = ("kind", "title", "summary", "details", "next_steps", "tags")


@dataclass
class ListingInput:
    """What the author writes, already shaped by a form or a schema."""

    kind: str
    title: str
    summary: str
    space_id: int
    details: str = ""
    next_steps: str = ""
    tags: str = ""
    category_id: int | None = None
    mode: str = "both"
    estimated_minutes: int | None = None
    expires_on: date | None = None


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def default_expiry() -> date:
    return (utcnow() + timedelta(days=DEFAULT_DAYS)).date()


def _end_of(day: date) -> datetime:
    """A listing expiring on a day stays up until that day ends, in the network's time zone."""

    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


def _clean(data: ListingInput, author: User) -> dict:
    title = squash(data.title)
    summary_lines = [" ".join(line.split()) for line in (data.summary or "").strip().splitlines()]
    summary_lines = [line for line in summary_lines if line]
    if data.kind not in KINDS:
        raise InvalidInput(_l("Choisissez : offre ou demande."), field="kind")
    if not title:
        raise InvalidInput(_l("Donnez un titre à votre annonce."), field="title")
    if not summary_lines:
        raise InvalidInput(_l("Décrivez votre annonce en quelques mots."), field="summary")
    if len(summary_lines) > MAX_SUMMARY_LINES:
        raise InvalidInput(
            _l("La description tient en trois lignes au plus : le détail va plus bas."),
            field="summary",
        )
    if data.mode not in MODES:
        raise InvalidInput(field="mode")
    space = db.session.get(Space, data.space_id) if data.space_id else None
    if space is None or not _is_member(author.id, space.id):
        raise InvalidInput(_l("Choisissez un lieu dont vous êtes membre."), field="space_id")
    category = db.session.get(Category, data.category_id) if data.category_id else None
    if data.category_id and category is None:
        raise InvalidInput(field="category_id")
    minutes = data.estimated_minutes
    if minutes is not None and not (0 < minutes <= MAX_ESTIMATE_MINUTES):
        raise InvalidInput(
            _l("Indiquez une durée entre quelques minutes et 200 heures."), field="estimated_hours"
        )
    expires_on = data.expires_on or default_expiry()
    today = utcnow().date()
    if expires_on < today or expires_on > today + timedelta(days=MAX_DAYS):
        raise InvalidInput(
            _l("Choisissez une date d'expiration dans l'année qui vient."), field="expires_on"
        )
    return {
        "kind": data.kind,
        "title": title[:120],
        "summary": "\n".join(summary_lines)[:400],
        "details": (data.details or "").strip()[:10000],
        "next_steps": (data.next_steps or "").strip()[:500],
        "mode": data.mode,
        "space_id": space.id,
        "category_id": category.id if category else None,
        "estimated_minutes": minutes,
        "expires_at": _end_of(expires_on),
        "tags": parse_tags(data.tags, limit=12),
    }


def _is_member(user_id: int, space_id: int) -> bool:
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user_id,
                Membership.space_id == space_id,
                Membership.status == "active",
            )
        )
        is not None
    )


def _author(author_id: int) -> User:
    author = db.session.get(User, author_id)
    if author is None or author.is_suspended:
        raise Forbidden()
    return author


def _ask_approval(listing: Listing) -> None:

    listing.moderation = "pending"
    for coordinator in coordinators(listing.space_id):
        notifications.notify(
            coordinator,
            "listing_to_approve",
            link=notifications.path("listings.show", listing_id=listing.id),
            title=listing.title,
            space=listing.space.name,
        )


def create(author_id: int, data: ListingInput) -> Listing:
    """Publish an offer or a request (or submit it, where the space pre-moderates)."""
    author = _author(author_id)
    fields = _clean(data, author)
    tags = fields.pop("tags")
    listing = Listing(author_id=author.id, **fields)
    listing.skills = skills_by_name(tags)
    db.session.add(listing)
    db.session.flush()
    search.index_listing(listing)
    if listing.space.premoderation:
        _ask_approval(listing)
    db.session.commit()
    return listing


def update(actor_id: int, listing_id: int, data: ListingInput) -> Listing:
    """The author edits; a substantive edit in a pre-moderated space waits for approval again."""
    listing = _own_listing(actor_id, listing_id)
    fields = _clean(data, listing.author)
    tags = fields.pop("tags")
    before = {k: getattr(listing, k) for k in SUBSTANTIVE if k != "tags"}
    before["tags"] = sorted(s.slug for s in listing.skills)
    for key, value in fields.items():
        setattr(listing, key, value)
    listing.skills = skills_by_name(tags)
    after = {k: getattr(listing, k) for k in SUBSTANTIVE if k != "tags"}
    after["tags"] = sorted(slugify(t) for t in tags)
    substantive = before != after
    listing.updated_at = utcnow()
    listing.edit_requested = ""
    search.index_listing(listing)
    if substantive and listing.space.premoderation and listing.moderation == "approved":
        _ask_approval(listing)
    db.session.commit()
    return listing


def _own_listing(actor_id: int, listing_id: int) -> Listing:
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        raise NotFound()
    if listing.author_id != actor_id:
        raise Forbidden()
    _author(actor_id)
    return listing


TRANSITIONS = {
    # action: (allowed from, new status)
    "pause": ({"active"}, "paused"),
    "reopen": ({"paused", "closed"}, "active"),
    "close": ({"active", "paused"}, "closed"),
}


def refusal(listing: Listing, action: str):
    """Why the author may not pause, reopen, close or renew the listing now (None: they may).
    Pausing or renewing only means something for a listing the coordination let be seen."""
    if action in ("pause", "renew") and listing.moderation == "pending":
        return _l(
            "Cette annonce attend la relecture de la coordination : elle pourra être mise en "
            "pause ou prolongée une fois publiée."
        )
    if action in ("pause", "renew") and listing.moderation == "hidden":
        return _l(
            "Cette annonce est masquée par la coordination : elle ne peut être ni mise en pause "
            "ni prolongée tant qu'elle n'est pas rétablie."
        )
    if action == "renew":
        return _l("Rouvrez d'abord cette annonce.") if listing.status == "closed" else None
    if listing.status not in TRANSITIONS[action][0]:
        return _l("Cette annonce est déjà dans cet état.")
    return None


def author_actions(listing: Listing) -> set[str]:
    """What the listing's page offers its author, besides editing."""
    return {action for action in (*TRANSITIONS, "renew") if refusal(listing, action) is None}


def change_status(actor_id: int, listing_id: int, action: str) -> Listing:
    """The author pauses, reopens or closes (withdraws) a listing."""
    listing = _own_listing(actor_id, listing_id)
    if action not in TRANSITIONS:
        raise InvalidInput()
    if (reason := refusal(listing, action)) is not None:
        raise Conflict(reason)
    listing.status = TRANSITIONS[action][1]
    listing.updated_at = utcnow()
    db.session.commit()
    return listing


def fresh_expiry() -> datetime:
    """The end of a listing renewed today."""
    return _end_of(default_expiry())


def renew(actor_id: int, listing_id: int) -> Listing:
    """Give the listing another DEFAULT_DAYS from today (it comes back if it had expired)."""
    listing = _own_listing(actor_id, listing_id)
    if (reason := refusal(listing, "renew")) is not None:
        raise Conflict(reason)
    listing.expires_at = fresh_expiry()
    listing.updated_at = utcnow()
    db.session.commit()
    return listing
