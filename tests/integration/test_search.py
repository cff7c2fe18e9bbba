"""The search finds what people mean, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from itertools import product

import pytest
from sqlalchemy import event, func, insert, select

from exchange.services.listings import publishing, search
from exchange.services.listings import queries as listing_queries
from exchange.services.listings.queries import Filters
from exchange.services.listings.vocabulary import MAX_TERMS
from models import ListingTerm, db
from models.base import utcnow
from models.listings import SearchVocabulary
from tests import factories
from tests.threads import race


@pytest.fixture
def corpus(app):
    lyon = factories.space("Les Ateliers", city="Lyon")
    nantes = factories.space("L'Écluse", city="Nantes")
    a = factories.member("Awa")
    b = factories.member("Bruno")
    made = {
        "compta": factories.listing(
            a, lyon, "Comptabilité pour associations", summary="Bilan, budget, adhésions.",
            tags="gestion", category_slug="comptabilite-gestion",
        ),
        "dev": factories.listing(
            b, nantes, "Développeuse web freelance", summary="Sites sobres et accessibles.",
            tags="Python, SEO", mode="remote", category_slug="numerique",
        ),
        "trad": factories.listing(
            a, nantes, "Traductrice anglais-français", kind="request",
            summary="Je cherche une relecture de mon site.", mode="on_site",
            category_slug="langues",
        ),
        "bois": factories.listing(
            b, lyon, "Menuiserie et petits travaux", summary="Étagères, réparations.",
            details="Je peux aussi aider pour la **comptabilité** d'un atelier.",
        ),
    }  # fmt: skip
    return made, lyon, nantes


def titles(page) -> list[str]:
    return [item.title for item in page.items]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("compta", "Comptabilité pour associations"),  # a word's beginning
        ("comptabilite", "Comptabilité pour associations"),  # no accent
        ("COMPTABILITÉ", "Comptabilité pour associations"),  # case and accent
        ("comptabilte", "Comptabilité pour associations"),  # a letter missing
        ("developpeur", "Développeuse web freelance"),  # masculine finds feminine
        ("développeuse", "Développeuse web freelance"),
        ("traducteur", "Traductrice anglais-français"),
        ("menuisier", "Menuiserie et petits travaux"),
        ("seo", "Développeuse web freelance"),  # a tag
        ("bilan budget", "Comptabilité pour associations"),  # every word, in the summary
        ("aide en comptabilité pour une association", "Comptabilité pour associations"),
    ],
)
def test_search_finds_what_people_mean(corpus, query, expected):
    page = listing_queries.find(Filters(q=query))
    assert expected in titles(page)
    assert titles(page)[0] == expected


def test_title_matches_rank_above_a_mention_in_the_details(corpus):
    assert titles(listing_queries.find(Filters(q="comptabilite"))) == [
        "Comptabilité pour associations",
        "Menuiserie et petits travaux",
    ]


def test_every_word_must_match(corpus):
    assert titles(listing_queries.find(Filters(q="comptabilite python"))) == []


def test_unrelated_words_find_nothing(corpus):
    assert listing_queries.find(Filters(q="astrophysique")).total == 0
    assert listing_queries.find(Filters(q="zz")).total == 0


def test_punctuation_and_wildcards_are_just_text(corpus):
    for q in ["%", "_", "'; DROP TABLE listings; --", "compta:*", "a & b | !c", "(", "\\"]:
        listing_queries.find(Filters(q=q))  # no error, whatever it finds


def test_newest_sort(corpus):
    made, *_ = corpus
    made["compta"].created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    page = listing_queries.find(Filters(q="comptabilite", sort="newest"))
    assert titles(page) == ["Menuiserie et petits travaux", "Comptabilité pour associations"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(kind="request"), {"Traductrice anglais-français"}),
        (Filters(kind="offer", city="Lyon"), {"Comptabilité pour associations", "Menuiserie et petits travaux"}),
        (Filters(category="numerique"), {"Développeuse web freelance"}),
        (Filters(tag="python"), {"Développeuse web freelance"}),
        (Filters(mode="remote"),
         {"Développeuse web freelance", "Comptabilité pour associations", "Menuiserie et petits travaux"}),
        (Filters(mode="on_site", q="traductrice"), {"Traductrice anglais-français"}),
        (Filters(q="comptabilite", city="Nantes"), set()),
    ],
)  # fmt: skip
def test_filters(corpus, filters, expected):
    assert set(titles(listing_queries.find(filters))) == expected


def test_space_filter(corpus):
    _made, lyon, _nantes = corpus
    assert set(titles(listing_queries.find(Filters(space_id=lyon.id)))) == {
        "Comptabilité pour associations",
        "Menuiserie et petits travaux",
    }


def test_paused_closed_hidden_expired_and_suspended_leave_the_search(corpus):
    made, *_ = corpus
    made["compta"].status = "paused"
    made["dev"].moderation = "hidden"
    made["trad"].expires_at = utcnow() - timedelta(minutes=1)
    made["bois"].author.suspended_at = utcnow()
    db.session.commit()
    assert listing_queries.find(Filters()).total == 0
    for q in ["comptabilite", "developpeuse", "traductrice", "menuiserie"]:
        assert listing_queries.find(Filters(q=q)).total == 0


def repair_bikes(item) -> None:
    """The joiner's listing becomes a bike repairer's."""
    publishing.update(
        item.author_id,
        item.id,
        publishing.ListingInput(
            kind="offer", title="Réparation de vélos", summary="Freins, dérailleurs.",
            space_id=item.space_id,
        ),
    )  # fmt: skip


def test_edit_reindexes(corpus):
    made, *_ = corpus
    repair_bikes(made["bois"])
    assert titles(listing_queries.find(Filters(q="velo"))) == ["Réparation de vélos"]
    assert "Menuiserie et petits travaux" not in titles(
        listing_queries.find(Filters(q="menuiserie"))
    )


def vocabulary() -> dict[str, int]:
    return dict(db.session.execute(select(SearchVocabulary.term, SearchVocabulary.id)).all())


def test_a_new_listing_adds_its_words_to_the_vocabulary_and_is_found_at_once(corpus):
    assert listing_queries.find(Filters(q="apiculture")).total == 0  # the words are in memory
    _made, lyon, _nantes = corpus
    factories.listing(factories.member("Chloé"), lyon, "Initiation à l'apiculture")
    assert {"initiation", "apiculture"} <= set(vocabulary())
    assert titles(listing_queries.find(Filters(q="apicultur"))) == ["Initiation à l'apiculture"]


def test_an_edit_adds_its_new_words_and_keeps_the_old_ones(corpus):
    made, *_ = corpus
    before = vocabulary()
    repair_bikes(made["bois"])
    after = vocabulary()
    assert {"velos", "freins", "derailleurs"} <= set(after)
    assert after.items() >= before.items()  # append-only: "menuiserie" keeps its id
    assert listing_queries.find(Filters(q="menuiserie")).total == 0


def test_sync_vocabulary_fills_it_from_the_listing_words_once(corpus):
    made, *_ = corpus
    # What a bulk import does: listing words written directly, the vocabulary left behind.
    db.session.execute(
        insert(ListingTerm).values(listing_id=made["trad"].id, term="interpretariat",
                                   stem=search.stem("interpretariat"), weight=3)
    )  # fmt: skip
    db.session.execute(SearchVocabulary.__table__.delete())
    db.session.commit()
    search.sync_vocabulary()
    first = vocabulary()
    assert set(first) == set(db.session.scalars(select(ListingTerm.term).distinct()))
    search.sync_vocabulary()
    assert vocabulary() == first
    assert titles(listing_queries.find(Filters(q="interpretariat"))) == [
        "Traductrice anglais-français"
    ]


@pytest.mark.parametrize("repeat", range(3))
def test_two_listings_with_the_same_new_words_saved_at_once_both_save(app, repeat):
    space = factories.space("Les Ateliers", city="Lyon")
    a, b = factories.member("Awa"), factories.member("Bruno")
    for member in (a, b):
        factories.join(member, space)
    ids = a.id, b.id
    words = ["zythologie", "brassage", "houblon", "fermentation", "levure"]

    def publish(author_id, order):
        return publishing.create(
            author_id,
            publishing.ListingInput(kind="offer", title=" ".join(order), summary="Bières.",
                                  space_id=space.id),
        ).id  # fmt: skip

    results = race(app, lambda: publish(ids[0], words), lambda: publish(ids[1], words[::-1]))
    assert all(isinstance(r, int) for r in results), results
    assert set(words) <= set(vocabulary())
    assert listing_queries.find(Filters(q="zythologie houblon")).total == 2


def _codes(n: int) -> list[str]:
    return ["".join(letters) for letters in product("abcdefghij", repeat=3)][:n]


def test_a_word_that_matches_hundreds_of_words_pages_by_the_closest(app):
    space = factories.space("Atelier vélo", city="Lyon")
    near = [factories.listing(factories.member(f"M{i}"), space, f"Atelier vélo {i}")
            for i in range(45)]  # fmt: skip
    # 300 more words that start with "velo", a hundred a listing: only the closest count.
    codes = _codes(300)
    far = [
        factories.listing(factories.member(f"Brocante {k}"), space, f"Brocante {k}",
                          details=" ".join(f"velo{c}" for c in codes[k * 100 : (k + 1) * 100]))
        for k in range(3)
    ]  # fmt: skip
    assert db.session.scalar(
        select(func.count()).where(SearchVocabulary.term.like("velo%"))
    ) == 301  # fmt: skip
    pages = [listing_queries.find(Filters(q="velo"), page=n) for n in (1, 2, 3, 4)]
    # "velo" itself and the 199 shortest, then first in alphabetical order: the words of
    # the first two "Brocante" listings, not those of the third.
    expected = [item.title for item in reversed(near)] + ["Brocante 1", "Brocante 0"]
    assert [len(p.items) for p in pages] == [20, 20, 7, 0]
    assert [p.total for p in pages] == [47] * 4
    assert [t for p in pages for t in titles(p)] == expected
    assert MAX_TERMS == 200 and far[2].title not in expected


def test_the_newest_sort_pages_in_the_database_too(app):
    space = factories.space("Couture", city="Lille")
    made = [factories.listing(factories.member(f"C{i}"), space, f"Couture {i}") for i in range(25)]
    for i, item in enumerate(made):
        item.created_at = utcnow() - timedelta(days=i)
    db.session.commit()
    first, second = (
        listing_queries.find(Filters(q="couture", sort="newest"), page=n) for n in (1, 2)
    )
    assert titles(first) + titles(second) == [f"Couture {i}" for i in range(25)]
    assert (first.total, second.total, len(second.items)) == (25, 25, 5)


def _count_queries(fn):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_search_page_costs_the_same_number_of_queries_for_5_or_60_results(app, client):
    def get(url, shown):
        response = client.get(url)
        assert response.status_code == 200 and shown in response.text

    space = factories.space("Grand lieu", city="Lille")
    author = factories.member("Prolixe")
    for i in range(5):
        factories.listing(author, space, f"Atelier couture {i}", tags="couture, textile")
    few = _count_queries(lambda: get("/annonces?q=couture", "5 annonces"))
    few_browse = _count_queries(lambda: get("/annonces", "5 annonces"))
    for i in range(55):
        other = factories.member(f"Auteur {i}")
        factories.listing(other, space, f"Atelier couture {i + 5}", tags=f"couture, tag{i}")
    many = _count_queries(lambda: get("/annonces?q=couture", "60 annonces"))
    many_browse = _count_queries(lambda: get("/annonces", "60 annonces"))
    assert many == few
    assert many_browse == few_browse
