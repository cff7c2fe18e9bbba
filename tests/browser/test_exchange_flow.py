"""An exchange's life in a real browser, and gifts to the common pot.

Inès offers help with a bike; Malik proposes an exchange from her listing's page, she accepts
it from "Mes échanges", gives the time and logs "1 h 30". Malik confirms, and confirms again
at once from a second tab he had left open on the same exchange, as a person does when a page
seems slow. Both statements then show one movement of 1 h 30, and the balances −1 h 30 and
+1 h 30, read from the pages as a person reads them.

Then a member gives to the common pot, sees the gift on /caisse-commune, and tries to give more
than the network's floor allows: the message says how much is possible.

Every step is saved as a desktop screenshot; the main pages are also saved as a phone sees
them (390×844, a mobile context with the same cookies).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from models import db
from tests import factories
from tests.browser.helpers import (
    account_menu,
    assert_fits_phone,
    header,
    log_in,
    main_nav,
    next_step,
)
from tests.browser.helpers import words as hm

pytestmark = pytest.mark.browser

PROVIDER = {"name": "Inès Moreau", "email": "ines.moreau@example.org"}
RECEIVER = {"name": "Malik Haddad", "email": "malik.haddad@example.org"}
GIVER = {"name": "Odile Perrin", "email": "odile.perrin@example.org"}
SPACE = "La Fabrique du Quai"

TITLE = "Réparer un vélo : freins, dérailleur, crevaison"
PROPOSAL = (
    "Bonjour Inès, mes freins couinent et le dérailleur saute.\n"
    "Je suis libre samedi matin, à l'atelier."
)
LOG_NOTE = "Patins changés, dérailleur réglé : on a fini en une heure et demie."
POT_MESSAGE = "Pour les ateliers de réparation du quartier."


def balance(page: Page):
    """The balance in the "Solde" box of /compte."""
    return page.get_by_role("region", name="Solde", exact=True).locator("p.balance")


def statement_rows(page: Page):
    return page.get_by_role("table").locator("tbody tr")


def test_exchange_proposed_accepted_logged_double_confirmed_moves_credits_once(
    live_server, new_page, phone, screenshot
):
    fabrique = factories.space(SPACE, city="Marseille")
    provider = factories.member(
        display_name=PROVIDER["name"], email=PROVIDER["email"], city="Marseille"
    )
    receiver = factories.member(
        display_name=RECEIVER["name"], email=RECEIVER["email"], city="Marseille"
    )
    factories.join(receiver, fabrique)
    factories.listing(
        provider,
        fabrique,
        TITLE,
        summary="Je répare votre vélo avec vous, à l'atelier du quai.",
        estimated_minutes=60,
    )
    db.session.commit()  # nothing left open while the server works on the same database

    # --- Malik finds Inès's offer and proposes an exchange from its page.
    malik = new_page()
    log_in(malik, live_server.url, RECEIVER)
    main_nav(malik).get_by_role("link", name="Annonces").click()
    malik.get_by_role("link", name=TITLE).click()
    expect(malik.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    screenshot(malik, "A-listing")
    malik.get_by_role("link", name="Proposer un échange").click()
    expect(malik.get_by_role("heading", level=1, name="Proposer un échange")).to_be_visible()
    expect(malik.get_by_label("Temps prévu")).to_have_value(hm("1 h"))  # from the listing
    malik.get_by_label("Votre message").fill(PROPOSAL)
    malik.get_by_label("Temps prévu").fill("1 h 30")
    screenshot(malik, "A-proposal-filled")
    malik.get_by_role("button", name="Envoyer la proposition").click()
    expect(malik.get_by_text(f"Proposition envoyée à {PROVIDER['name']}.")).to_be_visible()
    expect(malik.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    exchange_url = malik.url
    assert re.fullmatch(re.escape(live_server.url) + r"/echanges/\d+", exchange_url)
    expect(malik.get_by_text("Proposé", exact=True)).to_be_visible()
    expect(
        malik.get_by_text(f"Votre proposition attend la réponse de {PROVIDER['name']}.")
    ).to_be_visible()
    screenshot(malik, "A-proposal-sent")

    # --- Inès finds it under "À vous de jouer" in her exchanges, and accepts.
    ines = new_page()
    log_in(ines, live_server.url, PROVIDER)
    header(ines).get_by_role("link", name="Mes échanges").click()
    expect(ines.get_by_role("heading", level=1, name="Mes échanges")).to_be_visible()
    my_turn = ines.get_by_role("region", name=re.compile("^À vous de jouer"))
    expect(my_turn.get_by_role("listitem")).to_have_count(1)
    expect(my_turn).to_contain_text(f"{RECEIVER['name']}")
    screenshot(ines, "B-my-turn")
    screenshot(phone(ines, ines.url), "phone-B-echanges-my-turn")
    my_turn.get_by_role("link", name=TITLE).click()
    expect(ines).to_have_url(exchange_url)
    expect(ines.get_by_text(f"{RECEIVER['name']} attend votre réponse.")).to_be_visible()
    expect(ines.get_by_role("main")).to_contain_text("mes freins couinent")
    ines.get_by_label("Un mot pour l'autre personne (facultatif)").fill(
        "Avec plaisir, samedi 10 h à l'atelier."
    )
    screenshot(ines, "B-accept")
    ines.get_by_role("button", name="Accepter").click()
    expect(
        ines.get_by_text("Échange accepté. Une fois le temps donné, l'un de vous le déclare.")
    ).to_be_visible()
    expect(ines.get_by_text("Accepté", exact=True)).to_be_visible()

    # --- The repair done, she logs the time actually given: "1 h 30".
    ines.get_by_label("Temps réellement donné").fill("1 h 30")
    ines.get_by_label("Note (facultatif)").fill(LOG_NOTE)
    screenshot(ines, "B-log-time")
    ines.get_by_role("button", name="Déclarer le temps").click()
    expect(ines.get_by_text("Temps déclaré : l'autre personne va le confirmer.")).to_be_visible()
    expect(ines.get_by_text("Temps déclaré, à confirmer", exact=True)).to_be_visible()
    expect(ines.locator("dl.facts")).to_contain_text(hm("1 h 30"))
    expect(ines.get_by_role("button", name=re.compile("^Confirmer"))).to_have_count(0)
    screenshot(ines, "B-time-logged")

    # --- Malik has the exchange open in two tabs; he confirms in both, as fast as he can.
    tabs = [malik, malik.context.new_page()]
    tabs[1].goto(exchange_url)
    for tab in tabs:
        tab.reload()
        expect(next_step(tab)).to_contain_text(hm(f"{PROVIDER['name']} a déclaré 1 h 30."))
    confirm = [tab.get_by_role("button", name=hm("Confirmer 1 h 30")) for tab in tabs]
    for button in confirm:
        expect(button).to_be_visible()
    screenshot(malik, "A-confirm")
    screenshot(phone(malik, exchange_url), "phone-A-echange-to-confirm")
    posted = []  # the confirmations that reached the server, and its answers
    malik.context.on(
        "response",
        lambda r: r.request.method == "POST" and r.url.endswith("/confirmer") and posted.append(r),
    )
    # Neither click waits for its page to load before the other one is made.
    confirm[0].click(no_wait_after=True)
    confirm[1].click(no_wait_after=True)
    moved = re.compile(
        rf"Le temps confirmé \(1\s*h\s*30\) est passé du compte de {RECEIVER['name']}"
        rf" à celui de {PROVIDER['name']}"
    )
    for tab in tabs:
        expect(tab.get_by_role("button", name=re.compile("^Confirmer"))).to_have_count(0)
        expect(tab.get_by_text("Confirmé", exact=True)).to_be_visible()
        expect(next_step(tab)).to_contain_text(moved)
    assert [r.status for r in posted] == [302, 302], [(r.url, r.status) for r in posted]
    # The messages ride on the one session cookie the tabs share: which tab shows which one
    # (or both) is a race between the two answers. Together they say it was done once.
    said = " ".join(tab.get_by_role("main").inner_text() for tab in tabs)
    assert re.search(
        r"Temps confirmé : les crédits ont bougé\.|"
        r"Cet échange est déjà confirmé : les crédits ont bougé\.",
        said,
    ), said
    for n, tab in enumerate(tabs, start=1):
        screenshot(tab, f"A-confirmed-tab-{n}")
    tabs[1].close()

    # --- Malik's statement: one movement, −1 h 30, and a balance of −1 h 30.
    malik.get_by_role("link", name="Voir mon relevé").click()
    expect(malik.get_by_role("heading", level=1, name="Mon compte temps")).to_be_visible()
    expect(balance(malik)).to_have_text(hm("−1 h 30"))
    rows = statement_rows(malik)
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("cell")).to_have_text(
        [re.compile(r"\d"), "Échange", PROVIDER["name"], TITLE, hm("−1 h 30"), hm("−1 h 30")]
    )
    screenshot(malik, "A-statement")

    # --- Inès's statement: the same movement, +1 h 30.
    account_menu(ines).get_by_role("link", name="Mon compte", exact=True).click()
    expect(ines.get_by_role("heading", level=1, name="Mon compte temps")).to_be_visible()
    expect(balance(ines)).to_have_text(hm("1 h 30"))
    rows = statement_rows(ines)
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("cell")).to_have_text(
        [re.compile(r"\d"), "Échange", RECEIVER["name"], TITLE, hm("+1 h 30"), hm("1 h 30")]
    )
    screenshot(ines, "B-statement")

    # --- The same pages on a phone.
    for person, who in ((malik, "A"), (ines, "B")):
        small = phone(person)
        for path, name in (
            ("/echanges", "echanges"),
            (exchange_url.removeprefix(live_server.url), "echange"),
            ("/compte", "compte"),
            ("/caisse-commune", "caisse-commune"),
        ):
            small.goto(live_server.url + path)
            expect(header(small)).to_be_visible()
            screenshot(small, f"phone-{who}-{name}")
            assert_fits_phone(small)


def test_gift_to_the_pot_is_listed_and_a_gift_past_the_floor_says_how_much_is_possible(
    live_server, page, phone, screenshot
):
    factories.join(
        factories.member(display_name=GIVER["name"], email=GIVER["email"]),
        factories.space(SPACE, city="Marseille"),
    )
    db.session.commit()

    log_in(page, live_server.url, GIVER)
    main_nav(page).get_by_role("link", name="Caisse commune").click()
    expect(page.get_by_role("heading", level=1, name="Caisse commune")).to_be_visible()
    expect(page.get_by_text("Aucun mouvement sur cette période.")).to_be_visible()
    screenshot(page, "pot-empty")
    page.get_by_role("link", name="Donner à la caisse").click()
    expect(page.get_by_role("heading", level=1, name="Donner du temps")).to_be_visible()
    expect(page.get_by_label("À la caisse commune plutôt qu'à un membre")).to_be_checked()
    expect(page.get_by_label("À qui", exact=True)).to_be_hidden()  # no member to pick then
    page.get_by_label("Durée").fill("2 h")
    page.get_by_label("Message").fill(POT_MESSAGE)
    screenshot(page, "gift-filled")
    page.get_by_role("button", name="Donner").click()
    expect(page.get_by_text("Merci : votre don est enregistré.")).to_be_visible()
    expect(balance(page)).to_have_text(hm("−2 h"))
    screenshot(page, "gift-statement")

    # The gift is on the pot's page, for everyone to read.
    main_nav(page).get_by_role("link", name="Caisse commune").click()
    expect(page.get_by_role("region", name="Solde de la caisse")).to_contain_text(hm("2 h"))
    rows = statement_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("cell")).to_have_text(
        [re.compile(r"\d"), "Don", GIVER["name"], POT_MESSAGE, hm("+2 h"), hm("2 h")]
    )
    screenshot(page, "pot-with-gift")

    # Past the floor (−20 h): refused, and told how much can still go.
    page.get_by_role("link", name="Donner à la caisse").click()
    page.get_by_label("Durée").fill("19 h")
    page.get_by_role("button", name="Donner").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(page.get_by_label("Durée")).to_have_attribute("aria-invalid", "true")
    error = page.locator(".field.has-error .error")
    expect(error).to_contain_text(hm("Votre solde passerait à −21 h"))
    expect(error).to_contain_text(hm("sous le plancher du réseau (−20 h)"))
    expect(error).to_contain_text(hm("Au plus 18 h peuvent partir de votre compte"))
    expect(page.get_by_label("Durée")).to_have_value("19 h")  # kept, to be corrected
    screenshot(page, "gift-past-floor")
    small = phone(page)
    small.goto(live_server.url + "/compte/donner?a=pot")
    small.get_by_label("Durée").fill("19 h")
    small.get_by_role("button", name="Donner").click()
    expect(small.locator(".field.has-error .error")).to_contain_text(hm("Au plus 18 h"))
    screenshot(small, "phone-gift-past-floor")
    assert_fits_phone(small)

    # Nothing moved: the pot still holds the one gift.
    main_nav(page).get_by_role("link", name="Caisse commune").click()
    expect(statement_rows(page)).to_have_count(1)
    expect(page.get_by_role("region", name="Solde de la caisse")).to_contain_text(hm("2 h"))
    small.goto(live_server.url + "/caisse-commune")
    screenshot(small, "phone-caisse-commune")
    assert_fits_phone(small)
