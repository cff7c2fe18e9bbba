"""The demo network: believable, complete enough to try every role, and deterministic."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from exchange import demo, demo_listings
from exchange.services import accounts, listings
from exchange.services.listings import DEFAULT_DAYS, MAX_SUMMARY_LINES, Filters
from exchange.text import fold
from models import Category, Listing, Membership, ModerationAction, Report, Space, User, db
from models.base import utcnow
from models.listings import MODES

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
    ] + [
        (
            li.title,
            li.author.email,
            li.space.name,
            li.kind,
            li.category.slug if li.category else None,
            li.mode,
            li.estimated_minutes,
            li.status,
            li.moderation,
            li.is_expired(),
            tuple(s.slug for s in li.skills),
        )
        for li in db.session.scalars(select(Listing).order_by(Listing.title, Listing.id))
    ]


def _wipe() -> None:
    """Empty every table but the categories, which the migrations insert."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "categories":
            db.session.execute(table.delete())
    db.session.commit()


def _listings() -> list[Listing]:
    return list(db.session.scalars(select(Listing).order_by(Listing.id)))


def _is_active_member(user_id: int, space_id: int) -> bool:
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


def test_seed_publishes_listings_across_spaces_and_categories(app):
    demo.seed()
    items = _listings()
    assert len(items) >= 60
    assert {li.space_id for li in items} == set(db.session.scalars(select(Space.id)))
    assert len({li.category_id for li in items if li.category_id}) >= 10
    kinds = Counter(li.kind for li in items)
    assert set(kinds) == {"offer", "request"}
    assert 0.5 <= kinds["offer"] / len(items) <= 0.7  # roughly 60 % offers, 40 % requests
    assert {li.mode for li in items} == set(MODES)
    assert any(li.estimated_minutes is None for li in items)
    assert len({li.title for li in items}) == len(items)
    assert len({li.summary for li in items}) == len(items)
    for li in items:
        assert li.author_id is not None and not li.author.is_admin, li.title
        assert _is_active_member(li.author_id, li.space_id), (li.title, li.author.email)
        assert len(li.title) <= 120
        lines = li.summary.splitlines()
        assert 1 <= len(lines) <= MAX_SUMMARY_LINES and len(li.summary) <= 400, li.title
        assert all(line.strip() for line in lines), li.title
        assert li.details.count("\n") >= 2, li.title  # a few paragraphs, not one line
        assert li.next_steps.strip() and len(li.next_steps) <= 500, li.title
        assert 2 <= len(li.skills) <= 5, li.title
        assert li.estimated_minutes is None or li.estimated_minutes > 0
    # Listings are tagged with the skills their authors already have, where it fits.
    assert sum(bool(set(li.skills) & set(li.author.skills)) for li in items) >= 0.8 * len(items)


def test_listings_were_published_over_four_months_by_members_already_there(app):
    demo.seed()
    now = utcnow()
    items = _listings()
    created = [li.created_at for li in items]
    assert max(created) - min(created) > timedelta(days=90)
    for li in items:
        assert now - timedelta(days=demo.LISTING_DAYS + 1) < li.created_at < now, li.title
        assert li.created_at <= li.updated_at <= now, li.title
        joined = db.session.scalar(
            select(Membership.requested_at).where(
                Membership.user_id == li.author_id, Membership.space_id == li.space_id
            )
        )
        assert joined < li.created_at, li.title
    expiries = [li.expires_at - li.created_at for li in items]
    assert sum(e == timedelta(days=DEFAULT_DAYS) for e in expiries) > len(items) / 2
    # Some of the visible listings expire in the coming weeks.
    soon = [li for li in items if li.is_public() and li.expires_at < now + timedelta(days=21)]
    assert soon


def test_listing_states_and_premoderation(app):
    demo.seed()
    now = utcnow()
    items = _listings()
    assert Counter(li.status for li in items) == {
        "active": len(items) - 5,
        "paused": 3,
        "closed": 2,
    }
    expired = [li for li in items if li.is_expired(now)]
    assert len(expired) == 3
    assert all(li.status == "active" and li.moderation == "approved" for li in expired)
    assert all(li.expires_at == li.created_at + timedelta(days=DEFAULT_DAYS) for li in expired)
    premoderated = list(db.session.scalars(select(Space).where(Space.premoderation.is_(True))))
    assert [s.name for s in premoderated] == ["Coop'Sud Entreprendre"]
    pending = [li for li in items if li.moderation == "pending"]
    assert len(pending) == 2
    assert {li.space_id for li in pending} == {premoderated[0].id}
    assert all(li.status == "active" and not li.is_expired(now) for li in pending)
    in_space = [li for li in items if li.space_id == premoderated[0].id]
    assert len(in_space) > 2
    assert {li.moderation for li in in_space} == {"approved", "pending"}
    # Each listing is in one state at most: 11 of them are out of sight.
    hidden_states = [li for li in items if not li.is_public(now)]
    assert len(hidden_states) == 3 + 2 + 3 + 2 + 1


def test_a_coordinator_hid_one_listing_and_logged_why(app):
    demo.seed()
    hidden = list(db.session.scalars(select(Listing).where(Listing.moderation == "hidden")))
    assert len(hidden) == 1
    listing = hidden[0]
    assert listing.status == "active" and listing.moderation_reason == demo_listings.HIDDEN_REASON
    entries = list(
        db.session.scalars(
            select(ModerationAction).where(ModerationAction.action == "listing_hidden")
        )
    )
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.target_type, entry.target_id) == ("listing", listing.id)
    assert entry.space_id == listing.space_id and entry.subject_user_id == listing.author_id
    assert entry.reason == listing.moderation_reason
    assert entry.actor_id != listing.author_id
    coordinator = db.session.get(User, entry.actor_id)
    assert coordinator.is_coordinator_of(listing.space_id)
    assert listing.created_at < entry.created_at <= utcnow()


def test_one_open_report_by_a_member_of_the_space(app):
    demo.seed()
    reports = list(db.session.scalars(select(Report)))
    assert len(reports) == 1
    report = reports[0]
    assert report.status == "open" and report.reason == "misleading" and report.text.strip()
    assert report.member_id is None and report.listing is not None
    listing = report.listing
    assert listing.is_public() and listing.moderation == "approved"
    assert report.reporter_id != listing.author_id
    assert _is_active_member(report.reporter_id, listing.space_id)
    assert listing.created_at < report.created_at <= utcnow()


def test_the_search_finds_the_demo_listings(app):
    demo.seed()
    compta = listings.find(Filters(q="compta"))
    assert compta.total >= 3
    assert sum("comptabilite" in li.search_text for li in compta.items) >= 3

    def authors_of(q: str, word: str) -> set[str]:
        found = listings.find(Filters(q=q), per_page=100).items
        return {li.author.display_name for li in found if word in fold(li.summary + li.details)}

    assert authors_of("developpeur", "developpeuse web")  # Maëlle, développeuse web
    assert authors_of("traducteur", "traductrice")  # Manon and Marta, traductrices
    assert listings.find(Filters(q="menuiserie")).total >= 1
    velo = listings.find(Filters(q="réparation de vélos")).items
    assert any("velos" in li.search_text for li in velo)
    assert listings.find(Filters(category="langues", kind="offer")).total >= 2


def test_public_listings_are_the_visible_ones_only(app):
    demo.seed()
    items = _listings()
    visible = {li.id for li in items if li.is_public()}
    assert len(visible) == len(items) - 11
    page = listings.find(Filters(), per_page=200)
    assert page.total == len(visible)
    assert {li.id for li in page.items} == visible
    for category in db.session.scalars(select(Category)):
        found = listings.find(Filters(category=category.slug), per_page=200)
        assert found.total == sum(
            li.id in visible and li.category_id == category.id for li in items
        ), category.slug


def test_seeding_stays_fast(app):
    import time

    started = time.perf_counter()
    demo.seed()
    assert time.perf_counter() - started < 3


def test_demo_listings_show_on_their_pages(client, auth):
    demo.seed()
    items = _listings()
    home = client.get("/")
    assert home.status_code == 200
    assert any(li.title in home.text for li in items if li.is_public())
    search = client.get("/annonces?q=compta")
    assert search.status_code == 200 and "Première déclaration de TVA" in search.text
    for li in items:
        response = client.get(f"/annonces/{li.id}")
        assert response.status_code == (200 if li.is_public() else 404), li.title
        if li.is_public():
            assert li.title in response.text and li.summary.splitlines()[0] in response.text
    hidden = next(li for li in items if li.moderation == "hidden")
    coordinator = db.session.scalar(
        select(User).where(
            User.id
            == select(ModerationAction.actor_id)
            .where(ModerationAction.action == "listing_hidden")
            .scalar_subquery()
        )
    )
    assert auth.login(coordinator, demo.DEMO_PASSWORD).status_code == 302
    response = client.get(f"/annonces/{hidden.id}")
    assert response.status_code == 200 and hidden.title in response.text
