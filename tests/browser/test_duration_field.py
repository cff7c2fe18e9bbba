"""A duration cannot be misread, in a real browser.

Odile means to give Bruno thirty minutes and types "30". The field says its unit beside the
input and reads back "= 30 h" as she types; she sends it anyway, and the page asks her, in
words, whether she really gives thirty hours; she confirms and sees the success. On a phone,
"1,33" is read back as no whole number of minutes, with the nearest proposed.

Screenshots of the field at 1280 px and 390 px wide are saved under /tmp.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from models import NetworkSettings, db
from tests import factories
from tests.browser.helpers import assert_fits_phone, log_in, pick_member
from tests.browser.helpers import words as hm

pytestmark = pytest.mark.browser

GIVER = {"name": "Odile Perrin", "email": "odile.perrin@example.org"}
SHOTS = Path(tempfile.gettempdir()) / "archipel-duration-field"


def test_a_gift_of_30_is_read_back_live_then_confirmed_in_words(
    live_server,
    page,
    phone,
    screenshot,
):
    space = factories.space("La Fabrique du Quai", city="Marseille")
    factories.join(factories.member(display_name=GIVER["name"], email=GIVER["email"]), space)
    factories.join(factories.member("Bruno Lefèvre", "bruno@example.org"), space)
    settings = db.session.get(NetworkSettings, 1) or NetworkSettings(id=1)
    settings.credit_floor = -50 * 60  # Odile may give thirty hours she does not have yet
    db.session.add(settings)
    db.session.commit()

    log_in(page, live_server.url, GIVER)
    page.goto(live_server.url + "/compte/donner")
    pick_member(page, "À qui", "Bruno Lefèvre")
    field = page.get_by_label("Durée")
    expect(page.get_by_text("Un nombre seul compte des heures.")).to_be_visible()
    field.press_sequentially("30")
    expect(page.locator("#minutes-read")).to_have_text(hm("= 30 h"))
    page.locator(".field:has(#minutes)").screenshot(path=f"{SHOTS}-1280.png")
    screenshot(page, "typed-30")

    page.get_by_role("button", name="Donner").click()
    confirmation = page.get_by_role("alert")
    expect(confirmation).to_contain_text(
        hm("Vous allez donner 30 h (trente heures) à Bruno Lefèvre. C'est bien cela ?")
    )
    expect(confirmation).to_contain_text("Rien n'a encore bougé.")
    screenshot(page, "confirmation")
    page.screenshot(path=f"{SHOTS}-confirmation-1280.png", full_page=True)
    page.get_by_role("button", name=hm("Oui, donner 30 h")).click()
    expect(page.get_by_text("Merci : votre don est enregistré.")).to_be_visible()
    screenshot(page, "given")

    # On a phone: the unit beside the input, and "1,33" read back with the nearest.
    small = phone(page, live_server.url + "/compte/donner")
    small.get_by_label("Durée").press_sequentially("1,33")
    expect(small.locator("#minutes-read")).to_have_text(
        hm("1,33 h n'est pas un nombre entier de minutes : 1 h 20 ?")
    )
    assert_fits_phone(small)
    small.locator(".field:has(#minutes)").screenshot(path=f"{SHOTS}-390.png")
    small.screenshot(path=f"{SHOTS}-page-390.png", full_page=True)
