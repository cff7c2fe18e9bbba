"""Talking before exchanging, in a real browser: a visitor signs up, asks a question on an offer,
the provider answers, the asker proposes the exchange from the conversation, the provider
accepts. Then the same conversation on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models import db
from tests import factories
from tests.browser.helpers import assert_fits_phone, header, log_in, main_nav, next_step

pytestmark = pytest.mark.browser

ASKER = {"name": "Nour Haddad", "email": "nour@example.org", "password": "vent-du-large-2026"}
PROVIDER = {"name": "Karim Mécano", "email": "karim@example.org"}
OFFER = "Réparation de vélos dans la cour"
QUESTION = "Bonjour Karim, tu sais régler des freins **hydrauliques** ?"
ANSWER = "Oui ! Passe vendredi midi, prévois une heure."


def test_a_newcomer_asks_before_proposing_and_the_provider_accepts(
    live_server, new_page, phone, screenshot
):
    cour = factories.space("La Cour", city="Lyon", join_policy="open")
    karim = factories.member(PROVIDER["name"], PROVIDER["email"])
    factories.join(karim, cour)
    factories.listing(karim, cour, OFFER, summary="Freins, dérailleurs, crevaisons.")
    db.session.commit()

    # --- A visitor signs up, confirms, and joins the space.
    nour = new_page()
    nour.goto(live_server.url + "/inscription")
    nour.get_by_label("Nom affiché").fill(ASKER["name"])
    nour.get_by_label("Adresse e-mail").fill(ASKER["email"])
    nour.get_by_label("Mot de passe").fill(ASKER["password"])
    nour.get_by_role("button", name="Créer mon compte").click()
    nour.goto(live_server.link_in_last_email(ASKER["email"], "/confirmation/"))
    nour.get_by_role("button", name="Confirmer mon adresse").click()
    expect(nour.get_by_role("heading", level=1, name="Premiers pas")).to_be_visible()
    main_nav(nour).get_by_role("link", name="Lieux").click()
    nour.get_by_role("link", name="La Cour").click()
    nour.get_by_role("button", name=re.compile("^Rejoindre")).click()
    expect(nour.get_by_text("Vous avez rejoint La Cour.")).to_be_visible()

    # --- They find the offer and ask a question, without committing to anything.
    main_nav(nour).get_by_role("link", name="Annonces").click()
    nour.get_by_role("link", name=OFFER).click()
    nour.get_by_role("link", name="Poser une question").click()
    expect(
        nour.get_by_role("heading", name=f"Poser une question à {PROVIDER['name']}")
    ).to_be_visible()
    nour.get_by_label("Votre message").fill(QUESTION)
    screenshot(nour, "question-form")
    nour.get_by_role("button", name="Envoyer").click()
    expect(nour.get_by_text(f"Message envoyé à {PROVIDER['name']}.")).to_be_visible()
    expect(nour.locator("ol.messages strong", has_text="hydrauliques")).to_be_visible()
    conversation_url = nour.url.split("#")[0]

    # --- The provider sees a conversation waiting in the header, and answers.
    karim_page = new_page()
    log_in(karim_page, live_server.url, PROVIDER)
    messages = header(karim_page).get_by_role("link", name=re.compile("^Messages"))
    expect(messages.first).to_have_accessible_name(re.compile("1 conversation non lue"))
    messages.first.click()
    expect(karim_page.get_by_role("heading", level=1, name="Messages")).to_be_visible()
    screenshot(karim_page, "inbox")
    karim_page.get_by_role("link", name=ASKER["name"]).click()
    expect(karim_page.get_by_text(re.compile(f"Au sujet de l'annonce.*{OFFER}"))).to_be_visible()
    expect(karim_page.get_by_role("link", name="Proposer un échange")).to_have_count(0)
    karim_page.get_by_label("Votre message").fill(ANSWER)
    karim_page.get_by_role("button", name="Envoyer").click()
    expect(karim_page.locator("#dernier")).to_contain_text(ANSWER)
    screenshot(karim_page, "answered")

    # --- The asker reads the answer and proposes the exchange from the conversation.
    nour.goto(conversation_url)
    expect(nour.locator("#dernier")).to_contain_text(ANSWER)
    screenshot(nour, "conversation")
    small = phone(nour, conversation_url)
    expect(small.locator("#dernier")).to_contain_text(ANSWER)
    assert_fits_phone(small)
    screenshot(small, "conversation-phone")
    nour.get_by_role("link", name="Proposer un échange").click()
    expect(nour.get_by_role("heading", level=1, name="Proposer un échange")).to_be_visible()
    expect(nour.get_by_role("main")).to_contain_text(OFFER)  # the listing, carried over
    nour.get_by_label("Votre message").fill("Comme convenu : vendredi midi dans la cour.")
    nour.get_by_role("button", name="Envoyer la proposition").click()
    expect(nour.get_by_text(f"Proposition envoyée à {PROVIDER['name']}.")).to_be_visible()
    exchange_url = nour.url

    # --- The provider accepts.
    karim_page.goto(exchange_url)
    expect(next_step(karim_page)).to_contain_text(f"{ASKER['name']} attend votre réponse.")
    next_step(karim_page).get_by_role("button", name="Accepter").click()
    expect(karim_page.get_by_text(re.compile("^Échange accepté"))).to_be_visible()
    screenshot(karim_page, "accepted")
