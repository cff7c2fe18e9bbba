"""The generated network (`flask demo seed --scale …`), at its test size: every invariant of the
services holds on the rows written in bulk, and the benchmark's members are there."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from exchange import demo_scale
from exchange.demo_scale import memberships
from exchange.services.ledger import gifts
from exchange.services.ledger import rules as network_rules
from exchange.services.ledger import transfers as ledger_transfers
from exchange.services.listings import queries as listing_queries
from exchange.services.listings import search
from exchange.services.moderation import desk as moderation_desk
from exchange.services.moderation import report_queue
from exchange.services.reputation import summaries as reputation_summaries
from models import (
    Entry,
    Exchange,
    ExchangeEvent,
    Feedback,
    Listing,
    ListingTerm,
    Membership,
    ModerationAction,
    Space,
    Transfer,
    User,
    db,
    feedback_skills,
    listing_skills,
)
from models.base import utcnow
from models.feedback import WINDOW
from models.listings import SearchVocabulary
from tests import factories

TINY = demo_scale.SCALES["tiny"]


@pytest.fixture
def built(app):
    return demo_scale.build(TINY, echo=lambda _line: None, bars=False)


def _count(column, *where) -> int:
    return db.session.scalar(select(func.count(column)).where(*where))


def _in_id_order(table, column="created_at") -> bool:
    moments = db.session.scalars(select(table.c[column]).order_by(table.c.id)).all()
    return all(a <= b for a, b in itertools.pairwise(moments))


def test_the_ledger_of_a_generated_network_is_balanced(built):
    report = ledger_transfers.verify()
    assert report.ok, report.problems[:5]
    assert report.transfers >= TINY.confirmed and report.entries == 2 * report.transfers
    rules = network_rules.current()
    pot = ledger_transfers.pot().id
    running: dict[int, int] = {}
    for account_id, amount, after in db.session.execute(
        select(Entry.account_id, Entry.amount, Entry.balance_after).order_by(Entry.id)
    ):
        running[account_id] = running.get(account_id, 0) + amount
        assert after == running[account_id], account_id
        floor, ceiling = (
            (0, None) if account_id == pot else (rules.credit_floor, rules.credit_ceiling)
        )
        assert after >= floor and (ceiling is None or after <= ceiling), (account_id, after)
    for table in (Transfer.__table__, Entry.__table__, Exchange.__table__, Feedback.__table__):
        assert _in_id_order(table), table.name
    assert _in_id_order(ModerationAction.__table__)
    assert _in_id_order(Listing.__table__)


def test_a_generated_network_has_the_counts_of_its_scale(built):
    assert _count(User.id) == TINY.members
    assert _count(User.id, User.is_admin.is_(True)) == 1
    assert _count(Space.id) == 6
    assert _count(Listing.id) == TINY.listings
    assert _count(Exchange.id, Exchange.state == "confirmed") == TINY.confirmed
    assert _count(Transfer.id, Transfer.kind == "settlement") == TINY.confirmed
    assert _count(Feedback.id) == TINY.feedback
    for state in ("proposed", "accepted", "done", "disputed", "declined", "cancelled", "expired"):
        assert _count(Exchange.id, Exchange.state == state) >= 1, state
    spaces_per_member = (
        db.session.execute(
            select(func.count())
            .select_from(Membership)
            .where(Membership.status == "active")
            .group_by(Membership.user_id)
        )
        .scalars()
        .all()
    )
    assert len(spaces_per_member) == TINY.members and set(spaces_per_member) <= {1, 2, 3}
    for space_id in db.session.scalars(select(Space.id)):
        assert (
            _count(Membership.id, Membership.space_id == space_id, Membership.role == "coordinator")
            >= 1
        )
    # Each exchange's history ends in its state.
    last = dict(
        db.session.execute(
            select(ExchangeEvent.exchange_id, ExchangeEvent.kind).order_by(ExchangeEvent.id)
        ).all()
    )
    states = dict(db.session.execute(select(Exchange.id, Exchange.state)).all())
    ends = {"logged": "done", "resolved": None}
    for exchange_id, state in states.items():
        assert ends.get(last[exchange_id], last[exchange_id]) in (state, None), exchange_id


def test_every_generated_listing_has_its_search_words_and_is_found(built):
    without_words = select(Listing.id).where(
        Listing.id.not_in(select(ListingTerm.listing_id)) | (Listing.search_text == "")
    )
    assert db.session.scalars(without_words).all() == []
    listing = db.session.scalars(
        select(Listing)
        .where(
            Listing.status == "active",
            Listing.moderation == "approved",
            Listing.expires_at > utcnow(),
        )
        .order_by(Listing.id.desc())
    ).first()
    category = listing.category
    expected_text, weights = search.searchable(
        listing.title,
        listing.summary,
        listing.details,
        listing.next_steps,
        [s.name for s in listing.skills],
        (category.name_fr, category.name_en),
    )
    stored = dict(
        db.session.execute(
            select(ListingTerm.term, ListingTerm.weight).where(ListingTerm.listing_id == listing.id)
        ).all()
    )
    # The same words as a re-index would give (in the tags' order of the database's collation).
    assert sorted(listing.search_text.split()) == sorted(expected_text.split())
    assert stored == weights
    # The search's vocabulary has every word, and a word of its title finds it.
    assert (
        db.session.scalar(
            select(func.count(ListingTerm.term.distinct())).where(
                ListingTerm.term.not_in(select(SearchVocabulary.term))
            )
        )
        == 0
    )
    word = max(search.words(listing.title), key=len)
    found = listing_queries.find(listing_queries.Filters(q=word), per_page=TINY.listings)
    assert listing.id in {item.id for item in found.items}


def test_the_reputed_member_has_the_reputation_its_feedback_gives(built):
    reputed = built.named["profile"]
    summary = reputation_summaries.summaries([reputed.id])[reputed.id]
    assert (summary.recommends, summary.neutral, summary.not_recommended) == (
        built.world.expected["recommends"],
        built.world.expected["neutral"],
        built.world.expected["not_recommended"],
    )
    assert reputation_summaries.count_visible(reputed.id) == built.world.expected["shown"]
    assert summary.voices >= 1


def test_generated_feedback_follows_the_rules_of_feedback(built):
    now = utcnow()
    rows = db.session.execute(
        select(Feedback, Exchange).join(Exchange, Exchange.id == Feedback.exchange_id)
    ).all()
    by_exchange: dict[int, list[Feedback]] = {}
    for fb, exchange in rows:
        assert exchange.state == "confirmed"
        assert {fb.author_id, fb.subject_id} == {exchange.provider_id, exchange.receiver_id}
        assert exchange.closed_at <= fb.created_at <= exchange.closed_at + WINDOW
        by_exchange.setdefault(exchange.id, []).append(fb)
    for exchange_id, written in by_exchange.items():
        exchange = db.session.get(Exchange, exchange_id)
        if len(written) == 2:  # both appear when the second writes
            assert {f.visible_from for f in written} == {max(f.created_at for f in written)}
        else:
            assert written[0].visible_from == exchange.closed_at + WINDOW
        for f in written:  # told when it appeared (by the nightly job if nobody else wrote)
            if f.announced_at is not None:
                assert f.visible_from <= f.announced_at <= now
            assert f.visible_from <= now or f.announced_at is None
    confirmed_by = db.session.execute(
        select(Feedback.author_id, Exchange.receiver_id, Exchange.listing_id)
        .join(feedback_skills, feedback_skills.c.feedback_id == Feedback.id)
        .join(Exchange, Exchange.id == Feedback.exchange_id)
    ).all()
    assert all(author == receiver and listing for author, receiver, listing in confirmed_by)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(feedback_skills)
            .join(Feedback, Feedback.id == feedback_skills.c.feedback_id)
            .join(Exchange, Exchange.id == Feedback.exchange_id)
            .where(
                feedback_skills.c.skill_id.not_in(
                    select(listing_skills.c.skill_id).where(
                        listing_skills.c.listing_id == Exchange.listing_id
                    )
                )
            )
        )
        == 0
    )


def test_the_benchmark_members_have_what_was_promised(built):
    statement, profile, desk = (built.named[r] for r in ("statement", "profile", "desk"))
    account = statement.account_id
    assert _count(Entry.id, Entry.account_id == account) == TINY.hub_entries
    assert reputation_summaries.count_visible(profile.id) >= TINY.reputed_feedback
    coordinator = db.session.get(User, desk.id)
    desk_space = db.session.scalar(select(Space.id).where(Space.name == "Coop'Sud Entreprendre"))
    assert coordinator.is_coordinator_of(desk_space)
    waiting = (
        len(moderation_desk.pending_requests(coordinator))
        + len(moderation_desk.pending_listings(coordinator))
        + len(report_queue.open_reports(coordinator))
    )
    assert waiting >= 2
    admin = db.session.get(User, built.named["admin"].id)
    assert admin.is_admin and admin.email == "admin@archipel.test"
    assert memberships.DESK_SPACE == "coopsud"


def test_the_seed_command_builds_a_scale_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed", "--scale", "tiny"])
    assert first.exit_code == 0, first.output
    assert "bench.releve@archipel.test" in first.output and "admin@archipel.test" in first.output
    again = runner.invoke(args=["demo", "seed", "--scale", "tiny"])
    assert again.exit_code != 0 and "already has members" in again.output
    quiet = runner.invoke(args=["demo", "seed", "--scale", "tiny", "--if-empty"])
    assert quiet.exit_code == 0 and "already has members" in quiet.output
    assert _count(User.id) == TINY.members


def test_the_services_go_on_after_a_generated_network(built):
    """The ids given in bulk leave the sequences behind them: new rows find free ids."""
    newcomer = factories.member(display_name="Nouvelle venue")
    giver = built.named["profile"]
    moved = gifts.give(giver.id, minutes=15, message="Merci !")
    assert newcomer.id > TINY.members and moved.id > TINY.confirmed
    assert ledger_transfers.verify().ok
