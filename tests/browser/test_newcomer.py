"""A newcomer's first hour, in a real browser: sign up, confirm, fill the profile, join a space.

Everything goes through what a person sees: labels, buttons and links of the French interface.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from exchange.config import ROOT
from models import db
from tests import factories

pytestmark = pytest.mark.browser

NEWCOMER = {
    "name": "Camille Dubois",
    "email": "camille.dubois@example.org",
    "password": "marée-haute-sur-le-quai",
}
COORDINATOR = {"name": "Yasmine Benali", "email": "yasmine@example.org"}


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Navigation principale")


def header(page: Page):
    return page.get_by_role("banner")


def log_in(page: Page, email: str, password: str) -> None:
    """Fill the login form already on screen and send it."""
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_newcomer_signs_up_confirms_fills_profile_and_is_accepted_into_a_space(
    live_server, new_page, screenshot
):
    # A space that approves its members, and the person who coordinates it.
    coursive = factories.space("La Coursive", city="Nantes", join_policy="approval")
    factories.coordinator(coursive, display_name=COORDINATOR["name"], email=COORDINATOR["email"])
    db.session.commit()  # nothing left open while the server works on the same database

    # --- The newcomer signs up from the home page.
    newcomer = new_page()
    newcomer.goto(live_server.url + "/")
    expect(newcomer).to_have_title(re.compile("Accueil"))
    screenshot(newcomer, "home")
    newcomer.get_by_role("main").get_by_role("link", name="Rejoindre le réseau").click()
    expect(newcomer.get_by_role("heading", name="Rejoindre le réseau")).to_be_visible()
    # CSRF protection is on: the real form carries its token.
    expect(newcomer.locator('form input[name="csrf_token"]')).to_have_count(1)
    newcomer.get_by_label("Nom affiché").fill(NEWCOMER["name"])
    newcomer.get_by_label("Adresse e-mail").fill(NEWCOMER["email"])
    newcomer.get_by_label("Mot de passe").fill(NEWCOMER["password"])
    screenshot(newcomer, "signup-filled")
    newcomer.get_by_role("button", name="Créer mon compte").click()
    expect(newcomer.get_by_role("heading", name="Vérifiez vos e-mails")).to_be_visible()
    expect(newcomer.get_by_role("main")).to_contain_text(NEWCOMER["email"])
    screenshot(newcomer, "check-email")

    # --- The link in the email shows a button; the button confirms.
    link = live_server.link_in_last_email(NEWCOMER["email"], "/confirmation/")
    assert link.startswith(live_server.url), link
    newcomer.goto(link)
    expect(newcomer.get_by_role("main")).to_contain_text(f"Bonjour {NEWCOMER['name']}")
    screenshot(newcomer, "confirm")
    newcomer.get_by_role("button", name="Confirmer mon adresse").click()
    # Confirmed and logged in at once, on the checklist of a newcomer's first steps.
    expect(newcomer.get_by_text("Adresse confirmée : bienvenue sur Archipel !")).to_be_visible()
    expect(newcomer.get_by_role("heading", level=1, name="Premiers pas")).to_be_visible()
    expect(newcomer.get_by_role("status").filter(has_text="étapes")).to_have_text("0 étapes sur 5")
    screenshot(newcomer, "first-steps")

    # --- Their profile, reached from their name in the header, then edited.
    newcomer.locator("details.account-menu > summary").click()  # their name opens their menu
    header(newcomer).get_by_role("link", name=NEWCOMER["name"]).click()
    expect(newcomer.get_by_role("heading", level=1, name=NEWCOMER["name"])).to_be_visible()
    expect(newcomer.get_by_text("Aucune compétence indiquée pour le moment.")).to_be_visible()
    newcomer.get_by_role("link", name="Modifier mon profil").click()
    expect(newcomer.get_by_role("heading", name="Mon profil")).to_be_visible()
    newcomer.get_by_label("Présentation").fill(
        "Comptable en coopérative, je traduis aussi de l'anglais et de l'espagnol."
    )
    newcomer.get_by_label("Compétences").fill("comptabilité, traduction")
    newcomer.get_by_label("Ville", exact=True).fill("Nantes")
    screenshot(newcomer, "profile-form")
    newcomer.get_by_role("button", name="Enregistrer").click()
    expect(newcomer.get_by_text("Profil enregistré.")).to_be_visible()
    expect(newcomer.get_by_role("heading", level=1, name=NEWCOMER["name"])).to_be_visible()
    skills = newcomer.locator("ul.tags").get_by_role("link")
    expect(skills).to_have_text(["comptabilité", "traduction"])
    expect(newcomer.get_by_text("Comptable en coopérative")).to_be_visible()
    expect(newcomer.get_by_text(re.compile(r"^\s*Nantes ·"))).to_be_visible()
    screenshot(newcomer, "profile-saved")

    # --- They find La Coursive among the spaces and ask to join.
    main_nav(newcomer).get_by_role("link", name="Lieux").click()
    expect(newcomer.get_by_role("heading", name="Les lieux du réseau")).to_be_visible()
    newcomer.get_by_role("link", name="La Coursive").click()
    expect(newcomer.get_by_role("heading", level=1, name="La Coursive")).to_be_visible()
    newcomer.get_by_label("Un mot pour les coordinateurs (facultatif)").fill(
        "Bonjour, je viens d'arriver à Nantes et je cherche un lieu où poser mon ordinateur."
    )
    screenshot(newcomer, "space-join-form")
    newcomer.get_by_role("button", name="Demander à rejoindre").click()
    expect(newcomer.get_by_text(re.compile("Demande envoyée aux coordinateurs"))).to_be_visible()
    expect(
        newcomer.get_by_text("Votre demande est en attente de réponse des coordinateurs.")
    ).to_be_visible()
    expect(newcomer.get_by_role("button", name="Retirer ma demande")).to_be_visible()
    screenshot(newcomer, "space-pending")

    # --- Another person: the coordinator logs in and accepts the request.
    coordinator = new_page()
    coordinator.goto(live_server.url + "/")
    header(coordinator).get_by_role("link", name="Se connecter").click()
    log_in(coordinator, COORDINATOR["email"], factories.PASSWORD)
    expect(coordinator.get_by_text(f"Bienvenue, {COORDINATOR['name']}.")).to_be_visible()
    expect(
        header(coordinator).get_by_role("link", name=re.compile("^Notifications"))
    ).to_have_accessible_name(re.compile(r"^Notifications 1 non lue"))  # the request, announced
    main_nav(coordinator).get_by_role("link", name="Modération").click()
    expect(coordinator.get_by_role("heading", level=1, name="Modération")).to_be_visible()
    request = coordinator.locator("li.request").filter(has_text=NEWCOMER["name"])
    expect(request).to_have_count(1)
    expect(request).to_contain_text("La Coursive")
    expect(request).to_contain_text("je cherche un lieu où poser mon ordinateur")
    request.get_by_label("Accepter").check()
    screenshot(coordinator, "moderation-accept")
    request.get_by_role("button", name="Envoyer la décision").click()
    expect(
        coordinator.get_by_text(f"{NEWCOMER['name']} fait maintenant partie du lieu.")
    ).to_be_visible()
    # Decided from the queue, the coordinator is back on the queue, now empty.
    expect(coordinator).to_have_url(f"{live_server.url}/moderation")
    expect(coordinator.get_by_text("Rien n'attend votre décision.")).to_be_visible()
    screenshot(coordinator, "moderation-done")

    # --- Back to the newcomer: a member now, and told so.
    newcomer.reload()
    expect(newcomer.get_by_text("Vous êtes membre de ce lieu.")).to_be_visible()
    expect(newcomer.get_by_role("button", name="Quitter ce lieu")).to_be_visible()
    notifications = header(newcomer).get_by_role("link", name=re.compile("^Notifications"))
    # The badge's spoken name ("1 non lue·s"), whatever its plural.
    expect(notifications).to_have_accessible_name(re.compile(r"^Notifications 1 non lue"))
    expect(notifications).to_contain_text("1")
    screenshot(newcomer, "space-member")
    notifications.click()
    expect(newcomer.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    expect(
        newcomer.get_by_role(
            "link", name="Votre demande pour rejoindre La Coursive a été acceptée."
        )
    ).to_be_visible()
    screenshot(newcomer, "notifications")

    # --- Their first steps have ticked themselves: a space, and what they can do.
    newcomer.goto(live_server.url + "/premiers-pas")
    expect(newcomer.get_by_role("status").filter(has_text="étapes")).to_have_text("2 étapes sur 5")
    expect(newcomer.locator("li.step.done h2")).to_have_text(
        ["Rejoindre un lieu (fait)", "Dire ce que vous savez faire (fait)"]
    )
    screenshot(newcomer, "first-steps-two")


def _english_catalogue():
    """The English catalogue as compiled now (an empty one while it is not compiled yet)."""
    from babel.support import Translations

    return Translations.load(str(ROOT / "exchange" / "translations"), ["en"])


def test_language_switch_shows_english_and_is_remembered(live_server, page, screenshot):
    en = _english_catalogue().gettext
    # Until the catalogue is compiled (`make translations`), English pages still read in French:
    # then only the language of the page (<html lang>) and its being remembered are checked.
    compiled = en("Lieux") != "Lieux"

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    screenshot(page, "home-fr")
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    languages = page.get_by_role("navigation", name=en("Langue"))
    expect(languages.get_by_role("link", name="FR", exact=True)).to_be_visible()
    expect(languages.get_by_role("link", name="EN", exact=True)).to_have_count(0)
    if compiled:
        expect(page.get_by_role("heading", level=1)).to_have_text(en("Des îles, un archipel."))
    screenshot(page, "home-en")

    # Another page, through a link with no ?lang= in it: the choice is remembered.
    nav = page.get_by_role("navigation", name=en("Navigation principale"))
    nav.get_by_role("link", name=en("Lieux"), exact=True).click()
    expect(page).to_have_url(live_server.url + "/lieux")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if compiled:
        expect(page.get_by_role("heading", level=1)).to_have_text(en("Les lieux du réseau"))
    screenshot(page, "spaces-en")
