"""Nothing a person (or a script) types turns into a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

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
