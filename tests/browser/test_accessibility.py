"""Accessibility checked, not assumed: axe-core (the npm package, package.json) runs in twelve
key pages, in French and English, on a laptop and a phone, and finds no serious or critical
violation of WCAG 2.1 A and AA, colour contrast included; and an exchange is proposed,
accepted, logged and confirmed with the keyboard alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exchange.config import ROOT
from exchange.services.conversations import exchange_threads, threads
from exchange.services.exchanges import lifecycle
from models import Exchange, db
from tests import factories
from tests.browser.helpers import PHONE, log_in

pytestmark = pytest.mark.browser

AXE = Path(ROOT) / "node_modules" / "axe-core" / "axe.min.js"
NO_AXE = "axe-core not installed (make test runs npm ci): accessibility test skipped"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
COORDINATOR = {"name": "Thomas Lefebvre", "email": "thomas@example.org"}
PROVIDER = {"name": "Hélène Vidal", "email": "helene@example.org"}

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.help + " — "
      + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


@pytest.fixture
def axe_source() -> Path:
    if not AXE.exists():
        if os.environ.get("ARCHIPEL_REQUIRE_SERVICES"):
            pytest.fail(NO_AXE + " — and ARCHIPEL_REQUIRE_SERVICES is set")
        pytest.skip(NO_AXE)
    return AXE


@pytest.fixture
def world(app):
    """A coordinator who received an hour of bike repair, confirmed, feedback to write."""
    place = factories.space("Les Ateliers du Rhône", city="Lyon")
    thomas = factories.coordinator(
        place, display_name=COORDINATOR["name"], email=COORDINATOR["email"]
    )
    helene = factories.member(
        PROVIDER["name"], PROVIDER["email"], skills=("Vélo",), bio="Je répare."
    )
    factories.join(helene, place)
    offer = factories.listing(helene, place, "Réparation de vélos dans la cour")
    done = lifecycle.propose(thomas.id, offer.id, message="Mercredi ?", foreseen_minutes=60)
    lifecycle.accept(helene.id, done.id)
    lifecycle.log_time(helene.id, done.id, minutes=60)
    lifecycle.confirm(thomas.id, done.id)
    talk, _new = threads.start(thomas.id, helene.id, "Un **cadenas** aussi ?", listing_id=offer.id)
    threads.reply(helene.id, talk.id, "Oui :\n\n- un U\n- une chaîne")
    exchange_threads.on_exchange(helene.id, done.id, "Merci pour le café !")
    db.session.commit()
    return {"listing": offer.id, "exchange": done.id, "helene": helene.id, "talk": talk.id}


def _violations(page: Page, source: Path) -> list[str]:
    page.add_script_tag(path=str(source))
    return page.evaluate(RUN, WCAG)


@pytest.mark.parametrize("screen", ["laptop", "phone"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_key_pages_have_no_serious_or_critical_violation(
    live_server, browser, world, axe_source, lang, screen
):
    viewport = PHONE if screen == "phone" else {"width": 1280, "height": 900}
    # bypass_csp: the site's policy admits only its own scripts, and axe is injected.
    context = browser.new_context(locale="fr-FR", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    visitor = browser.new_context(locale="fr-FR", viewport=viewport, bypass_csp=True).new_page()
    log_in(page, live_server.url, COORDINATOR)
    pages = {
        "home": "/",
        "search": "/annonces",
        "listing": f"/annonces/{world['listing']}",
        "profile": f"/membres/{world['helene']}",
        "exchange": f"/echanges/{world['exchange']}",
        "account": "/compte",
        "gift": "/compte/donner",
        "feedback": f"/echanges/{world['exchange']}/retour",
        "moderation": "/moderation",
        "settings": "/compte/reglages",
        "first steps": "/premiers-pas",
        "messages": "/messages",
        "conversation": f"/messages/{world['talk']}",
        "write": f"/membres/{world['helene']}/ecrire",
    }
    found = {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}?lang={lang}")
        assert response.status == 200, (name, response.status)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        found[name] = _violations(page, axe_source)
    visitor.goto(f"{live_server.url}/inscription?lang={lang}")
    found["sign-up"] = _violations(visitor, axe_source)
    assert len(found) >= 15
    problems = {name: v for name, v in found.items() if v}
    assert not problems, "\n".join(f"{name}: {v}" for name, vs in problems.items() for v in vs)
    context.close()
    visitor.context.close()


FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return ""; }
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  return (label || e.getAttribute("aria-label") || e.innerText || e.value || "").trim();
}"""


def tab_to(page: Page, name: str, limit: int = 120) -> None:
    """Press Tab until the focus is on what reads `name` (a link, a button, a labelled field),
    as a person without a mouse does; the focus must be visible there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED).startswith(name):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"
            )
            assert outline, f"the focus on {name!r} cannot be seen"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def keyboard_log_in(page: Page, base: str, person: dict) -> None:
    page.goto(base + "/connexion")
    tab_to(page, "Adresse e-mail")
    page.keyboard.type(person["email"])
    tab_to(page, "Mot de passe")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Bienvenue, {person['name']}.")).to_be_visible()


def test_an_exchange_is_proposed_accepted_logged_and_confirmed_with_the_keyboard_alone(
    live_server, new_page, app, screenshot
):
    place = factories.space("La Fabrique", city="Nantes")
    helene = factories.member(PROVIDER["name"], PROVIDER["email"])
    karim = factories.member("Karim Haddad", "karim@example.org")
    for person in (helene, karim):
        factories.join(person, place)
    offer = factories.listing(helene, place, "Réparation de vélos dans la cour")
    db.session.commit()
    receiver = {"name": "Karim Haddad", "email": "karim@example.org"}

    asker = new_page()
    keyboard_log_in(asker, live_server.url, receiver)
    asker.goto(f"{live_server.url}/annonces/{offer.id}")
    tab_to(asker, "Proposer un échange")
    asker.keyboard.press("Enter")
    expect(asker.get_by_role("heading", level=1, name="Proposer un échange")).to_be_visible()
    tab_to(asker, "Votre message")
    asker.keyboard.type("Mercredi midi ?")
    tab_to(asker, "Temps prévu")
    asker.keyboard.type("1 h")
    tab_to(asker, "Envoyer la proposition")
    asker.keyboard.press("Enter")
    expect(asker.get_by_text("Proposé", exact=True)).to_be_visible()
    exchange_url = asker.url

    giver = new_page()
    keyboard_log_in(giver, live_server.url, PROVIDER)
    giver.goto(exchange_url)
    tab_to(giver, "Accepter")
    giver.keyboard.press("Enter")
    expect(giver.get_by_role("button", name="Déclarer le temps")).to_be_visible()
    tab_to(giver, "Temps réellement donné")
    giver.keyboard.type("1 h")
    tab_to(giver, "Déclarer le temps")
    giver.keyboard.press("Enter")
    expect(giver.get_by_text("Karim Haddad doit le confirmer", exact=False)).to_be_visible()

    asker.reload()
    tab_to(asker, "Confirmer")
    screenshot(asker, "focus-on-confirm")
    asker.keyboard.press("Enter")
    expect(asker.get_by_text("Confirmé", exact=True).first).to_be_visible()
    with app.app_context():
        db.session.expire_all()
        assert (
            db.session.get(Exchange, int(exchange_url.rstrip("/").rsplit("/", 1)[1])).state
            == "confirmed"
        )
