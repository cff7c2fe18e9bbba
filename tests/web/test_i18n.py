"""French by default, English on request, remembered; dates and pages in the chosen language."""

from __future__ import annotations

from datetime import UTC, datetime

from models import db
from tests import factories


def test_french_is_the_default_even_for_an_english_browser(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="fr">' in page.text
    assert "Rejoindre le réseau" in page.text


def test_lang_parameter_switches_and_the_choice_is_remembered(client):
    first = client.get("/?lang=en")
    assert '<html lang="en">' in first.text and "Join the network" in first.text
    later = client.get("/lieux")
    assert '<html lang="en">' in later.text
    back = client.get("/lieux?lang=fr")
    assert '<html lang="fr">' in back.text and '<html lang="fr">' in client.get("/").text


def test_unknown_language_is_ignored(client):
    assert '<html lang="fr">' in client.get("/?lang=xx").text


def test_switch_link_points_to_the_same_page_in_the_other_language(client, app):
    space = factories.space("La Coursive")
    page = client.get(f"/lieux/{space.id}")
    assert f'href="/lieux/{space.id}?lang=en"' in page.text


def test_dates_follow_the_language(client, app):
    lea = factories.member("Léa")
    lea.created_at = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
    db.session.commit()
    assert "mars 2026" in client.get(f"/membres/{lea.id}").text
    assert "March 2026" in client.get(f"/membres/{lea.id}?lang=en").text


def test_error_pages_speak_the_members_language(client):
    french = client.get("/lieux/999999")
    assert french.status_code == 404 and "Page introuvable" in french.text
    english = client.get("/lieux/999999?lang=en")
    assert english.status_code == 404 and "Page not found" in english.text


def test_members_saved_language_applies_when_no_choice_was_made(client, auth, app):
    emma = factories.member("Emma", locale="en")
    auth.login(emma)
    assert '<html lang="en">' in client.get("/").text


def test_sentences_with_links_keep_their_links_in_both_languages(client, app):
    space = factories.space("La Coursive")
    fr = client.get(f"/lieux/{space.id}").get_data(as_text=True)
    assert (
        '<a href="/connexion?next=/lieux/' in fr
        and '<a href="/inscription">rejoignez le réseau</a>' in fr
    )
    en = client.get(f"/lieux/{space.id}?lang=en").get_data(as_text=True)
    assert '<a href="/inscription">join the network</a>' in en


def test_zero_takes_the_singular_in_french_and_the_plural_in_english(client, app):
    assert "0 annonce" in client.get("/annonces?q=astrophysique").text
    assert "0 annonces" not in client.get("/annonces?q=astrophysique").text
    assert "0 listings" in client.get("/annonces?q=astrophysique&lang=en").text


def test_a_forced_language_inside_a_page_translates_its_templates_then_gives_way(app):
    # An email rendered in its recipient's language while the page is drawn in another.
    from flask import render_template_string
    from flask_babel import force_locale

    sentence = "{{ _('Annonces') }} · {{ ngettext('%(num)d annonce', '%(num)d annonces', 2) }}"
    with app.test_request_context("/?lang=fr"):
        assert render_template_string(sentence) == "Annonces · 2 annonces"
        with force_locale("en"):
            assert render_template_string(sentence) == "Listings · 2 listings"
        assert render_template_string(sentence) == "Annonces · 2 annonces"
