"""The demo network: believable, complete enough to try every role, and deterministic."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from exchange import demo
from exchange.demo import feedback_world as demo_words
from exchange.demo import history_data as demo_history
from exchange.demo import listings as demo_listings
from exchange.demo import portraits as demo_portraits
from exchange.services.community import accounts
from exchange.services.exchanges import queries as exchange_queries
from exchange.services.ledger import rules as network_rules
from exchange.services.ledger import statements
from exchange.services.ledger import transfers as ledger_transfers
from exchange.services.listings import queries as listing_queries
from exchange.services.listings.publishing import DEFAULT_DAYS, MAX_SUMMARY_LINES
from exchange.services.listings.queries import Filters
from exchange.services.moderation import rights
from exchange.services.notify import feedback_texts
from exchange.services.reputation import feedback
from exchange.services.reputation import summaries as reputation_summaries
from exchange.text import fold
from models import (
    Account,
    Category,
    Conversation,
    Entry,
    Exchange,
    Feedback,
    Listing,
    Membership,
    ModerationAction,
    Notification,
    Report,
    Space,
    Transfer,
    User,
    db,
)
from models.base import utcnow
from models.exchanges import STATES
from models.listings import MODES
from tests import snapshots

# Notifications about feedback and its moderation, dated with the feedback, not a step.
FEEDBACK_NOTES = feedback_texts.KINDS | {"report_received", "report_filed", "report_handled"}
MEMBER_EMAIL = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+@archipel\.test$")


def _members() -> list[User]:
    return list(db.session.scalars(select(User).where(User.is_admin.is_(False))))


def _snapshot() -> list[tuple]:
    """Everything the seed decides, without ids or the instant it ran."""
    users = db.session.scalars(select(User).order_by(User.email))
    return (
        [
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
        + [
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
        + [
            (
                e.title,
                e.provider.email,
                e.receiver.email,
                e.initiator.email,
                e.state,
                e.minutes,
                e.foreseen_minutes,
                e.message,
                tuple(
                    (ev.kind, ev.actor.email if ev.actor else None, ev.message) for ev in e.events
                ),
            )
            for e in db.session.scalars(select(Exchange).order_by(Exchange.id))
        ]
        + [
            (
                t.kind,
                t.amount,
                t.reason,
                _holder(t.debit_account),
                _holder(t.credit_account),
                t.author.email if t.author else None,
            )
            for t in db.session.scalars(select(Transfer).order_by(Transfer.id))
        ]
        + [
            (
                f.exchange.title,
                f.author.email,
                f.subject.email,
                f.recommendation,
                f.comment,
                tuple(s.slug for s in f.skills),
                f.reply,
                f.comment_hidden_reason,
                f.visible_from == feedback.window_end(f.exchange),
            )
            for f in db.session.scalars(select(Feedback).order_by(Feedback.id))
        ]
    )


def _holder(account: Account) -> str:
    return account.user.email if account.user else account.kind


def _wipe() -> None:
    """Empty every table but the categories, which the migrations insert."""
    snapshots.empty(keep={"categories"})


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


def test_seed_builds_spaces_with_policies_and_coordinators(app, seeded_demo):
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


def test_seed_makes_one_admin_and_many_confirmed_members(app, seeded_demo):
    admins = list(db.session.scalars(select(User).where(User.is_admin.is_(True))))
    assert [a.email for a in admins] == ["admin@archipel.test"]
    members = _members()
    assert len(members) >= 36
    assert all(u.email_confirmed_at is not None for u in [*members, *admins])
    emails = [u.email for u in members]
    assert len(set(emails)) == len(emails)
    assert all(MEMBER_EMAIL.match(e) for e in emails), emails
    assert len({u.display_name for u in members}) == len(members)


def test_every_member_has_a_real_profile(app, seeded_demo):
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


def test_memberships_and_pending_requests(app, seeded_demo):
    for user in _members():
        assert 1 <= len(user.active_memberships()) <= 2, user.email
    pending = list(db.session.scalars(select(Membership).where(Membership.status == "pending")))
    assert 3 <= len(pending) <= 4
    for membership in pending:
        assert membership.space.join_policy == "approval"
        assert membership.message.strip()
        assert membership.role == "member"


def test_coordinator_appointments_are_in_the_moderation_log(app, seeded_demo):
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


def test_accounts_were_created_over_several_months(app, seeded_demo):
    now = utcnow()
    created = [u.created_at for u in db.session.scalars(select(User))]
    assert max(created) - min(created) > timedelta(days=120)
    assert all(now - timedelta(days=270) < c < now for c in created)


def test_demo_password_logs_in(app, seeded_demo):
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
    _one_member_in_three_has_a_drawn_picture_that_is_served(app)


def _one_member_in_three_has_a_drawn_picture_that_is_served(app):
    """(Here rather than on `seeded_demo`: the files come with a real seed, not with rows.)"""
    pictured = db.session.scalars(select(User).where(User.photo.is_not(None))).all()
    assert len(pictured) == len(demo.MEMBERS[:: demo_portraits.EVERY]) == 14
    assert len({u.photo for u in pictured}) == len(pictured)  # each its own landscape
    client = app.test_client()
    for user in pictured:
        served = client.get(f"/photos/{user.id}/large/{user.photo}.webp")
        assert served.status_code == 200 and served.mimetype == "image/webp", user.email


def test_print_logins_lists_one_coordinator_per_space(app, seeded_demo):
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


def test_seed_publishes_listings_across_spaces_and_categories(app, seeded_demo):
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


def test_listings_were_published_over_four_months_by_members_already_there(app, seeded_demo):
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


def test_listing_states_and_premoderation(app, seeded_demo):
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


def test_a_coordinator_hid_one_listing_and_logged_why(app, seeded_demo):
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


def test_one_open_report_by_a_member_of_the_space(app, seeded_demo):
    reports = list(db.session.scalars(select(Report).where(Report.status == "open")))
    assert len(reports) == 1
    report = reports[0]
    assert report.status == "open" and report.reason == "misleading" and report.text.strip()
    assert report.member_id is None and report.listing is not None
    listing = report.listing
    assert listing.is_public() and listing.moderation == "approved"
    assert report.reporter_id != listing.author_id
    assert _is_active_member(report.reporter_id, listing.space_id)
    assert listing.created_at < report.created_at <= utcnow()


def test_the_search_finds_the_demo_listings(app, seeded_demo):
    compta = listing_queries.find(Filters(q="compta"))
    assert compta.total >= 3
    assert sum("comptabilite" in li.search_text for li in compta.items) >= 3

    def authors_of(q: str, word: str) -> set[str]:
        found = listing_queries.find(Filters(q=q), per_page=100).items
        return {li.author.display_name for li in found if word in fold(li.summary + li.details)}

    assert authors_of("developpeur", "developpeuse web")  # Maëlle, développeuse web
    assert authors_of("traducteur", "traductrice")  # Manon and Marta, traductrices
    assert listing_queries.find(Filters(q="menuiserie")).total >= 1
    velo = listing_queries.find(Filters(q="réparation de vélos")).items
    assert any("velos" in li.search_text for li in velo)
    assert listing_queries.find(Filters(category="langues", kind="offer")).total >= 2


def test_public_listings_are_the_visible_ones_only(app, seeded_demo):
    items = _listings()
    visible = {li.id for li in items if li.is_public()}
    assert len(visible) == len(items) - 11
    page = listing_queries.find(Filters(), per_page=200)
    assert page.total == len(visible)
    assert {li.id for li in page.items} == visible
    for category in db.session.scalars(select(Category)):
        found = listing_queries.find(Filters(category=category.slug), per_page=200)
        assert found.total == sum(
            li.id in visible and li.category_id == category.id for li in items
        ), category.slug


def test_demo_listings_show_on_their_pages(client, auth, seeded_demo):
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


# ---------------------------------------------------------------------------- exchanges


def _joined(user_id: int) -> object:
    """When a member first became active in a space."""
    return db.session.scalar(
        select(func.min(Membership.decided_at)).where(
            Membership.user_id == user_id, Membership.status == "active"
        )
    )


def _logins() -> list[User]:
    lines: list[str] = []
    demo.print_logins(lines.append)
    emails = [line.split()[1] for line in lines[1:]]
    return [db.session.scalar(select(User).where(User.email == e)) for e in emails]


def test_exchanges_in_every_state(app, seeded_demo):
    now = utcnow()
    items = list(db.session.scalars(select(Exchange)))
    states = Counter(e.effective_state for e in items)
    assert set(states) == set(STATES), states
    assert states["confirmed"] >= 100
    assert all(states[s] >= 2 for s in ("proposed", "accepted", "done", "declined", "cancelled"))
    assert sum(e.listing_id is None for e in items) >= 30  # direct logs, outside any listing
    # Disputes: one waits for a coordinator, two were resolved, one each way.
    waiting = [e for e in items if e.state == "disputed"]
    assert len(waiting) == 1 and waiting[0].dispute_reason
    resolved = [e for e in items if e.resolved_by_id is not None]
    assert sorted(e.state for e in resolved) == ["cancelled", "confirmed"]
    log = {
        a.target_id: a
        for a in db.session.scalars(
            select(ModerationAction).where(ModerationAction.action == "exchange_resolved")
        )
    }
    for exchange in resolved:
        entry = log[exchange.id]
        assert entry.actor_id == exchange.resolved_by_id and entry.reason
        assert entry.details["outcome"] == (
            "confirm" if exchange.state == "confirmed" else "cancel"
        )
        assert entry.created_at == exchange.closed_at
        assert exchange.dispute_reason and exchange.events[-1].kind == "resolved"
    # The coordinators of the parties' spaces were told of the open dispute and see it.
    dispute = waiting[0]
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.kind == "dispute_opened",
                Notification.link == f"/echanges/{dispute.id}",
            )
        )
    )
    assert told and not told & set(dispute.parties())
    for user_id in told:
        coordinator = db.session.get(User, user_id)
        assert dispute in exchange_queries.disputed_for(coordinator)
    # Expired logs moved nothing and were closed by the daily job, after their time was up.
    for exchange in (e for e in items if e.state == "expired"):
        assert exchange.closed_at >= exchange.expires_at and exchange.closed_at <= now


def test_settled_exchanges_moved_their_time_once(app, seeded_demo):
    settled = {t.exchange_id: t for t in db.session.scalars(select(Transfer)) if t.exchange_id}
    for exchange in db.session.scalars(select(Exchange)):
        transfer = settled.get(exchange.id)
        if exchange.state != "confirmed":
            assert transfer is None, exchange.title
            continue
        assert transfer is not None and transfer.kind == "settlement", exchange.title
        assert transfer.amount == exchange.minutes
        assert transfer.debit_account.user_id == exchange.receiver_id
        assert transfer.credit_account.user_id == exchange.provider_id
        assert transfer.created_at == exchange.closed_at
        assert transfer.author_id in (*exchange.parties(), exchange.resolved_by_id)


def test_exchange_histories_are_coherent(app, seeded_demo):
    now = utcnow()
    for e in db.session.scalars(select(Exchange)):
        times = [ev.created_at for ev in e.events]
        assert times == sorted(times) and times, e.title
        assert e.created_at == times[0] and e.updated_at == times[-1] <= now, e.title
        assert (e.closed_at is not None) == (
            e.state not in ("proposed", "accepted", "done", "disputed")
        )
        assert e.provider_id != e.receiver_id
        for party in e.parties():
            assert _joined(party) < e.created_at, (e.title, party)
        if e.listing is not None:
            assert e.title == e.listing.title and e.listing.created_at < e.created_at
            author = e.listing.author_id
            assert author == (e.provider_id if e.listing.kind == "offer" else e.receiver_id)
            assert e.initiator_id != author and e.events[0].kind == "proposed"
            if e.listing.mode == "on_site" and e.created_at < now - timedelta(days=15):
                assert _is_active_member(e.initiator_id, e.listing.space_id), e.title
        else:
            assert e.events[0].kind == "logged" and e.initiator_id == e.logged_by_id
        if e.state in ("done", "confirmed", "expired", "disputed"):
            assert e.minutes and e.logged_by_id in e.parties() and e.performed_on
            assert e.performed_on <= e.logged_at.date() + timedelta(days=1)
        if e.state == "done":
            assert e.expires_at > now  # still waiting for its confirmation
        for ev in e.events:
            assert "{" not in ev.message and "None" not in ev.message, ev.message
        if e.state == "confirmed" and e.resolved_by_id is None:
            confirmer = e.events[-1].actor_id
            assert e.events[-1].kind == "confirmed" and confirmer != e.logged_by_id
    # Proposals say something, in French, about the listing they answer.
    messages = [e.message for e in db.session.scalars(select(Exchange)) if e.listing_id]
    assert all(m.strip() for m in messages)
    assert len(set(messages)) > 0.8 * len(messages)


def test_history_spans_months_in_date_order(app, seeded_demo):
    now = utcnow()
    moved = list(db.session.scalars(select(Transfer).order_by(Transfer.id)))
    assert len(moved) >= 150
    dates = [t.created_at for t in moved]
    assert dates == sorted(dates)  # written in the order they happened
    assert min(dates) < now - timedelta(days=100) and max(dates) <= now
    months = Counter(d.strftime("%Y-%m") for d in dates)
    assert sum(count >= 15 for count in months.values()) >= 3, months
    assert {t.kind for t in moved} == {"settlement", "gift", "retribution", "correction"}
    for t in moved:
        assert t.reason.strip(), t.id
        assert [e.created_at for e in t.entries] == [t.created_at] * 2


def test_the_ledger_verifies_and_balances_keep_their_limits(app, seeded_demo):
    report = ledger_transfers.verify()
    assert report.ok, report.problems
    assert report.transfers >= 150 and report.total == 0
    rules = network_rules.current()
    balances = list(db.session.scalars(select(Account)))
    for account in balances:
        if account.is_pot:
            assert account.balance >= 0
        else:
            assert rules.credit_floor <= account.balance <= rules.credit_ceiling, account.user_id
    assert sum(a.balance for a in balances) == 0
    assert sum(a.balance < 0 for a in balances) >= 5 and sum(a.balance > 0 for a in balances) >= 5


def test_running_balances_follow_the_dates(app, seeded_demo):
    rules = network_rules.current()
    by_account: dict[int, list[Entry]] = {}
    for entry in db.session.scalars(select(Entry).order_by(Entry.id)):
        by_account.setdefault(entry.account_id, []).append(entry)
    for account_id, entries in by_account.items():
        account = db.session.get(Account, account_id)
        floor = 0 if account.is_pot else rules.credit_floor
        balance, when = 0, None
        for entry in entries:
            balance += entry.amount
            assert entry.balance_after == balance, (account_id, entry.id)
            assert floor <= balance and (account.is_pot or balance <= rules.credit_ceiling)
            assert when is None or when <= entry.created_at, (account_id, entry.id)
            when = entry.created_at
        assert balance == account.balance
        # The statement on screen reads the same movements with the same running balance.
        st = statements.statement(account)
        assert [line.balance_after for line in st.lines] == [e.balance_after for e in entries]


def test_the_pot_receives_gifts_and_pays_retributions(app, seeded_demo):
    pot = ledger_transfers.pot()
    lines = statements.pot_statement().lines
    gifts = [line for line in lines if line.transfer.kind == "gift"]
    paid = [line for line in lines if line.transfer.kind == "retribution"]
    assert len(gifts) >= 10 and all(line.amount > 0 for line in gifts)
    assert len(paid) >= 10 and all(line.amount < 0 for line in paid)
    assert len({line.counterpart.user_id for line in gifts}) >= 5
    assert any("Care'n Share" in line.transfer.reason for line in paid)
    assert any("wiki commun" in line.transfer.reason for line in paid)
    assert pot.balance == lines[-1].balance_after >= 0
    logged = {
        a.target_id: a
        for a in db.session.scalars(
            select(ModerationAction).where(ModerationAction.action == "pot_retribution")
        )
    }
    for line in paid:
        transfer = line.transfer
        entry = logged[transfer.id]
        assert entry.actor_id == transfer.author_id and entry.reason == transfer.reason
        assert entry.subject_user_id == line.counterpart.user_id
        assert entry.created_at == transfer.created_at
        author = transfer.author
        member_spaces = {m.space_id for m in line.counterpart.user.active_memberships()}
        assert author.is_admin or author.coordinated_space_ids() & member_spaces
        assert author.id != line.counterpart.user_id
    # Between members too, and one mistake reversed by the admin, in the moderation log.
    member_gifts = db.session.scalars(
        select(Transfer).where(Transfer.kind == "gift", Transfer.credit_account_id != pot.id)
    ).all()
    assert len(member_gifts) >= 8
    (correction,) = db.session.scalars(select(Transfer).where(Transfer.kind == "correction"))
    assert correction.author.is_admin and correction.reverses.kind == "gift"
    assert correction.amount == correction.reverses.amount
    assert correction.debit_account_id == correction.reverses.credit_account_id
    assert correction.created_at > correction.reverses.created_at
    assert (
        db.session.scalar(
            select(func.count(ModerationAction.id)).where(
                ModerationAction.action == "transfer_corrected",
                ModerationAction.target_id == correction.reverses_id,
            )
        )
        == 1
    )


def test_the_demo_logins_have_statements_worth_reading(app, seeded_demo):
    now = utcnow()
    logins = _logins()
    assert logins[0].is_admin and len(logins) == 9
    for user in logins:
        account = ledger_transfers.account_of(user.id)
        movements = len(statements.statement(account).lines)
        if _joined(user.id) < now - timedelta(days=60):
            assert movements >= 12, (user.email, movements)
        else:  # joined in the last days
            assert movements >= 1, user.email
        mine = exchange_queries.for_member(user.id)
        assert mine.waiting_on_me, user.email  # something to answer, log or confirm
        for exchange in mine.waiting_on_me:
            assert db.session.scalar(
                select(func.count(Notification.id)).where(
                    Notification.user_id == user.id,
                    Notification.link == f"/echanges/{exchange.id}",
                    Notification.read_at.is_(None),
                )
            ), (user.email, exchange.title)
        assert mine.closed or movements < 12
    first = logins[1]  # the first coordinator listed
    assert len(statements.statement(ledger_transfers.account_of(first.id)).lines) >= 12


def test_notifications_are_dated_with_their_step(app, seeded_demo):
    now = utcnow()
    for note in db.session.scalars(select(Notification)):
        if note.kind in FEEDBACK_NOTES:  # dated with their feedback: see below
            continue
        assert note.created_at <= now
        if note.kind == "message_received":  # dated with the message it announces
            conversation = db.session.get(Conversation, int(note.link.rsplit("/", 1)[1]))
            assert note.created_at == conversation.last_message_at
            continue
        exchange_id = int(note.link.rsplit("/", 1)[1])
        exchange = db.session.get(Exchange, exchange_id)
        assert note.created_at in {ev.created_at for ev in exchange.events}, note.kind
    assert db.session.scalar(select(func.count(Notification.id))) >= 20


def test_the_admin_exchanges_as_a_member_of_a_space(app, seeded_demo):
    admin = db.session.scalar(select(User).where(User.email == demo.ADMIN_EMAIL))
    (membership,) = admin.active_memberships()
    assert membership.role == "member" and membership.space.city == "Lyon"
    assert membership.decided_at < min(
        e.created_at
        for e in db.session.scalars(
            select(Exchange).where(
                (Exchange.provider_id == admin.id) | (Exchange.receiver_id == admin.id)
            )
        )
    )


def test_account_pages_of_the_demo(client, auth, seeded_demo):
    first = _logins()[1]
    assert auth.login(first, demo.DEMO_PASSWORD).status_code == 302
    lines = statements.statement(ledger_transfers.account_of(first.id)).lines
    page = client.get("/compte")
    assert page.status_code == 200
    assert all(line.transfer.reason in page.text for line in lines[-5:])
    pot = client.get("/caisse-commune")
    assert pot.status_code == 200 and "Care'n Share" in pot.text
    mine = client.get("/echanges")
    waiting = exchange_queries.for_member(first.id).waiting_on_me[0]
    assert mine.status_code == 200 and waiting.title in mine.text
    one = client.get(f"/echanges/{waiting.id}")
    assert one.status_code == 200 and waiting.message in one.text
    csv = client.get("/compte/releve.csv")
    assert csv.status_code == 200 and csv.get_data(as_text=True).count("\r\n") == len(lines) + 1
    # A coordinator of a party's space finds the open dispute in the moderation queue.
    dispute = db.session.scalar(select(Exchange).where(Exchange.state == "disputed"))
    coordinator = next(
        db.session.get(User, uid)
        for uid in db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "dispute_opened")
        )
    )
    auth.logout()
    assert auth.login(coordinator, demo.DEMO_PASSWORD).status_code == 302
    queue = client.get("/moderation")
    assert queue.status_code == 200 and dispute.title in queue.text
    assert client.get(f"/echanges/{dispute.id}").status_code == 200


def test_the_demo_sends_no_email(app, outbox):
    demo.seed()
    assert outbox == []
    # The open exchanges went through the services all the same: the parties were told.
    notified = db.session.scalar(select(func.count(func.distinct(Notification.user_id))))
    assert notified >= len(demo_history.RECENT)


# ---------------------------------------------------------------------------- feedback


def _feedback() -> list[Feedback]:
    return list(db.session.scalars(select(Feedback).order_by(Feedback.id)))


def _by_exchange(items: list[Feedback]) -> dict[int, list[Feedback]]:
    found: dict[int, list[Feedback]] = {}
    for f in sorted(items, key=lambda f: f.created_at):
        found.setdefault(f.exchange_id, []).append(f)
    return found


def test_most_confirmed_exchanges_have_feedback(app, seeded_demo):
    now = utcnow()
    confirmed = list(db.session.scalars(select(Exchange).where(Exchange.state == "confirmed")))
    items = _feedback()
    written = _by_exchange(items)
    assert 0.75 <= len(written) / len(confirmed) <= 0.85, (len(written), len(confirmed))
    assert sum(len(found) == 2 for found in written.values()) > len(written) / 2
    closed = [e for e in confirmed if feedback.window_end(e) <= now]
    assert any(len(written.get(e.id, [])) == 1 for e in closed)  # one side only
    assert any(e.id not in written for e in closed)  # nobody wrote
    recommendations = Counter(f.recommendation for f in items)
    assert recommendations["recommends"] >= 0.8 * len(items)
    assert recommendations["neutral"] >= 5
    assert 2 <= recommendations["not_recommended"] <= 5
    assert sum(bool(f.comment) for f in items) >= 0.75 * len(items)
    # Skills are confirmed by receivers, on listings that name some (a direct log names none).
    could = [f for f in items if feedback.confirmable_skills(f.exchange, f.author_id)]
    assert could and sum(bool(f.skills) for f in could) >= 0.6 * len(could), len(could)


def test_no_demo_feedback_breaks_a_rule(app, seeded_demo):
    now = utcnow()
    items = _feedback()
    assert len({(f.exchange_id, f.author_id) for f in items}) == len(items)  # once each
    for f in items:
        exchange = f.exchange
        assert exchange.state == "confirmed", exchange.title
        assert f.author_id in exchange.parties(), exchange.title
        assert f.subject_id == exchange.other_party(f.author_id) != f.author_id
        ends = feedback.window_end(exchange)
        assert exchange.closed_at < f.created_at < ends and f.created_at <= now, exchange.title
        assert f.created_at <= f.updated_at <= min(f.visible_from, now)  # edited while blind
        # Skills: only the receiver confirms, only those the service would have offered.
        offered = {s.id for s in feedback.confirmable_skills(exchange, f.author_id)}
        assert {s.id for s in f.skills} <= offered, exchange.title
        assert not f.skills or f.author_id == exchange.receiver_id
        assert len(f.comment) <= feedback.MAX_COMMENT
        if f.replied_at is None:
            assert f.reply == ""
        else:
            assert f.reply.strip() and len(f.reply) <= feedback.MAX_REPLY
            assert f.visible_from < f.replied_at <= now
    # Both appear together when the second writes, else when the window closes; then announced.
    for found in _by_exchange(items).values():
        exchange = found[0].exchange
        if len(found) == 2:
            assert {f.visible_from for f in found} == {found[1].created_at}
        else:
            assert found[0].visible_from == feedback.window_end(exchange)
        for f in found:
            if f.is_visible(now):
                assert f.announced_at is not None and f.visible_from <= f.announced_at <= now
            else:
                assert f.announced_at is None


def test_recent_exchanges_wait_double_blind(app, seeded_demo):
    now = utcnow()
    written = _by_exchange(_feedback())
    blind = [f for found in written.values() for f in found if not f.is_visible(now)]
    assert len(blind) >= 3
    for f in blind:
        exchange = f.exchange
        assert written[exchange.id] == [f]  # the other side has not written yet
        assert now < feedback.window_end(exchange)
        assert feedback.refusal(f.author, exchange, now) is None  # its author may still edit it
        seen = feedback.on_exchange(exchange, f.subject, now)
        assert seen.theirs is None and seen.theirs_waits and seen.can_write
        assert f.id not in {
            g.id for g in reputation_summaries.latest(f.subject_id, limit=100, now=now)
        }
    logins = {u.id for u in _logins()}
    assert sum(f.subject_id in logins for f in blind) >= 2  # waiting for demo log-ins
    # Among the exchanges still open, some were answered by both sides already.
    open_ = [
        e
        for e in db.session.scalars(select(Exchange).where(Exchange.state == "confirmed"))
        if feedback.window_end(e) > now
    ]
    assert any(len(written.get(e.id, [])) == 2 for e in open_)
    assert any(e.id not in written for e in open_)


def test_feedback_words_are_varied_and_concrete(app, seeded_demo):
    items = _feedback()
    comments = [f.comment for f in items if f.comment]
    assert len(set(comments)) == len(comments)  # no two alike
    sentences = {s for c in comments for s in re.split(r"(?<=[.!?])\s+", c)}
    assert len(sentences) >= 40
    for words in comments + [f.reply for f in items if f.reply]:
        assert "{" not in words and "None" not in words and "lorem" not in words.lower(), words
        assert words == words.strip() and words[0].isupper(), words
    works = ("tva", "compta", "velo", "tradu", "site", "statuts", "photos", "etagere", "ourlet")
    # Which exchanges already carry feedback depends on the hour the demo is seeded at (a
    # window closes, a late writer has not written yet): count the works that have words.
    titled = {f.exchange_id: fold(f.exchange.title) for f in items if f.comment}
    with_words = [work for work in works if any(work in title for title in titled.values())]
    assert len(with_words) >= 5, with_words
    # Concrete: the comments on each work quote a sentence written for that kind of work.
    specific = [
        max(sentence.split("{first}"), key=len)
        for _keys, sentence in demo_words.RECEIVED + demo_words.GAVE
    ]
    concrete = [
        work
        for work in with_words
        if any(
            work in fold(f.exchange.title) and any(part in f.comment for part in specific)
            for f in items
            if f.comment
        )
    ]
    assert len(concrete) >= len(with_words) - 1, set(with_words) - set(concrete)
    # Criticism stays calm and factual.
    for f in items:
        if f.recommendation != "recommends":
            assert f.comment and "!" not in f.comment, f.comment


def test_some_feedback_has_a_public_reply(app, seeded_demo):
    now = utcnow()
    items = _feedback()
    replied = [f for f in items if f.replied_at is not None]
    assert 8 <= len(replied) <= 14
    assert len({f.reply for f in replied}) == len(replied)
    assert all(f.is_visible(now) for f in replied)
    # Thanks, and calm answers to those who did not recommend.
    assert {f.recommendation for f in replied} == {"recommends", "neutral", "not_recommended"}
    shown = reputation_summaries.latest(replied[0].subject_id, limit=100, now=now)
    assert replied[0].reply in [f.reply for f in shown]


def test_one_hidden_comment_was_reported_and_logged(client, seeded_demo):
    now = utcnow()
    (hidden,) = (f for f in _feedback() if f.comment_hidden_at is not None)
    assert hidden.is_visible(now) and hidden.comment and hidden.comment_hidden_reason.strip()
    assert hidden.reply_hidden_at is None
    (report,) = db.session.scalars(select(Report).where(Report.feedback_id.is_not(None)))
    assert report.feedback_id == hidden.id
    assert report.status == "actioned" and report.outcome == "feedback_hidden"
    assert report.reporter_id != hidden.author_id and report.text.strip()
    assert hidden.visible_from < report.created_at < report.handled_at == hidden.comment_hidden_at
    assert hidden.comment_hidden_at <= now
    (entry,) = db.session.scalars(
        select(ModerationAction).where(ModerationAction.action == "feedback_hidden")
    )
    coordinator = db.session.get(User, entry.actor_id)
    assert entry.actor_id == report.handled_by_id
    assert rights.can_act_on_feedback(coordinator, hidden)  # neither party, coordinates
    assert coordinator.is_coordinator_of(entry.space_id)
    assert entry.space_id in rights.active_space_ids(hidden.subject_id)
    assert (entry.target_type, entry.target_id) == ("feedback", hidden.id)
    assert entry.subject_user_id == hidden.author_id
    assert entry.reason == hidden.comment_hidden_reason
    assert entry.created_at == hidden.comment_hidden_at
    assert entry.details["part"] == "comment" and entry.details["reports"] == [report.id]
    assert entry.details["item"] == f"{hidden.author.display_name} → {hidden.subject.display_name}"
    # The author was told why; the reporter was told it was done.
    (told,) = db.session.scalars(select(Notification).where(Notification.kind == "feedback_hidden"))
    assert told.user_id == hidden.author_id and told.data["reason"] == entry.reason
    assert told.created_at == entry.created_at
    (answered,) = db.session.scalars(
        select(Notification).where(Notification.kind == "report_handled")
    )
    assert answered.user_id == report.reporter_id
    assert answered.data["outcome"] == "feedback_hidden"
    # The words are out of sight; the recommendation still counts.
    page = client.get(f"/membres/{hidden.subject_id}/retours")
    assert page.status_code == 200
    assert "Commentaire masqué par la coordination." in page.text
    assert hidden.comment not in page.text
    about = [f for f in _feedback() if f.subject_id == hidden.subject_id and f.is_visible(now)]
    summary = reputation_summaries.summary(hidden.subject_id, now)
    assert summary.voices == len({f.author_id for f in about}) and summary.recommends >= 1


def test_members_with_very_different_histories(app, seeded_demo):
    now = utcnow()
    members = _members()
    found = reputation_summaries.summaries([u.id for u in members], now)
    items = _feedback()
    about = Counter(f.subject_id for f in items)
    wrote = Counter(f.author_id for f in items)
    # A member recommended by many distinct counterparts, with skills they confirmed.
    veterans = [
        u
        for u in members
        if found[u.id].voices >= 6 and found[u.id].recommends == found[u.id].voices
    ]
    assert veterans
    skills = [reputation_summaries.summary(u.id, now).skills for u in veterans]
    assert any(len(s) >= 3 and max(n for _, n in s) >= 2 for s in skills)
    # A member whose counterparts say different things.
    assert any(s.recommends and s.neutral and s.not_recommended for s in found.values())
    # Confirmed exchanges, but nobody has written about them yet.
    assert any(found[u.id].exchanges and not about[u.id] for u in members)
    # New: nothing at all.
    assert any(not found[u.id].exchanges and not about[u.id] and not wrote[u.id] for u in members)


def test_feedback_notifications_are_dated_with_their_feedback(app, seeded_demo):
    now = utcnow()
    items = _feedback()
    written = _by_exchange(items)
    notes = list(
        db.session.scalars(select(Notification).where(Notification.kind.in_(FEEDBACK_NOTES)))
    )
    kinds = Counter(n.kind for n in notes)
    assert kinds["feedback_waiting"] >= 3 and kinds["feedback_published"] >= 2
    for note in notes:
        assert note.created_at <= now, note.kind
        if note.kind in ("feedback_waiting", "feedback_published"):
            found = written[int(note.link.rsplit("/", 1)[1])]
            exchange = found[0].exchange
            assert note.user_id in exchange.parties()
            if note.kind == "feedback_waiting":
                assert note.user_id == found[0].subject_id
                assert note.created_at == found[0].created_at
                assert note.data["until"] == feedback.window_end(exchange).isoformat()
            else:
                assert note.created_at == found[0].announced_at
        elif note.kind == "feedback_replied":
            assert any(
                f.replied_at == note.created_at and f.author_id == note.user_id for f in items
            )
    # Whoever has feedback waiting for theirs was told.
    for f in items:
        if not f.is_visible(now):
            assert any(
                n.kind == "feedback_waiting"
                and n.user_id == f.subject_id
                and n.link == f"/echanges/{f.exchange_id}"
                for n in notes
            ), f.exchange.title


def test_demo_logins_find_feedback_waiting_and_profiles_with_reputation(client, auth, seeded_demo):
    now = utcnow()
    logins = {u.id: u for u in _logins()}
    waiting = next(f for f in _feedback() if not f.is_visible(now) and f.subject_id in logins)
    assert auth.login(logins[waiting.subject_id], demo.DEMO_PASSWORD).status_code == 302
    page = client.get(f"/echanges/{waiting.exchange_id}")
    assert page.status_code == 200
    assert f"{waiting.author.display_name} a écrit son retour" in page.text
    if waiting.comment:
        assert waiting.comment not in page.text  # double-blind
    mine = client.get("/echanges")
    assert mine.status_code == 200 and "Retours à écrire" in mine.text
    # The most recommended member's profile shows their latest comments.
    members = _members()
    found = reputation_summaries.summaries([u.id for u in members], now)
    best = max(members, key=lambda u: (found[u.id].voices, -u.id))
    shown = [f.comment for f in reputation_summaries.latest(best.id, now=now) if f.comment]
    profile = client.get(f"/membres/{best.id}")
    assert profile.status_code == 200 and shown and shown[0] in profile.text


def test_the_demo_has_conversations_worth_reading(app, seeded_demo):
    """Questions asked on listings, a word from a profile, the coordination's message: each
    between members who exist, the unread ones announced once."""
    found = db.session.scalars(select(Conversation).order_by(Conversation.id)).all()
    assert len(found) >= 4
    assert {c.kind for c in found} == {"members", "coordination"}
    assert any(c.listing_id for c in found)
    for conversation in found:
        assert len(conversation.participants) == 2
        for participant in conversation.participants:
            if participant.unread:
                notice = db.session.get(Notification, participant.notification_id)
                assert notice is not None and notice.read_at is None
