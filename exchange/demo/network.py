"""The demo network's people: the spaces, the admin, the members, who belongs where since
when, who coordinates, who still waits for an answer. The data is `network.toml`; this module
dates it, draws in order from the seeding's `random.Random` (so that two seeds give the same
network) and writes the rows, with the moderation log of the spaces' founding."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from exchange.config import DEMO_DOMAIN
from exchange.demo import data
from exchange.demo.data import known
from exchange.services.community import members
from exchange.services.moderation import audit
from exchange.text import slugify
from models import Membership, Skill, Space, User, db

DEMO_PASSWORD = "archipel-demo-2026"  # noqa: S105 - published on purpose, demo only
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
_NETWORK = data.load("network")  # network.toml: the spaces, the admin, the members
ADMIN_NAME = _NETWORK["admin"]["name"]
ADMIN_BIO = _NETWORK["admin"]["bio"]
ADMIN_SKILLS = tuple(_NETWORK["admin"]["skills"])
SEED = 2026
PREMODERATED = {"coopsud"}  # spaces whose new listings wait for a coordinator's approval

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


@dataclass
class Network:
    """The network as it is being seeded: what every later step needs to date and link its rows."""

    rng: random.Random
    now: datetime
    password_hash: str
    skills: dict[str, Skill]
    admin: User = field(init=False)  # the first one `add_people` makes
    spaces: dict[str, Space] = field(default_factory=dict)
    people: list[tuple[User, str]] = field(default_factory=list)  # (member, home space key)
    joined: dict[int, list[Membership]] = field(default_factory=dict)  # by position in `people`
    appointed: list[Membership] = field(default_factory=list)  # the coordinators named

    def user(self, email, name, city, languages, skill_names, bio, days_ago) -> User:
        rng = self.rng
        created = self.now - timedelta(
            days=days_ago, hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
        )
        user = User(
            email=email,
            display_name=name,
            password_hash=self.password_hash,
            created_at=created,
            email_confirmed_at=created + timedelta(minutes=rng.randint(2, 90)),
            locale="fr",
            bio=bio,
            city=city,
            languages=languages,
            contact=rng.choice(CONTACTS),
        )
        user.skills = [self.skills[slugify(n)] for n in skill_names]
        members.refresh_search_text(user)
        db.session.add(user)
        return user

    def join(self, user: User, space: Space, status: str = "active", message: str = ""):
        rng = self.rng
        since = max(known(user.email_confirmed_at), known(space.created_at))
        asked = since + timedelta(hours=rng.randint(1, 72))
        membership = Membership(
            user=user,
            space=space,
            status=status,
            role="member",
            message=message,
            requested_at=asked,
        )
        if status == "active" and space.needs_approval:  # approved by the admin
            membership.decided_at = min(asked + timedelta(hours=rng.randint(2, 48)), self.now)
            membership.decided_by = self.admin
        elif status == "active":
            membership.decided_at = asked
        db.session.add(membership)
        return membership


def add_people(net: Network) -> None:
    """The admin, the spaces they founded, the members and their memberships, flushed."""
    admin = net.admin = net.user(
        ADMIN_EMAIL, ADMIN_NAME, "Lyon", "français, anglais", ADMIN_SKILLS, ADMIN_BIO, 250
    )
    admin.is_admin = True
    db.session.flush()  # the admin's id, for the spaces they create
    for i, (key, name, city, policy, description) in enumerate(SPACES):
        net.spaces[key] = Space(
            name=name,
            city=city,
            join_policy=policy,
            description=description,
            created_at=admin.created_at + timedelta(days=2 + 3 * i, hours=net.rng.randint(1, 8)),
            created_by_id=admin.id,
            premoderation=key in PREMODERATED,
        )
        db.session.add(net.spaces[key])
    # Members joined over the last ~8 months.
    for first, last, city, home, languages, skill_names, bio in MEMBERS:
        user = net.user(
            demo_email(first, last),
            f"{first} {last}",
            city,
            languages,
            skill_names,
            bio,
            net.rng.randint(4, 230),
        )
        net.people.append((user, home))
    _join(net)
    _appoint(net)
    _ask(net)
    db.session.flush()
    _log_founding(net)


def _join(net: Network) -> None:
    for i, (user, home) in enumerate(net.people):
        net.joined[i] = [net.join(user, net.spaces[home])]
        if net.rng.random() < 0.3:
            other = net.rng.choice([k for k in net.spaces if k != home])
            net.joined[i].append(net.join(user, net.spaces[other]))


def _appoint(net: Network) -> None:
    """The earliest members of each space coordinate it."""
    for key in net.spaces:
        locals_ = sorted(
            (net.joined[i][0] for i, (_, home) in enumerate(net.people) if home == key),
            key=lambda m: m.requested_at,
        )
        for membership in locals_[: net.rng.randint(1, 2)]:
            membership.role = "coordinator"
            membership.decided_by = net.admin
            net.appointed.append(membership)


def _ask(net: Network) -> None:
    """Pending requests from members who belong to a single space, not the one they ask."""
    joined = net.joined
    candidates = [i for i in joined if len(joined[i]) == 1 and joined[i][0].role == "member"]
    net.rng.shuffle(candidates)
    for key, message in PENDING_REQUESTS:
        i = next(i for i in candidates if joined[i][0].space is not net.spaces[key])
        candidates.remove(i)
        net.join(net.people[i][0], net.spaces[key], status="pending", message=message)


def _log_founding(net: Network) -> None:
    """The moderation log of the spaces' creation and of the coordinators named."""
    admin = net.admin
    for space in net.spaces.values():
        entry = audit.record(
            admin.id, "space_created", space_id=space.id, target_type="space", target_id=space.id
        )
        entry.created_at = space.created_at
    for membership in net.appointed:
        entry = audit.record(
            admin.id,
            "coordinator_named",
            space_id=membership.space_id,
            subject_user_id=membership.user_id,
            target_type="membership",
            target_id=membership.id,
        )
        membership.decided_at = entry.created_at = min(
            membership.requested_at + timedelta(days=net.rng.randint(1, 10)), net.now
        )
