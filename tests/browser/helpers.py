"""What the browser tests share: reading the pages as a person does (by role and name), logging
in through the header, and checking that a page fits a phone's screen."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests import factories

PHONE = {"width": 390, "height": 844}


def words(text: str) -> re.Pattern:
    """Words as the pages print them, whatever the spaces between ("12,50 €" has a narrow
    no-break space, "1 h 30" no-break spaces, "−" is the minus)."""
    return re.compile(r"\s*".join(re.escape(part) for part in text.split()))


def header(page: Page):
    return page.get_by_role("banner")


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Navigation principale")


def account_menu(page: Page):
    """The header's menu of the member's own pages, opened (as a person clicks their name)."""
    summary = header(page).locator("details.account-menu > summary")
    if summary.is_visible():  # wide screens; on a phone the one menu holds everything
        summary.click()
    else:
        header(page).locator("details.site-menu > summary").click()
    return header(page)


def log_in(page: Page, base_url: str, person: dict) -> None:
    """From the home page, through the header's link, with the factories' password."""
    page.goto(base_url + "/")
    header(page).get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    page.get_by_label("Adresse e-mail").fill(person["email"])
    page.get_by_label("Mot de passe", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text(f"Bienvenue, {person['name']}.")).to_be_visible()


def assert_fits_phone(page: Page) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def next_step(page: Page):
    """The exchange page's box "Et maintenant ?": what the reader can do next."""
    return page.get_by_role("complementary", name="Et maintenant ?")


def pick_member(page: Page, label: str, name: str) -> None:
    """Type the first letters of `name` in the picker labelled `label` and choose it among the
    suggestions, as a person does (static/js/picker.js)."""
    field = page.get_by_label(label, exact=True)
    field.press_sequentially(name[:3])
    option = page.get_by_role("option", name=re.compile(re.escape(name)))
    expect(option).to_be_visible()
    option.click()
    expect(field).to_have_value(name)
