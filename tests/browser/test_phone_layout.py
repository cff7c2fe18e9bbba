"""The site on a phone and on a laptop, in a real browser: one header line at 1280 px, one
menu button at 390 px that opens without JavaScript, the search's filters folded behind one
button, wide tables read as cards, and no page that scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from exchange.services.ledger import gifts
from models import db
from tests import factories
from tests.browser.helpers import PHONE, assert_fits_phone, header, log_in

pytestmark = pytest.mark.browser

ADMIN = {"name": "Anne-Sophie Delacroix-Montalembert", "email": "anne@example.org"}
MEMBER = {"name": "Jean Dupont", "email": "jean@example.org"}

PAGES = [
    "/", "/annonces", "/annonces?type=offre", "/membres", "/lieux", "/echanges", "/compte",
    "/compte/reglages", "/premiers-pas", "/profil", "/caisse-commune", "/moderation",
    "/notifications", "/admin/mouvements", "/admin/courriels", "/admin/categories",
    "/mes-annonces", "/compte/donner",
]  # fmt: skip


@pytest.fixture
def network(app):
    place = factories.space("Les Ateliers du Rhône", city="Lyon")
    admin = factories.member(ADMIN["name"], ADMIN["email"], admin=True)
    factories.join(admin, place, role="coordinator")
    member = factories.member(MEMBER["name"], MEMBER["email"])
    factories.join(member, place)
    factories.listing(member, place, "Réparation de vélos dans la cour, le vendredi midi")
    gifts.give(
        member.id,
        minutes=90,
        message="Merci pour l'atelier de la semaine dernière",
        to_member_id=admin.id,
    )
    db.session.commit()


def _phone(browser, page: Page, *, javascript: bool = True) -> Page:
    context = browser.new_context(
        locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True,
        java_script_enabled=javascript, storage_state=page.context.storage_state(),
    )  # fmt: skip
    return context.new_page()


def test_the_header_holds_on_one_line_at_1280_px(live_server, page, network, screenshot):
    log_in(page, live_server.url, ADMIN)  # the longest header: moderation, a long name
    tops = page.evaluate(
        "[...document.querySelectorAll('.header-inner > *')]"
        ".filter(e => e.offsetParent).map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(tops) == 3 and max(tops) - min(tops) <= 2, tops
    assert page.evaluate("document.querySelector('.site-header').offsetHeight") < 80
    header(page).locator("details.account-menu > summary").click()
    for name in ("Mon compte", "Mes annonces", ADMIN["name"], "Réglages", "Administration"):
        expect(header(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    page.keyboard.press("Escape")  # menus.js: Escape closes it
    expect(header(page).get_by_role("link", name="Réglages")).to_be_hidden()
    screenshot(page, "header-1280")


def test_the_phone_menu_opens_without_javascript(live_server, browser, page, network, screenshot):
    log_in(page, live_server.url, MEMBER)
    phone = _phone(browser, page, javascript=False)
    phone.goto(live_server.url + "/")
    menu = header(phone).get_by_text("Menu")
    expect(menu).to_be_visible()
    expect(header(phone).get_by_role("link", name="Mes échanges")).to_be_hidden()
    menu.click()
    screenshot(phone, "menu-open")
    header(phone).get_by_role("link", name="Mes échanges").click()
    expect(phone.get_by_role("heading", level=1, name="Mes échanges")).to_be_visible()
    assert_fits_phone(phone)
    phone.context.close()


def test_the_search_filters_fold_behind_one_button_on_a_phone(
    live_server, browser, page, network, screenshot
):
    log_in(page, live_server.url, MEMBER)
    phone = _phone(browser, page, javascript=False)
    phone.goto(live_server.url + "/annonces")
    expect(phone.get_by_label("Catégorie")).to_be_hidden()
    expect(phone.get_by_label("Rechercher")).to_be_visible()
    phone.get_by_text("Filtres", exact=True).click()
    expect(phone.get_by_label("Catégorie")).to_be_visible()
    screenshot(phone, "filters-open")
    phone.goto(live_server.url + "/annonces?type=offre")  # a filter chosen: shown, and counted
    expect(phone.get_by_text("Filtres (1 actif)")).to_be_visible()
    expect(phone.get_by_label("Type")).to_have_value("offre")
    page.goto(live_server.url + "/annonces")  # on a laptop, all in sight
    expect(page.get_by_label("Catégorie")).to_be_visible()
    expect(page.get_by_text("Filtres", exact=True)).to_be_hidden()
    phone.context.close()


def test_wide_tables_read_as_cards_and_no_page_scrolls_sideways(
    live_server, browser, page, network, screenshot
):
    log_in(page, live_server.url, ADMIN)
    phone = _phone(browser, page)
    for path in PAGES:
        response = phone.goto(live_server.url + path)
        assert response.status == 200, path
        assert_fits_phone(phone)
    phone.goto(live_server.url + "/admin/mouvements")
    card = phone.locator("table.cards-on-phone tbody tr").first
    expect(card.locator("td[data-label='De']")).to_contain_text(MEMBER["name"])
    label = card.locator("td[data-label='Montant']").evaluate(
        "e => getComputedStyle(e, '::before').content"
    )
    assert label == '"Montant"'
    screenshot(phone, "movements-cards")
    phone.context.close()
