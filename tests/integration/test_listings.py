"""Publishing and looking after one's listings, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.listings import publishing
from exchange.services.listings import queries as listing_queries
from exchange.services.listings.publishing import ListingInput
from models import Listing, Notification, db
from models.base import utcnow
from tests import factories


@pytest.fixture
def place(app):
    space = factories.space("Le Hangar", city="Lyon")
    author = factories.member("Awa Diallo")
    factories.join(author, space)
    return space, author


def _input(space, **kw) -> ListingInput:
    fields = {
        "kind": "offer",
        "title": "Aide compta",
        "summary": "Bilan annuel.",
        "space_id": space.id,
    }
    fields.update(kw)
    return ListingInput(**fields)


def test_a_new_listing_is_public_for_90_days_with_its_tags(place):
    space, author = place
    listing = publishing.create(author.id, _input(space, tags="#compta, Association, compta"))
    assert listing.is_public()
    assert [s.name for s in listing.skills] == ["Association", "compta"]
    days = (listing.expires_at - utcnow()).days
    assert 89 <= days <= 90


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"summary": ""}, "summary"),
        ({"summary": "un\ndeux\ntrois\nquatre"}, "summary"),
        ({"kind": "troc"}, "kind"),
        ({"mode": "partout"}, "mode"),
        ({"estimated_minutes": 0}, "estimated_hours"),
        ({"estimated_minutes": 100000}, "estimated_hours"),
        ({"category_id": 999999}, "category_id"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(place, fields, field):
    space, author = place
    with pytest.raises(InvalidInput) as refused:
        publishing.create(author.id, _input(space, **fields))
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.query(Listing).count() == 0


def test_expiry_must_be_within_the_coming_year(place):
    space, author = place
    for day in [utcnow().date() - timedelta(days=1), utcnow().date() + timedelta(days=400)]:
        with pytest.raises(InvalidInput):
            publishing.create(author.id, _input(space, expires_on=day))


def test_only_in_a_space_one_belongs_to(place):
    _space, author = place
    elsewhere = factories.space("Ailleurs")
    with pytest.raises(InvalidInput) as refused:
        publishing.create(author.id, _input(elsewhere))
    assert refused.value.field == "space_id"


def test_author_pauses_reopens_closes_and_renews(place):
    space, author = place
    listing = publishing.create(author.id, _input(space))
    publishing.change_status(author.id, listing.id, "pause")
    assert listing.status == "paused" and not listing.is_public()
    publishing.change_status(author.id, listing.id, "reopen")
    assert listing.is_public()
    with pytest.raises(Conflict):
        publishing.change_status(author.id, listing.id, "reopen")
    listing.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert not listing.is_public()
    publishing.renew(author.id, listing.id)
    assert listing.is_public()
    publishing.change_status(author.id, listing.id, "close")
    assert listing.status == "closed" and not listing.is_public()
    with pytest.raises(Conflict):
        publishing.renew(author.id, listing.id)


def test_nobody_else_changes_a_listing(place):
    space, author = place
    listing = publishing.create(author.id, _input(space))
    other = factories.member("Autre")
    factories.join(other, space)
    admin = factories.member("Admin", admin=True)
    for actor in (other, admin):
        with pytest.raises(Forbidden):
            publishing.change_status(actor.id, listing.id, "close")
        with pytest.raises(Forbidden):
            publishing.update(actor.id, listing.id, _input(space, title="Pris"))
    db.session.rollback()
    assert (listing.status, listing.title) == ("active", "Aide compta")


def test_hidden_paused_expired_listings_are_404_except_for_author_and_coordinators(place):
    space, author = place
    coordinator = factories.coordinator(space, display_name="Coord")
    other_space = factories.space("Autre lieu")
    other_coordinator = factories.coordinator(other_space, display_name="Coord B")
    stranger = factories.member("Passant")
    listing = publishing.create(author.id, _input(space))
    for change in ("paused", "hidden", "expired"):
        listing.status, listing.moderation = "active", "approved"
        listing.expires_at = utcnow() + timedelta(days=10)
        if change == "paused":
            listing.status = "paused"
        elif change == "hidden":
            listing.moderation = "hidden"
        else:
            listing.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        for viewer in (stranger, other_coordinator, None):
            with pytest.raises(NotFound):
                listing_queries.get_for(viewer, listing.id)
        assert listing_queries.get_for(author, listing.id) is listing
        assert listing_queries.get_for(coordinator, listing.id) is listing


def test_pre_moderated_space_holds_new_and_substantively_edited_listings(place):
    space, author = place
    space.premoderation = True
    db.session.commit()
    coordinator = factories.coordinator(space, display_name="Relectrice")
    listing = publishing.create(author.id, _input(space))
    assert listing.moderation == "pending" and not listing.is_public()
    listing.moderation = "approved"
    db.session.commit()
    publishing.update(
        author.id, listing.id, _input(space, expires_on=utcnow().date() + timedelta(days=30))
    )
    assert listing.moderation == "approved"  # a new date is not a new text
    publishing.update(author.id, listing.id, _input(space, title="Aide compta et paie"))
    assert listing.moderation == "pending"
    asked = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "listing_to_approve")
    )
    assert list(asked) == [coordinator.id, coordinator.id]  # on creation, then on the edit


def test_suspended_author_cannot_publish(place):
    space, author = place
    author.suspended_at = utcnow()
    db.session.commit()
    with pytest.raises(Forbidden):
        publishing.create(author.id, _input(space))
