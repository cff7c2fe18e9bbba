"""Choosing a member as one types, in a real browser: with the keyboard alone, with pictures in
the suggestions; and without JavaScript, the typed name and, when several answer, a choice."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from exchange.services.community import photos
from models import db
from tests import factories, pictures
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser

GIVER = {"name": "Odile Martin", "email": "odile@example.org"}


@pytest.fixture
def people(app):
    place = factories.space("La Ruche")
    for name in ("Hélène Vidal", "Hélène Morel", "Bruno Lefèvre"):
        factories.join(factories.member(name), place)
    giver = factories.member(GIVER["name"], GIVER["email"])
    factories.join(giver, place)
    vidal = factories.member("Hugo Vidal")
    factories.join(vidal, place)
    photos.set_photo(vidal.id, pictures.photo(200, 200))
    db.session.commit()


def test_a_member_is_chosen_with_the_keyboard_alone(live_server, page, people, screenshot):
    log_in(page, live_server.url, GIVER)
    page.goto(live_server.url + "/compte/donner")
    field = page.get_by_label("À qui", exact=True)
    field.focus()
    page.keyboard.type("vid")
    listbox = page.get_by_role("listbox", name="Membres proposés")
    expect(listbox.get_by_role("option")).to_have_count(2)  # Hélène and Hugo Vidal
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(listbox.locator("img.avatar")).to_have_count(1)  # Hugo's picture, Hélène's initials
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option", selected=True)).to_contain_text("Hugo Vidal")
    screenshot(page, "suggestions")
    page.keyboard.press("Enter")
    expect(field).to_have_value("Hugo Vidal")
    expect(listbox).to_be_hidden()
    page.keyboard.press("Tab")
    page.keyboard.type("1 h")
    page.get_by_role("button", name="Donner").click()
    expect(page.get_by_text("Merci : votre don est enregistré.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Hugo Vidal")


def test_without_javascript_a_typed_name_that_several_answer_to_offers_them(
    live_server, browser, page, people, screenshot
):
    log_in(page, live_server.url, GIVER)
    plain = browser.new_context(
        locale="fr-FR", java_script_enabled=False, storage_state=page.context.storage_state()
    )
    form = plain.new_page()
    form.goto(live_server.url + "/compte/donner")
    form.get_by_label("À qui", exact=True).fill("helene")
    form.get_by_label("Durée").fill("1 h")
    form.get_by_role("button", name="Donner").click()
    expect(form.get_by_text("Plusieurs membres répondent à ce nom : choisissez.")).to_be_visible()
    screenshot(form, "choose-one")
    form.get_by_label("Hélène Morel").check()
    form.get_by_role("button", name="Donner").click()
    expect(form.get_by_text("Merci : votre don est enregistré.")).to_be_visible()
    expect(form.get_by_role("main")).to_contain_text("Hélène Morel")
    plain.close()
