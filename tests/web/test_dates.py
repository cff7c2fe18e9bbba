"""Dates read day first with a 24-hour clock in both languages ("2 Dec 2026, 21:36"), never the
American "12/2/26, 9:36 PM"; times are shown in the network's zone (Europe/Paris)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from exchange import dates
from models import Notification, db
from tests import factories

EVENING = datetime(2026, 12, 2, 20, 36, tzinfo=UTC)  # 21:36 in Paris


@pytest.mark.parametrize(
    ("lang", "length", "expected"),
    [
        ("fr", "short", "2 déc. 2026, 21:36"),
        ("fr", "medium", "2 déc. 2026, 21:36"),
        ("en", "short", "2 Dec 2026, 21:36"),
        ("en", "medium", "2 Dec 2026, 21:36"),
        ("en", "long", "2 December 2026, 21:36"),
    ],
)
def test_a_moment_reads_day_first_on_a_24_hour_clock(app, lang, length, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert dates.moment(EVENING, length) == expected


@pytest.mark.parametrize(
    ("lang", "length", "expected"),
    [
        ("fr", "long", "2 décembre 2026"),
        ("fr", "medium", "2 déc. 2026"),
        ("fr", "short", "02/12/2026"),
        ("en", "long", "2 December 2026"),
        ("en", "medium", "2 Dec 2026"),
        ("en", "short", "2 Dec 2026"),
        ("en", "MMMM y", "December 2026"),  # an explicit pattern goes through as it is
    ],
)
def test_a_date_reads_day_first(app, lang, length, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert dates.day(EVENING, length) == expected


def test_a_day_is_the_networks_day_not_utcs(app):
    late = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)  # already 3 December in Paris
    with app.test_request_context("/?lang=en"):
        assert dates.day(late, "long") == "3 December 2026"


@pytest.mark.parametrize(
    ("lang", "expected", "american"),
    [("fr", "2 déc. 2026, 21:36", "02/12/2026 21:36"), ("en", "2 Dec 2026, 21:36", "9:36 PM")],
)
def test_the_notifications_page_dates_read_day_first(client, auth, lang, expected, american):
    member = factories.member(display_name="Léa Martin", email="lea@example.org")
    db.session.add(Notification(user_id=member.id, kind="generic", created_at=EVENING))
    db.session.commit()
    auth.login(member)
    page = client.get(f"/notifications?lang={lang}").text
    assert expected in page and american not in page


@pytest.mark.parametrize(
    ("lang", "expected"), [("fr", "publiée le 2 décembre 2026"), ("en", "2 December 2026")]
)
def test_a_listing_says_when_it_was_published_day_first(client, lang, expected):
    author = factories.member(display_name="Léa Martin", email="lea@example.org")
    listing = factories.listing(author, factories.space("La Ruche"), "Aide compta")
    listing.created_at = EVENING
    db.session.commit()
    page = client.get(f"/annonces/{listing.id}?lang={lang}").text
    assert expected in page and "December 2, 2026" not in page
