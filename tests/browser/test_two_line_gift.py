"""A gift whose message has two lines, typed with the Enter key as a person does: the browser
sends CRLF, the gift goes through and the giver sees the success page (issue 13: it used to
end on an error page, the transfer already written)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import Transfer, db
from tests import factories
from tests.browser.helpers import log_in, pick_member

pytestmark = pytest.mark.browser

GIVER = {"name": "Odile Perrin", "email": "odile.perrin@example.org"}
FRIEND = {"name": "Karim Benali", "email": "karim.benali@example.org"}
SHOT = Path(tempfile.gettempdir()) / "archipel-browser" / "gift-with-a-two-line-message.png"


def test_a_gift_with_a_message_typed_on_two_lines_ends_on_the_success_page(live_server, page):
    space = factories.space("La Fabrique du Quai")
    for person in (GIVER, FRIEND):
        factories.join(factories.member(person["name"], person["email"]), space)

    log_in(page, live_server.url, GIVER)
    page.goto(live_server.url + "/compte/donner")
    pick_member(page, "À qui", FRIEND["name"])
    page.get_by_label("Durée").fill("1 h")
    message = page.get_by_label("Message (facultatif)")
    message.click()
    page.keyboard.type("Merci pour ton aide !")
    page.keyboard.press("Enter")
    page.keyboard.type("À bientôt")
    page.get_by_role("button", name="Donner").click()

    expect(page.get_by_text("Merci : votre don est enregistré.")).to_be_visible()
    expect(page).to_have_url(live_server.url + "/compte")
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT), full_page=True)
    gift = db.session.scalars(select(Transfer).order_by(Transfer.id.desc())).first()
    assert gift.reason == "Merci pour ton aide !\nÀ bientôt"
    (mail,) = [m for m in live_server.outbox if m["To"] == FRIEND["email"]]
    assert "\n" not in str(mail["Subject"])
