"""What a listing's page says and offers its author while it waits for review or is hidden: it
says so (and since when), and offers no pause and no extension, which the service refuses too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from exchange.services.errors import Conflict
from exchange.services.listings import publishing
from exchange.services.moderation import acts
from models import Listing, db
from tests import factories

PAUSE, EXTEND, WITHDRAW = "Mettre en pause", "Prolonger de 90 jours", "Retirer l'annonce"


@pytest.fixture
def author(app):
    return factories.member(display_name="Léa Martin", email="lea@example.org")


@pytest.fixture
def pending(author):
    space = factories.space("Coop Sud", premoderation=True)
    listing = factories.listing(author, space, "Relecture de statuts")
    listing.updated_at = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)  # submitted then, in UTC
    db.session.commit()
    assert listing.moderation == "pending"
    return listing


@pytest.fixture
def hidden(author):
    space = factories.space("La Ruche")
    listing = factories.listing(author, space, "Cours de guitare")
    coordinator = factories.coordinator(space)
    acts.hide_listing(coordinator.id, listing.id, "Hors sujet pour le réseau")
    return listing


def test_a_listing_waiting_for_review_says_since_when_and_not_published(client, auth, pending):
    auth.login(pending.author)
    page = client.get(f"/annonces/{pending.id}").text
    assert "publiée le" not in page
    assert "En attente de relecture" in page
    assert "Envoyée en relecture le 28 novembre 2026" in page
    assert PAUSE not in page and EXTEND not in page
    assert WITHDRAW in page  # the author may still withdraw it
    mine = client.get("/mes-annonces").text
    assert "En attente de relecture" in mine and "depuis le 28 nov. 2026" in mine


def test_a_hidden_listing_offers_neither_pause_nor_extension(client, auth, hidden):
    auth.login(hidden.author)
    page = client.get(f"/annonces/{hidden.id}").text
    assert "Masquée par la coordination" in page and "Hors sujet pour le réseau" in page
    assert PAUSE not in page and EXTEND not in page
    assert "Visible jusqu'au" not in page and "Expire le" in page
    assert WITHDRAW in page


def test_a_published_listing_still_offers_pause_and_extension(client, auth, author):
    listing = factories.listing(author, factories.space("La Ruche"), "Aide compta")
    auth.login(author)
    page = client.get(f"/annonces/{listing.id}").text
    assert PAUSE in page and EXTEND in page and "Visible jusqu'au" in page
    assert "publiée le" in page


@pytest.mark.parametrize("state", ["pending", "hidden"])
def test_pausing_or_extending_an_unpublished_listing_is_refused_and_changes_nothing(
    client, auth, request, state
):
    listing = request.getfixturevalue(state)
    before = (listing.status, listing.expires_at, listing.updated_at)
    auth.login(listing.author)
    paused = client.post(f"/annonces/{listing.id}/etat", data={"action": "pause"})
    extended = client.post(f"/annonces/{listing.id}/renouveler")
    assert paused.status_code == extended.status_code == 302
    page = client.get(f"/annonces/{listing.id}").text
    assert "elle pourra être mise en pause ou prolongée une fois publiée" in page or (
        "ni mise en pause ni prolongée tant qu'elle n'est pas rétablie" in page
    )
    db.session.expire_all()
    again = db.session.get(Listing, listing.id)
    assert (again.status, again.expires_at, again.updated_at) == before
    for act in (
        lambda: publishing.change_status(listing.author_id, listing.id, "pause"),
        lambda: publishing.renew(listing.author_id, listing.id),
    ):
        with pytest.raises(Conflict):
            act()


def test_the_author_may_still_withdraw_a_listing_waiting_for_review(pending):
    publishing.change_status(pending.author_id, pending.id, "close")
    assert pending.status == "closed"


def test_a_listing_that_expired_while_waiting_is_published_with_its_days_back(client, pending):
    pending.expires_at = datetime(2026, 1, 1, tzinfo=UTC)  # the review took longer than that
    db.session.commit()
    coordinator = factories.coordinator(pending.space)
    acts.approve_listing(coordinator.id, pending.id)
    assert pending.is_public()
    assert f"/annonces/{pending.id}" in client.get("/annonces").text
