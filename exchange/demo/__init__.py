"""The demo network: six spaces, one admin, some forty members and their offers and requests,
for trying Archipel out.

What the network is made of is data: `network.toml` (the spaces, the admin, the members) and
`listings.toml` beside this module; adding a demo listing is editing that file. The code only
simulates the months: everything is built from the data and a `random.Random(2026)`, so two
seeds of empty databases give the same network. Models are used directly: no service sends an
email here. The people are seeded by `network`, their listings by `listings`, the exchanges,
the feedback and the conversations by `exchanges`, `feedback` and `conversations`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import select

from exchange.config import DEMO_DOMAIN
from exchange.demo import conversations as demo_conversations
from exchange.demo import exchanges as demo_exchanges
from exchange.demo import feedback as demo_feedback
from exchange.demo import portraits
from exchange.demo.listings import LISTING_DAYS, add_listings
from exchange.demo.network import (
    ADMIN_EMAIL,
    ADMIN_NAME,
    ADMIN_SKILLS,
    CONTACTS,
    DEMO_PASSWORD,
    MEMBERS,
    PREMODERATED,
    SEED,
    SPACES,
    Network,
    add_people,
    demo_email,
)
from exchange.services.community import members, passwords
from models import Membership, Space, User, db
from models.base import utcnow

__all__ = [
    "ADMIN_EMAIL",
    "ADMIN_NAME",
    "ADMIN_SKILLS",
    "CONTACTS",
    "DEMO_PASSWORD",
    "LISTING_DAYS",
    "MEMBERS",
    "PREMODERATED",
    "SPACES",
    "demo_email",
    "print_logins",
    "seed",
]


def seed() -> None:
    """Build the demo network in the current app context and commit; no-op if already there."""
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        return
    all_skill_names = [*ADMIN_SKILLS, *(name for m in MEMBERS for name in m[5])]
    net = Network(
        rng=random.Random(SEED),
        now=utcnow(),
        password_hash=passwords.hash_password(DEMO_PASSWORD),  # argon2 is slow: hash once
        skills={s.slug: s for s in members.skills_by_name(all_skill_names)},
    )
    add_people(net)
    add_listings(net)
    db.session.commit()
    people = [user.id for user, _home in net.people]
    demo_exchanges.add(random.Random(SEED), net.now, net.admin, net.spaces)
    demo_feedback.add(random.Random(SEED), net.now)
    demo_conversations.add(net.now)
    portraits.add(random.Random(SEED), people)


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
