"""The search finds what people mean, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from exchange.services import listing_queries, listings
from exchange.services.listing_queries import Filters
from models import db
from models.base import utcnow
from tests import factories


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


def test_edit_reindexes(corpus):
    made, *_ = corpus
    item = made["bois"]
    listings.update(
        item.author_id,
        item.id,
        listings.ListingInput(
            kind="offer", title="Réparation de vélos", summary="Freins, dérailleurs.",
            space_id=item.space_id,
        ),
    )  # fmt: skip
    assert titles(listing_queries.find(Filters(q="velo"))) == ["Réparation de vélos"]
    assert "Menuiserie et petits travaux" not in titles(
        listing_queries.find(Filters(q="menuiserie"))
    )


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
