"""Nothing a person (or a script) types turns into a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange.services.ledger import gifts
from models import Skill, db
from tests import factories


@pytest.fixture
def world(app):
    space = factories.space("Le Hangar")
    member = factories.member("Léa")
    factories.join(member, space)
    return space, member


@pytest.mark.parametrize(
    "path",
    [
        "/lieux/{space}?space_id=2", "/membres/{member}?user_id=9", "/?_method=POST",
        "/?_external=1&_anchor=x", "/lieux/{space}?lang=en&space_id=abc", "/?endpoint=x",
        "/membres?endpoint=x&page=2",
    ],
)  # fmt: skip
def test_query_keys_that_collide_with_route_arguments_are_harmless(client, world, path):
    space, member = world
    response = client.get(path.format(space=space.id, member=member.id))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/membres/99999999999999999999", "/lieux/99999999999999999999", "/annonces/2147483648"],
)
def test_huge_ids_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/membres?page=99999999999999999999",
        "/membres?lieu=99999999999999999999",
        "/membres?page=%C2%B2",  # a digit to Python, not a number to int()
    ],
)
def test_huge_numbers_in_the_query_are_ignored(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/membres?q=%00", "/annonces?q=a%00b", "/?x%00=1"])
def test_nul_bytes_in_the_query_are_a_400(client, path):
    assert client.get(path).status_code == 400


def test_nul_bytes_in_a_form_are_a_400_and_change_nothing(client, auth, world):
    _space, member = world
    auth.login(member)
    response = client.post("/profil", data={"display_name": "Lé\x00a", "locale": "fr"})
    assert response.status_code == 400
    db.session.refresh(member)
    assert member.display_name == "Léa"


def test_profile_post_with_missing_fields_saves_what_was_sent(client, auth, world):
    _space, member = world
    auth.login(member)
    response = client.post("/profil", data={"display_name": "Léa M.", "locale": "fr"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.display_name == "Léa M." and member.skills == []


def test_a_skill_that_folds_longer_than_its_column_is_cut(client, auth, world):
    _space, member = world
    auth.login(member)
    response = client.post(
        "/profil", data={"display_name": "Léa", "locale": "fr", "skills": "ﬃ" * 60}
    )
    assert response.status_code == 302
    assert all(len(s.slug) <= 60 for s in db.session.scalars(select(Skill)))


def test_an_oversized_request_is_refused_cleanly(client):
    response = client.post(
        "/connexion", data={"email": "a@b.c", "password": "x" * (3 * 1024 * 1024)}
    )
    assert response.status_code == 413


# --------------------------------------------------------------------------- extreme periods


@pytest.mark.parametrize(
    "path",
    [
        "/compte?du=0001-01-01",
        "/compte?au=9999-12-31",
        "/compte?du=0001-01-01&au=9999-12-31",
        "/compte/releve.csv?du=0001-01-01",
        "/compte/releve.csv?au=9999-12-31",
        "/caisse-commune?au=9999-12-31",
        "/caisse-commune?du=0001-01-01",
    ],
)
def test_a_period_at_the_edge_of_the_calendar_shows_every_movement(client, auth, world, path):
    space, alice = world
    bob = factories.member("Bob")
    factories.join(bob, space)
    gifts.give(alice.id, minutes=60, message="Don-visible", to_member_id=bob.id)
    gifts.give(alice.id, minutes=30, message="Don-à-la-caisse")
    auth.login(alice)
    response = client.get(path)
    assert response.status_code == 200
    expected = "Don-à-la-caisse" if "caisse" in path else "Don-visible"
    assert expected in response.text


@pytest.mark.parametrize("brk", ["\r\n", "\n", "\u2028", "\t"], ids=repr)
def test_a_way_back_with_a_line_break_leads_to_the_default_page(client, auth, world, brk):
    """`next` becomes a Location header: a line break there must never reach it."""
    space, member = world
    coordinator = factories.coordinator(space)
    listing = factories.listing(member, space, "Atelier vélo")
    auth.login(coordinator)
    response = client.post(
        f"/moderation/annonces/{listing.id}/masquer",
        data={"reason": "Trompeuse", "next": f"/annonces/{listing.id}{brk}Set-Cookie: x=1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation"
    assert "Set-Cookie" not in response.headers.get("Location", "")
    response = client.get("/connexion", query_string={"next": f"/annonces{brk}x"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
