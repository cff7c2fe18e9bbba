"""The listing pages: publish, read, edit, search, as people use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Category, Listing, db
from models.base import utcnow
from tests import factories


@pytest.fixture
def awa(app):
    space = factories.space("Le Hangar", city="Lyon")
    member = factories.member("Awa Diallo", email="awa@example.org")
    factories.join(member, space)
    return member, space


def _form(space, **kw):
    category = db.session.scalar(select(Category).where(Category.slug == "comptabilite-gestion"))
    data = {
        "kind": "offer",
        "title": "Aide à la comptabilité associative",
        "summary": "Bilan, budget prévisionnel.\nUne heure ou deux.",
        "details": "J'ai **dix ans** de pratique.",
        "next_steps": "Un café au Hangar.",
        "tags": "#compta, #association",
        "category_id": str(category.id),
        "mode": "both",
        "space_id": str(space.id),
        "estimated_hours": "1 h 30",
        "expires_on": (utcnow().date() + timedelta(days=30)).isoformat(),
    }
    data.update(kw)
    return data


def test_member_publishes_an_offer_and_finds_it(client, auth, awa):
    member, space = awa
    auth.login(member)
    response = client.post("/annonces/nouvelle", data=_form(space))
    assert response.status_code == 302
    listing = db.session.scalar(select(Listing))
    assert listing.estimated_minutes == 90 and listing.author_id == member.id
    page = client.get(response.headers["Location"]).text
    assert "Aide à la comptabilité associative" in page and "1\u00a0h\u00a030" in page
    assert "<strong>dix ans</strong>" in client.get(f"/annonces/{listing.id}").get_data(
        as_text=True
    )
    assert "Aide à la comptabilité associative" in client.get("/annonces?q=compta&type=offre").text
    assert "Aucune annonce ne correspond" in client.get("/annonces?q=compta&type=demande").text


@pytest.mark.parametrize(
    ("field", "value", "error_id"),
    [
        ("title", "", "title-error"),
        ("summary", "1\n2\n3\n4", "summary-error"),
        ("estimated_hours", "beaucoup", "estimated_hours-error"),
        ("expires_on", "pas une date", "expires_on-error"),
        ("expires_on", "2020-01-01", "expires_on-error"),
        ("space_id", "999999", "space_id-error"),
        ("kind", "troc", "kind-error"),
    ],
)
def test_bad_input_comes_back_beside_the_field_and_saves_nothing(
    client, auth, awa, field, value, error_id
):
    member, space = awa
    auth.login(member)
    response = client.post("/annonces/nouvelle", data=_form(space, **{field: value}))
    assert response.status_code == 400
    assert f'id="{error_id}"' in response.text
    assert db.session.scalar(select(Listing)) is None


def test_a_member_of_no_space_is_sent_to_the_spaces(client, auth, app):
    loner = factories.member("Seul")
    auth.login(loner)
    response = client.get("/annonces/nouvelle")
    assert response.status_code == 302 and response.headers["Location"].endswith("/lieux")


def test_author_edits_and_others_cannot(client, auth, awa):
    member, space = awa
    listing = factories.listing(member, space, "Avant")
    other = factories.member("Autre")
    factories.join(other, space)
    auth.login(other)
    assert client.get(f"/annonces/{listing.id}/modifier").status_code == 403
    assert (
        client.post(f"/annonces/{listing.id}/modifier", data=_form(space, title="Pris")).status_code
        == 403
    )
    auth.logout()
    auth.login(member)
    assert client.get(f"/annonces/{listing.id}/modifier").status_code == 200
    assert (
        client.post(
            f"/annonces/{listing.id}/modifier", data=_form(space, title="Après")
        ).status_code
        == 302
    )
    db.session.refresh(listing)
    assert listing.title == "Après"


def test_author_sees_the_state_of_a_paused_listing_others_get_404(client, auth, awa):
    member, space = awa
    listing = factories.listing(member, space, "En pause bientôt")
    auth.login(member)
    assert client.post(f"/annonces/{listing.id}/etat", data={"action": "pause"}).status_code == 302
    assert "État : En pause" in client.get(f"/annonces/{listing.id}").text
    auth.logout()
    assert client.get(f"/annonces/{listing.id}").status_code == 404


def test_expired_listing_leaves_the_search_and_renewing_brings_it_back(client, auth, awa):
    member, space = awa
    listing = factories.listing(member, space, "Atelier vélo")
    listing.expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert "Atelier vélo" not in client.get("/annonces?q=velo").text
    assert client.get(f"/annonces/{listing.id}").status_code == 404
    auth.login(member)
    assert "Expirée" in client.get(f"/annonces/{listing.id}").text
    client.post(f"/annonces/{listing.id}/renouveler")
    auth.logout()
    assert "Atelier vélo" in client.get("/annonces?q=velo").text


@pytest.mark.parametrize(
    "query",
    [
        "page=abc", "page=-3", "page=99999999999999999999", "lieu=abc", "lieu=-1", "type=autre",
        "mode=%C3%A9", "q=" + "a" * 5000, "q=%F0%9F%98%80", "categorie=inconnue", "tag=%27%22%3C",
        "tri=n'importe", "ville=Nulle%20part",
    ],
)  # fmt: skip
def test_search_never_fails_on_odd_parameters(client, awa, query):
    member, space = awa
    factories.listing(member, space, "Quelque chose")
    assert client.get(f"/annonces?{query}").status_code == 200


def test_empty_search_suggests_what_to_try(client, app):
    page = client.get("/annonces?q=astrophysique").text
    assert "Aucune annonce ne correspond" in page and "Publier une demande" in page


def test_visitors_read_listings_but_must_log_in_to_publish(client, awa):
    member, space = awa
    listing = factories.listing(member, space, "Ouvert à tous")
    assert client.get(f"/annonces/{listing.id}").status_code == 200
    assert "Connectez-vous" in client.get(f"/annonces/{listing.id}").text
    assert client.get("/annonces/nouvelle").status_code == 302
