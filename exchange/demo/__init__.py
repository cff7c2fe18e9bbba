"""The demo network: six spaces, one admin, some forty members and their offers and requests,
for trying Archipel out.

What the network is made of is data: `network.toml` (the spaces, the admin, the members) and
`listings.toml` beside this module; adding a demo listing is editing that file. The code only
simulates the months: everything is built from the data and a `random.Random(2026)`, so two
seeds of empty databases give the same network. Models are used directly: no service sends an
email here. The exchanges and the feedback are in `exchanges` and `feedback`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from exchange.config import DEMO_DOMAIN
from exchange.demo import data
from exchange.demo import exchanges as demo_exchanges
from exchange.demo import feedback as demo_feedback
from exchange.demo.listings import HIDDEN_REASON, LISTINGS, REPORT_REASON, REPORT_TEXT, REPORTER
from exchange.services.community import members, passwords
from exchange.services.listings import search
from exchange.services.listings.publishing import DEFAULT_DAYS, categories
from exchange.services.moderation import audit
from exchange.text import slugify
from models import Listing, Membership, Report, Space, User, db
from models.base import utcnow

DEMO_PASSWORD = "archipel-demo-2026"  # noqa: S105 - published on purpose, demo only
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
_NETWORK = data.load("network")  # network.toml: the spaces, the admin, the members
ADMIN_NAME = _NETWORK["admin"]["name"]
ADMIN_BIO = _NETWORK["admin"]["bio"]
ADMIN_SKILLS = tuple(_NETWORK["admin"]["skills"])
SEED = 2026
PREMODERATED = {"coopsud"}  # spaces whose new listings wait for a coordinator's approval
LISTING_DAYS = 120  # the listings were published over the last four months

# key, name, city, join policy, description (markdown)
SPACES = [
    (row["key"], row["name"], row["city"], row["join_policy"], row["description"])
    for row in _NETWORK["space"]
]
# first name, last name, city, home space, languages, skills, bio (markdown, first person)
MEMBERS = [
    (m["first"], m["last"], m["city"], m["home"], m["languages"], m["skills"], m["bio"])
    for m in _NETWORK["member"]
]
CONTACTS = _NETWORK["contacts"]
# A few members ask to join a space that approves its members: (space key, message).
PENDING_REQUESTS = [(row["space"], row["message"]) for row in _NETWORK["pending_request"]]


def demo_email(first: str, last: str) -> str:
    """The demo address of a member: prenom.nom@archipel.test, lower-case ASCII."""
    return f"{slugify(first)}.{slugify(last)}@{DEMO_DOMAIN}"


def seed() -> None:
    """Build the demo network in the current app context and commit; no-op if already there."""
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        return
    rng = random.Random(SEED)
    now = utcnow()
    password_hash = passwords.hash_password(DEMO_PASSWORD)  # argon2 is slow: hash once
    all_skill_names = [*ADMIN_SKILLS, *(name for m in MEMBERS for name in m[5])]
    skills = {s.slug: s for s in members.skills_by_name(all_skill_names)}

    def make_user(email, name, city, languages, skill_names, bio, days_ago) -> User:
        created = now - timedelta(
            days=days_ago, hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
        )
        user = User(
            email=email,
            display_name=name,
            password_hash=password_hash,
            created_at=created,
            email_confirmed_at=created + timedelta(minutes=rng.randint(2, 90)),
            locale="fr",
            bio=bio,
            city=city,
            languages=languages,
            contact=rng.choice(CONTACTS),
        )
        user.skills = [skills[slugify(n)] for n in skill_names]
        members.refresh_search_text(user)
        db.session.add(user)
        return user

    admin = make_user(
        ADMIN_EMAIL, ADMIN_NAME, "Lyon", "français, anglais", ADMIN_SKILLS, ADMIN_BIO, 250
    )
    admin.is_admin = True

    db.session.flush()  # the admin's id, for the spaces they create

    spaces: dict[str, Space] = {}
    for i, (key, name, city, policy, description) in enumerate(SPACES):
        spaces[key] = Space(
            name=name,
            city=city,
            join_policy=policy,
            description=description,
            created_at=admin.created_at + timedelta(days=2 + 3 * i, hours=rng.randint(1, 8)),
            created_by_id=admin.id,
            premoderation=key in PREMODERATED,
        )
        db.session.add(spaces[key])

    # (user, home space key); members joined over the last ~8 months.
    people: list[tuple[User, str]] = []
    for first, last, city, home, languages, skill_names, bio in MEMBERS:
        user = make_user(
            demo_email(first, last),
            f"{first} {last}",
            city,
            languages,
            skill_names,
            bio,
            rng.randint(4, 230),
        )
        people.append((user, home))

    def join(user: User, space: Space, status: str = "active", message: str = "") -> Membership:
        asked = max(user.email_confirmed_at, space.created_at) + timedelta(hours=rng.randint(1, 72))
        membership = Membership(
            user=user,
            space=space,
            status=status,
            role="member",
            message=message,
            requested_at=asked,
        )
        if status == "active" and space.needs_approval:  # approved by the admin
            membership.decided_at = min(asked + timedelta(hours=rng.randint(2, 48)), now)
            membership.decided_by = admin
        elif status == "active":
            membership.decided_at = asked
        db.session.add(membership)
        return membership

    joined: dict[int, list[Membership]] = {}  # by position in `people`
    for i, (user, home) in enumerate(people):
        joined[i] = [join(user, spaces[home])]
        if rng.random() < 0.3:
            other = rng.choice([k for k in spaces if k != home])
            joined[i].append(join(user, spaces[other]))

    # The earliest members of each space coordinate it.
    appointed: list[Membership] = []
    for key in spaces:
        locals_ = sorted(
            (joined[i][0] for i, (_, home) in enumerate(people) if home == key),
            key=lambda m: m.requested_at,
        )
        for membership in locals_[: rng.randint(1, 2)]:
            membership.role = "coordinator"
            membership.decided_by = admin
            appointed.append(membership)

    # Pending requests from members who belong to a single space, not the one they ask.
    candidates = [i for i in joined if len(joined[i]) == 1 and joined[i][0].role == "member"]
    rng.shuffle(candidates)
    for key, message in PENDING_REQUESTS:
        i = next(i for i in candidates if joined[i][0].space is not spaces[key])
        candidates.remove(i)
        join(people[i][0], spaces[key], status="pending", message=message)

    db.session.flush()
    for space in spaces.values():
        entry = audit.record(
            admin.id, "space_created", space_id=space.id, target_type="space", target_id=space.id
        )
        entry.created_at = space.created_at
    for membership in appointed:
        entry = audit.record(
            admin.id,
            "coordinator_named",
            space_id=membership.space_id,
            subject_user_id=membership.user_id,
            target_type="membership",
            target_id=membership.id,
        )
        membership.decided_at = entry.created_at = min(
            membership.requested_at + timedelta(days=rng.randint(1, 10)), now
        )
    _add_listings(rng, now, admin, spaces, people, joined, appointed)
    db.session.commit()
    demo_exchanges.add(random.Random(SEED), now, admin, spaces)
    demo_feedback.add(random.Random(SEED), now)


def _add_listings(
    rng: random.Random,
    now: datetime,
    admin: User,
    spaces: dict[str, Space],
    people: list[tuple[User, str]],
    joined: dict[int, list[Membership]],
    appointed: list[Membership],
) -> None:
    """The offers and requests of `listings.toml`, each published by its author in a space
    they belong to, dated over the last LISTING_DAYS days and left in its state."""
    users = {user.display_name: user for user, _ in people}
    home = {user.display_name: key for user, key in people}
    key_of = {id(space): key for key, space in spaces.items()}
    # (member's name, space key) -> when they asked to join it, for each active membership.
    since = {
        (user.display_name, key_of[id(m.space)]): m.requested_at
        for i, (user, _) in enumerate(people)
        for m in joined[i]
    }
    coordinators: dict[str, list[User]] = {}
    for membership in appointed:
        coordinators.setdefault(key_of[id(membership.space)], []).append(membership.user)
    category = {c.slug: c for c in categories()}
    skills = {s.slug: s for s in members.skills_by_name([t for p in LISTINGS for t in p.tags])}

    for pad in LISTINGS:
        author = users[pad.author]
        key = pad.space if (pad.author, pad.space) in since else home[pad.author]
        joined_at = since[(pad.author, key)]
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
        listing = Listing(
            author=author,
            space=spaces[key],
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
            listing.moderation_reason = HIDDEN_REASON
            coordinator = next((u for u in coordinators.get(key, []) if u is not author), admin)
            entry = audit.record(
                coordinator.id,
                "listing_hidden",
                reason=HIDDEN_REASON,
                space_id=listing.space_id,
                subject_user_id=author.id,
                target_type="listing",
                target_id=listing.id,
                title=listing.title,
                reports=[],
            )
            entry.created_at = min(created + timedelta(hours=rng.randint(3, 40)), now)
        elif pad.state == "reported":
            report = Report(
                reporter_id=users[REPORTER].id,
                listing_id=listing.id,
                reason=REPORT_REASON,
                text=REPORT_TEXT,
                created_at=min(created + timedelta(days=rng.uniform(1, 6)), now),
            )
            db.session.add(report)


def print_logins(echo: Callable[[str], object]) -> None:
    """Print the demo log-ins (admin, a coordinator per space, two members) and the password."""
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    if admin is None:
        echo(f"This database holds no demo network (no {ADMIN_EMAIL} account).")
        return
    demo_user = User.email.endswith(f"@{DEMO_DOMAIN}", autoescape=True)
    rows = [("admin", admin.email, "network admin")]
    for space in db.session.scalars(select(Space).order_by(Space.name)):
        coordinator = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                demo_user,
                Membership.space_id == space.id,
                Membership.status == "active",
                Membership.role == "coordinator",
            )
            .order_by(User.id)
            .limit(1)
        )
        if coordinator is not None:
            rows.append(("coordinator", coordinator.email, f"{space.name} ({space.city})"))
    coordinators = select(Membership.user_id).where(Membership.role == "coordinator")
    active = select(Membership.user_id).where(Membership.status == "active")
    plain = db.session.scalars(
        select(User)
        .where(
            demo_user,
            User.is_admin.is_(False),
            User.id.in_(active),
            User.id.not_in(coordinators),
        )
        .order_by(User.id)
        .limit(2)
    )
    rows += [("member", user.email, user.display_name) for user in plain]
    width = max(len(email) for _, email, _ in rows)
    echo(f"Demo log-ins (every account's password: {DEMO_PASSWORD})")
    for role, email, note in rows:
        echo(f"  {role:<12} {email:<{width}}  {note}")
