"""The search page's counts and popular tags are cached, and never stale after a change:
a new, paused or suspended member's listing changes them at once, in every worker sharing
the Redis; with Redis away they are computed as if nothing was cached."""

from __future__ import annotations

import pytest

from exchange.adapters import cache
from exchange.services.community import members
from exchange.services.listings import publishing
from exchange.services.listings import queries as listing_queries
from exchange.services.listings.queries import Filters
from exchange.services.moderation import acts
from models import Space, User, db
from tests import factories
from tests.conftest import _empty_tables
from tests.querycount import counting


def _total(**filters) -> int:
    return listing_queries.find(Filters(**filters)).total


def _tags() -> list[str]:
    return [s.slug for s in listing_queries.popular_tags(5)]


@pytest.fixture
def network(app):
    space = factories.space("La Ruche")
    author = factories.member(display_name="Inès Roux")
    factories.listing(author, space, "Comptabilité", tags="compta, excel")
    factories.listing(author, space, "Tableur", tags="excel")
    db.session.commit()
    return space, author


def test_a_second_read_runs_no_count_or_ranking_query(app, network):
    assert _total() == 2 and _tags() == ["excel", "compta"]
    with counting() as queries:
        assert _total() == 2 and _tags() == ["excel", "compta"]
    statements = " ".join(queries.sql).lower()
    assert "count(" not in statements and "group by" not in statements


def test_new_paused_and_suspended_are_counted_at_once(app, network):
    space, author = network
    assert _total() == 2 and _total(space_id=space.id) == 2
    other = factories.member(display_name="Paul Blanc")
    factories.listing(other, space, "Menuiserie", tags="bois")
    db.session.commit()
    assert _total() == 3 and "bois" in _tags()
    first = listing_queries.by_author(author.id, public_only=True)[0]
    publishing.change_status(author.id, first.id, "pause")
    assert _total() == 2
    coordinator = factories.coordinator(space)
    db.session.commit()
    acts.suspend_member(coordinator.id, other.id, "Annonces trompeuses répétées.")
    assert _total() == 1 and "bois" not in _tags()


def test_a_rolled_back_change_leaves_the_cache_alone(app, network):
    _space, author = network
    assert _total() == 2
    generation = app.extensions["archipel.cache"].generation("listings")
    listing = listing_queries.by_author(author.id, public_only=True)[0]
    listing.status = "closed"
    db.session.flush()
    db.session.rollback()
    assert app.extensions["archipel.cache"].generation("listings") == generation
    assert _total() == 2


def test_memory_values_expire_and_the_store_never_grows_past_its_bound():
    store = cache.MemoryStore()
    store.set("a", 1, ttl=-1)
    assert store.get("a") is None
    for i in range(cache.MAX_MEMORY_KEYS + 10):
        store.set(f"k{i}", i, ttl=60)
    assert len(store._values) <= cache.MAX_MEMORY_KEYS


@pytest.fixture
def emptied_after(make_app):
    """Tests that build their own apps empty the tables themselves."""
    yield
    with make_app().app_context():
        _empty_tables()


def test_two_workers_sharing_redis_see_each_others_changes(make_app, redis_server, emptied_after):
    redis_server.ensure_running()
    redis_server.client().flushall()
    first = make_app(CACHE_REDIS_URL=redis_server.url)
    second = make_app(CACHE_REDIS_URL=redis_server.url)
    with first.app_context():
        space = factories.space("La Ruche")
        author = factories.member(display_name="Inès Roux")
        factories.listing(author, space, "Comptabilité")
        db.session.commit()
        assert _total() == 1
        space_id, author_id = space.id, author.id
    with second.app_context():
        with counting() as queries:
            assert _total() == 1
        assert "count(" not in " ".join(queries.sql).lower()  # read from the shared Redis
        author = db.session.get(User, author_id)
        factories.listing(author, db.session.get(Space, space_id), "Tableur")
        db.session.commit()
    with first.app_context():
        assert _total() == 2  # the second worker's commit moved the shared generation


def test_redis_away_computes_without_it(make_app, redis_server, emptied_after):
    app = make_app(CACHE_REDIS_URL=redis_server.url, REDIS_TIMEOUT=0.1)
    redis_server.kill()
    try:
        with app.app_context():
            space = factories.space("La Ruche")
            factories.listing(factories.member(), space, "Comptabilité")
            db.session.commit()
            assert _total() == 1 and _total() == 1
    finally:
        redis_server.ensure_running()


def _member_skills() -> list[tuple[str, int]]:
    return [(s.slug, n) for s, n in members.popular_skills(5)]


def _profile(user: User, skills: str) -> None:
    members.update_profile(
        user.id,
        display_name=user.display_name,
        bio="",
        city="",
        languages="",
        contact="",
        skills=skills,
        locale="fr",
    )


def test_member_skills_are_counted_once_then_follow_every_profile_change(app):
    ines = factories.member(display_name="Inès Roux", skills=("Compta", "Excel"))
    factories.member(display_name="Paul Blanc", skills=("Excel",))
    db.session.commit()
    assert _member_skills() == [("excel", 2), ("compta", 1)]
    with counting() as queries:
        assert _member_skills() == [("excel", 2), ("compta", 1)]
    assert "group by" not in " ".join(queries.sql).lower()
    _profile(ines, "Menuiserie")
    assert _member_skills() == [("excel", 1), ("menuiserie", 1)]
    factories.member(display_name="Zoé Petit", skills=("Menuiserie",))
    db.session.commit()
    assert _member_skills() == [("menuiserie", 2), ("excel", 1)]
