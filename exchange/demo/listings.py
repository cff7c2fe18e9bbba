"""The demo network's offers and requests, as `listings.toml` writes them in the network's
"pad standard".

Each listing has a title; a summary of at most three short lines (the essential); details in
markdown (the context, what is expected); next steps; two to five tags, the author's own skills
where they fit; a category, a mode and, most of the time, an estimated duration. `add_listings`
turns them into rows, dates them over the last four months and gives them their state.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from exchange.demo import data
from exchange.demo.network import Network
from exchange.services.community import members
from exchange.services.listings import search
from exchange.services.listings.publishing import DEFAULT_DAYS, categories
from exchange.services.moderation import audit
from exchange.text import slugify
from models import Listing, Report, User, db

LISTING_DAYS = 120  # the listings were published over the last four months


class Pad(NamedTuple):
    """One demo listing. `space` is a space key of `exchange.demo.SPACES` ("" = the author's
    home space); `state` is "" (active and approved), "paused", "closed", "expired",
    "pending" (waits for a coordinator), "hidden" (by a coordinator, HIDDEN_REASON) or
    "reported" (an open report by REPORTER, REPORT_TEXT)."""

    author: str  # display name of a demo member
    kind: str  # offer | request
    category: str  # slug of a category of migration 0002
    mode: str  # remote | on_site | both
    minutes: int | None  # left out of the file when there is no estimate
    title: str
    summary: str
    details: str
    next_steps: str
    tags: tuple[str, ...]
    space: str = ""
    state: str = ""


_DATA = data.load("listings")  # listings.toml

# A coordinator of the space hid this listing (state "hidden"), and said why.
HIDDEN_REASON = _DATA["hidden_reason"]
# A member of the same space flagged this listing (state "reported"); nobody has answered yet.
REPORTER = _DATA["reporter"]
REPORT_REASON = _DATA["report_reason"]
REPORT_TEXT = _DATA["report_text"]

LISTINGS = [Pad(**{"minutes": None, **row, "tags": tuple(row["tags"])}) for row in _DATA["listing"]]


def add_listings(net: Network) -> None:
    """The offers and requests of `listings.toml`, each published by its author in a space
    they belong to, dated over the last LISTING_DAYS days and left in its state."""
    users = {user.display_name: user for user, _ in net.people}
    home = {user.display_name: key for user, key in net.people}
    key_of = {id(space): key for key, space in net.spaces.items()}
    # (member's name, space key) -> when they asked to join it, for each active membership.
    since = {
        (user.display_name, key_of[id(m.space)]): m.requested_at
        for i, (user, _) in enumerate(net.people)
        for m in net.joined[i]
    }
    coordinators: dict[str, list[User]] = {}
    for membership in net.appointed:
        coordinators.setdefault(key_of[id(membership.space)], []).append(membership.user)
    category = {c.slug: c for c in categories()}
    skills = {s.slug: s for s in members.skills_by_name([t for p in LISTINGS for t in p.tags])}

    for pad in LISTINGS:
        author = users[pad.author]
        key = pad.space if (pad.author, pad.space) in since else home[pad.author]
        created, updated, expires = _dates(net, pad, since[(pad.author, key)])
        listing = Listing(
            author=author,
            space=net.spaces[key],
            category=category.get(pad.category),
            kind=pad.kind,
            title=pad.title,
            summary=pad.summary,
            details=pad.details,
            next_steps=pad.next_steps,
            mode=pad.mode,
            estimated_minutes=pad.minutes,
            status=pad.state if pad.state in ("paused", "closed") else "active",
            moderation=pad.state if pad.state in ("pending", "hidden") else "approved",
            created_at=created,
            updated_at=updated,
            expires_at=expires,
        )
        listing.skills = [skills[slugify(t)] for t in pad.tags]
        db.session.add(listing)
        search.index_listing(listing)  # flushes: the listing has its id from here on
        if pad.state == "hidden":
            coordinator = next((u for u in coordinators.get(key, []) if u is not author), net.admin)
            _hide(net, listing, coordinator)
        elif pad.state == "reported":
            report = Report(
                reporter_id=users[REPORTER].id,
                listing_id=listing.id,
                reason=REPORT_REASON,
                text=REPORT_TEXT,
                created_at=min(created + timedelta(days=net.rng.uniform(1, 6)), net.now),
            )
            db.session.add(report)


def _dates(net: Network, pad: Pad, joined_at: datetime) -> tuple[datetime, datetime, datetime]:
    """When the listing was published, last updated and when it expires, as its state says."""
    now, rng = net.now, net.rng
    oldest = max(now - timedelta(days=LISTING_DAYS), joined_at + timedelta(days=1))
    newest = now - timedelta(hours=2)
    if pad.state == "expired":  # published more than DEFAULT_DAYS ago, never renewed
        newest = now - timedelta(days=DEFAULT_DAYS + 3)
    elif pad.state == "pending":  # submitted in the last days, not yet approved
        oldest = max(oldest, now - timedelta(days=5))
    created = oldest + (newest - oldest) * rng.random()
    updated, expires = created, created + timedelta(days=DEFAULT_DAYS)
    if pad.state != "expired" and expires < now + timedelta(days=5):
        updated = created + timedelta(days=rng.uniform(75, 85))  # the author renewed it
        expires = updated + timedelta(days=DEFAULT_DAYS)
    if pad.state in ("paused", "closed"):
        updated += (now - updated) * rng.uniform(0.3, 0.9)
    return created, updated, expires


def _hide(net: Network, listing: Listing, coordinator: User) -> None:
    listing.moderation_reason = HIDDEN_REASON
    entry = audit.record(
        coordinator.id,
        "listing_hidden",
        reason=HIDDEN_REASON,
        space_id=listing.space_id,
        subject_user_id=listing.author.id,
        target_type="listing",
        target_id=listing.id,
        title=listing.title,
        reports=[],
    )
    entry.created_at = min(listing.created_at + timedelta(hours=net.rng.randint(3, 40)), net.now)
