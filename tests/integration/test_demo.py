"""The demo network: believable, complete enough to try every role, and deterministic."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from exchange import demo
from exchange.services import accounts
from exchange.text import fold
from models import Membership, ModerationAction, Space, User, db
from models.base import utcnow

MEMBER_EMAIL = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+@archipel\.test$")


def _members() -> list[User]:
    return list(db.session.scalars(select(User).where(User.is_admin.is_(False))))


def _snapshot() -> list[tuple]:
    """Everything the seed decides, without ids or the instant it ran."""
    users = db.session.scalars(select(User).order_by(User.email))
    return [
        (
            u.email,
            u.display_name,
            u.city,
            u.contact,
            u.bio,
            tuple(s.slug for s in u.skills),
            tuple(sorted((m.space.name, m.status, m.role, m.message) for m in u.memberships)),
        )
        for u in users
    ]


def _wipe() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_seed_builds_spaces_with_policies_and_coordinators(app):
    demo.seed()
    spaces = list(db.session.scalars(select(Space)))
    assert len(spaces) >= 5
    assert len({s.city for s in spaces}) == len(spaces)
    assert sum(s.join_policy == "approval" for s in spaces) >= 2
    assert {s.join_policy for s in spaces} == {"open", "approval"}
    for space in spaces:
        assert len(space.description.splitlines()) >= 3, space.name
        coordinators = [
            m for m in space.memberships if m.status == "active" and m.role == "coordinator"
        ]
        assert 1 <= len(coordinators) <= 2, space.name


def test_seed_makes_one_admin_and_many_confirmed_members(app):
    demo.seed()
    admins = list(db.session.scalars(select(User).where(User.is_admin.is_(True))))
    assert [a.email for a in admins] == ["admin@archipel.test"]
    members = _members()
    assert len(members) >= 36
    assert all(u.email_confirmed_at is not None for u in [*members, *admins])
    emails = [u.email for u in members]
    assert len(set(emails)) == len(emails)
    assert all(MEMBER_EMAIL.match(e) for e in emails), emails
    assert len({u.display_name for u in members}) == len(members)


def test_every_member_has_a_real_profile(app):
    demo.seed()
    members = _members()
    for user in members:
        assert 2 <= len(user.skills) <= 6, user.email
        assert user.bio.strip() and user.bio.count(". ") >= 1, user.email
        assert user.city and user.languages.startswith("français") and user.contact
        assert user.locale == "fr"
        assert all(fold(s.name) in user.search_text for s in user.skills), user.email
    assert len({u.bio for u in members}) == len(members)
    # Skills are shared rows, not one copy per member.
    slugs = [s.slug for u in members for s in u.skills]
    assert len(set(slugs)) < len(slugs)


def test_memberships_and_pending_requests(app):
    demo.seed()
    for user in _members():
        assert 1 <= len(user.active_memberships()) <= 2, user.email
    pending = list(db.session.scalars(select(Membership).where(Membership.status == "pending")))
    assert 3 <= len(pending) <= 4
    for membership in pending:
        assert membership.space.join_policy == "approval"
        assert membership.message.strip()
        assert membership.role == "member"


def test_coordinator_appointments_are_in_the_moderation_log(app):
    demo.seed()
    admin = db.session.scalar(select(User).where(User.email == "admin@archipel.test"))
    coordinators = list(
        db.session.scalars(select(Membership).where(Membership.role == "coordinator"))
    )
    logged = {
        (a.space_id, a.subject_user_id, a.target_id): a
        for a in db.session.scalars(
            select(ModerationAction).where(ModerationAction.action == "coordinator_named")
        )
    }
    assert len(logged) == len(coordinators)
    for m in coordinators:
        entry = logged[(m.space_id, m.user_id, m.id)]
        assert entry.actor_id == admin.id
        assert entry.target_type == "membership"


def test_accounts_were_created_over_several_months(app):
    demo.seed()
    now = utcnow()
    created = [u.created_at for u in db.session.scalars(select(User))]
    assert max(created) - min(created) > timedelta(days=120)
    assert all(now - timedelta(days=270) < c < now for c in created)


def test_demo_password_logs_in(app):
    demo.seed()
    admin = accounts.authenticate("admin@archipel.test", demo.DEMO_PASSWORD)
    assert admin.is_admin
    member = accounts.authenticate("yasmine.benali@archipel.test", demo.DEMO_PASSWORD)
    assert member.display_name == "Yasmine Benali"
    # One hash, computed once, shared by every demo account.
    assert db.session.scalar(select(func.count(func.distinct(User.password_hash)))) == 1


def test_seed_is_deterministic_and_idempotent(app):
    demo.seed()
    first = _snapshot()
    demo.seed()  # the network is already there: nothing changes
    assert _snapshot() == first
    _wipe()
    demo.seed()
    assert _snapshot() == first


def test_print_logins_lists_one_coordinator_per_space(app):
    demo.seed()
    lines: list[str] = []
    demo.print_logins(lines.append)
    text = "\n".join(lines)
    assert demo.DEMO_PASSWORD in text
    assert "admin@archipel.test" in text
    for space in db.session.scalars(select(Space)):
        assert space.name in text
    coordinator_lines = [line for line in lines if line.strip().startswith("coordinator")]
    assert len(coordinator_lines) == db.session.scalar(select(func.count(Space.id)))
    member_lines = [line for line in lines if line.strip().startswith("member")]
    assert len(member_lines) == 2
    for line in coordinator_lines + member_lines:
        email = line.split()[1]
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None and not user.is_admin
        coordinates = bool(user.coordinated_space_ids())
        assert coordinates == line.strip().startswith("coordinator")


def test_print_logins_without_demo_network(app):
    lines: list[str] = []
    demo.print_logins(lines.append)
    assert len(lines) == 1
    assert "no demo network" in lines[0]
