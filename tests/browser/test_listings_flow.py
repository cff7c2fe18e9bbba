"""A listing's life in a real browser: posted, found without accents, reported, hidden.

Three people, each in a browser context of their own (their own cookies): Hélène publishes an
offer; Karim finds it by typing "comptabilite" with no accent, and reports it; Thomas, who
coordinates their space, hides it with a reason. Hélène then sees the reason on her listing,
Karim's search no longer finds it, and a visitor gets the 404 page at its address.

Everything goes through what a person sees: labels, buttons and links of the French interface.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from models import db
from tests import factories
from tests.browser.helpers import header, log_in, main_nav

pytestmark = pytest.mark.browser

AUTHOR = {"name": "Hélène Vidal", "email": "helene.vidal@example.org"}
REPORTER = {"name": "Karim Benali", "email": "karim.benali@example.org"}
COORDINATOR = {"name": "Thomas Lefebvre", "email": "thomas.lefebvre@example.org"}
SPACE = "Les Ateliers du Rhône"

TITLE = "Comptabilité associative : bilan et budget"
SUMMARY = (
    "Je relis le bilan de votre association et vous aide à bâtir le budget de l'année.\n"
    "Pour les petites structures, trésorier·es débutant·es bienvenu·es."
)
DETAILS = (
    "Dix ans de **comptabilité** en cabinet, puis trésorière d'une AMAP.\n\n"
    "- lecture du bilan et du compte de résultat\n"
    "- budget prévisionnel pour une demande de subvention\n\n"
    "Tarif : 40 € de l'heure, facture possible."
)
NEXT_STEPS = "Un premier appel de vingt minutes, puis une séance aux Ateliers."
REPORT_TEXT = "L'annonce demande 40 € de l'heure : ici, on échange du temps, pas des euros."
HIDE_REASON = (
    "Le réseau échange en heures, pas en euros : retirez le tarif et la coordination "
    "rétablira l'annonce."
)


def search_listings(page: Page, words: str) -> None:
    """Open "Annonces" from the main navigation and search for `words`."""
    main_nav(page).get_by_role("link", name="Annonces").click()
    expect(page.get_by_role("heading", level=1, name="Offres et demandes")).to_be_visible()
    page.get_by_label("Rechercher").fill(words)
    page.get_by_role("button", name="Chercher").click()
    expect(page).to_have_url(re.compile(r"/annonces\?(.*&)?q=" + re.escape(words)))


def test_member_posts_offer_found_without_accents_reported_hidden_by_coordinator(
    live_server, new_page, screenshot
):
    # A space of Lyon, its coordinator, and two of its members; everyone confirmed.
    ateliers = factories.space(SPACE, city="Lyon")
    factories.coordinator(ateliers, display_name=COORDINATOR["name"], email=COORDINATOR["email"])
    for person in (AUTHOR, REPORTER):
        factories.join(
            factories.member(display_name=person["name"], email=person["email"], city="Lyon"),
            ateliers,
        )
    db.session.commit()  # nothing left open while the server works on the same database

    # --- Hélène publishes an offer from the "Annonces" page.
    helene = new_page()
    log_in(helene, live_server.url, AUTHOR)
    main_nav(helene).get_by_role("link", name="Annonces").click()
    helene.get_by_role("main").get_by_role("link", name="Publier une annonce").click()
    expect(helene.get_by_role("heading", level=1, name="Publier une annonce")).to_be_visible()
    expect(helene.get_by_role("main").locator('input[name="csrf_token"]')).to_have_count(1)
    helene.get_by_label("une offre : je peux aider sur…").check()
    helene.get_by_label("Titre").fill(TITLE)
    helene.get_by_label("En trois lignes").fill(SUMMARY)
    helene.get_by_label("Détails").fill(DETAILS)
    helene.get_by_label("Prochaines étapes").fill(NEXT_STEPS)
    helene.get_by_label("Compétences et mots-clés").fill("#compta, #association")
    helene.get_by_label("Catégorie").select_option(label="Comptabilité & gestion")
    helene.get_by_label("à distance ou sur place").check()
    # Her only space is chosen for her; the expiry date is filled in (90 days).
    expect(helene.get_by_label("Lieu", exact=True).locator("option:checked")).to_have_text(SPACE)
    expect(helene.get_by_label("Visible jusqu'au")).not_to_have_value("")
    helene.get_by_label("Temps estimé").fill("1 h 30")
    screenshot(helene, "author-form-filled")
    helene.get_by_role("button", name="Publier").click()

    expect(helene.get_by_text("Annonce publiée.")).to_be_visible()
    expect(helene.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    listing_url = helene.url
    assert re.fullmatch(re.escape(live_server.url) + r"/annonces/\d+", listing_url), listing_url
    main = helene.get_by_role("main")
    expect(helene.get_by_role("heading", name="État : Publiée")).to_be_visible()
    expect(main.get_by_role("link", name="Comptabilité & gestion")).to_be_visible()
    expect(main).to_contain_text("Je relis le bilan de votre association")
    expect(main.get_by_role("listitem").filter(has_text="budget prévisionnel")).to_be_visible()
    # Tags are shown in alphabetical order (Listing.skills is ordered by name).
    expect(main.get_by_role("list", name="Mots-clés").get_by_role("link")).to_have_text(
        ["#association", "#compta"]
    )
    expect(main.locator("dl.facts")).to_contain_text("1 h 30")
    expect(main.get_by_text("C'est votre annonce.")).to_be_visible()
    screenshot(helene, "author-listing-published")

    # --- Karim, in his own browser, searches without the accent and finds the offer.
    karim = new_page()
    log_in(karim, live_server.url, REPORTER)
    search_listings(karim, "comptabilite")
    expect(karim.locator("p.result-count")).to_have_text("1 annonce")
    card = karim.locator("article.listing-card").filter(has_text=TITLE)
    expect(card).to_have_count(1)
    expect(card).to_contain_text(AUTHOR["name"])
    expect(card).to_contain_text(SPACE)
    screenshot(karim, "reporter-search-found")
    card.get_by_role("link", name=TITLE).click()
    expect(karim).to_have_url(listing_url)
    expect(karim.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    # Not his, not his to moderate: no state box, no moderation acts; a way to report.
    expect(karim.get_by_role("heading", name=re.compile("^État"))).to_have_count(0)
    expect(karim.get_by_text("Masquer l'annonce")).to_have_count(0)

    # --- He reports it: a reason from the list, a few words.
    karim.get_by_role("link", name="Signaler cette annonce").click()
    expect(
        karim.get_by_role("heading", level=1, name=f"Signaler l'annonce « {TITLE} »")
    ).to_be_visible()
    expect(karim.get_by_role("main")).to_contain_text(f"coordinateurs de {SPACE}")
    karim.get_by_role("group", name="Pourquoi signalez-vous ceci ?").get_by_label(
        "Trompeur ou faux"
    ).check()
    karim.get_by_label("Ce qui ne va pas").fill(REPORT_TEXT)
    screenshot(karim, "reporter-report-form")
    karim.get_by_role("button", name="Envoyer le signalement").click()
    expect(karim.get_by_text("Merci : votre signalement a bien été reçu.")).to_be_visible()
    expect(karim).to_have_url(listing_url)
    screenshot(karim, "reporter-report-sent")

    # --- Thomas, the coordinator, finds the report in his queue and hides the listing.
    thomas = new_page()
    log_in(thomas, live_server.url, COORDINATOR)
    main_nav(thomas).get_by_role("link", name="Modération").click()
    expect(thomas.get_by_role("heading", level=1, name="Modération")).to_be_visible()
    reports = thomas.get_by_role("region", name="Signalements ouverts")
    report = reports.get_by_role("listitem").filter(has_text=TITLE)
    expect(report).to_have_count(1)
    expect(report).to_contain_text(f"par {AUTHOR['name']}")
    expect(report).to_contain_text(f"Signalé par {REPORTER['name']}")
    expect(report).to_contain_text("Trompeur ou faux")
    expect(report).to_contain_text(REPORT_TEXT)
    screenshot(thomas, "coordinator-queue")
    # The act opens (a <details>) on a box for the reason, required.
    report.locator("summary", has_text="Masquer l'annonce").click()
    reason = report.get_by_label("Raison (obligatoire)")
    expect(reason).to_be_visible()
    expect(reason).to_have_attribute("required", "")
    reason.fill(HIDE_REASON)
    screenshot(thomas, "coordinator-hide-reason")
    report.get_by_role("button", name="Masquer l'annonce").click()
    expect(
        thomas.get_by_text("Annonce masquée ; son auteur·rice a reçu la raison.")
    ).to_be_visible()
    # The report is answered, and the act is in the log with its reason.
    expect(thomas.get_by_text("Aucun signalement en attente.")).to_be_visible()
    act = thomas.get_by_role("table").get_by_role("row").filter(has_text=TITLE)
    expect(act).to_have_count(1)
    expect(act.get_by_role("cell")).to_contain_text(
        [COORDINATOR["name"], TITLE, AUTHOR["name"], HIDE_REASON]
    )
    screenshot(thomas, "coordinator-hidden")

    # --- Hélène reloads her listing: hidden, and she reads why. She was told, too.
    helene.reload()
    expect(helene.get_by_role("heading", name="État : Masquée par la coordination")).to_be_visible()
    expect(helene.get_by_text(f"Raison donnée par la coordination : {HIDE_REASON}")).to_be_visible()
    # Nothing of the content was lost.
    expect(helene.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(helene.get_by_role("main")).to_contain_text("Tarif : 40 € de l'heure")
    notifications = header(helene).get_by_role("link", name=re.compile("^Notifications"))
    expect(notifications).to_have_accessible_name(re.compile(r"^Notifications 1 non lue"))
    screenshot(helene, "author-sees-reason")
    notifications.click()
    expect(
        helene.get_by_role("main").get_by_text(
            f"Votre annonce « {TITLE} » a été masquée par la coordination : {HIDE_REASON}"
        )
    ).to_be_visible()
    screenshot(helene, "author-notification")

    # --- Karim's search no longer finds it; he is told what came of his report.
    search_listings(karim, "comptabilite")
    expect(karim.locator("p.result-count")).to_have_text(re.compile(r"^0 annonces?$"))
    expect(karim.get_by_text("Aucune annonce ne correspond.")).to_be_visible()
    expect(karim.get_by_role("link", name=TITLE)).to_have_count(0)
    screenshot(karim, "reporter-search-empty")
    header(karim).get_by_role("link", name=re.compile("^Notifications")).click()
    expect(
        karim.get_by_role("main").get_by_text(
            f"Suite à votre signalement, l'annonce « {TITLE} » a été masquée."
        )
    ).to_be_visible()
    # And the listing's address is a 404 for him, as for anyone but author and coordinators.
    response = karim.goto(listing_url)
    assert response is not None and response.status == 404

    # --- A visitor who is not logged in gets the 404 page at the listing's address.
    visitor = new_page()
    response = visitor.goto(listing_url)
    assert response is not None and response.status == 404
    expect(visitor.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(visitor.get_by_text(TITLE)).to_have_count(0)
    screenshot(visitor, "visitor-404")
