"""Several lines typed into a textarea (browsers send CRLF) never break an action."""

from __future__ import annotations

import pytest

from exchange.services.ledger import transfers
from models import db
from tests.outbox_helpers import giver_and_receiver


@pytest.fixture
def giver(app):
    return giver_and_receiver()


@pytest.mark.parametrize("brk", ["\r\n", "\r", "\u2028", "\x85", "\x0b", "\x1c"], ids=repr)
def test_a_gift_with_a_two_line_message_succeeds_and_its_email_has_a_one_line_subject(
    client, auth, giver, outbox, brk
):
    alice, bob = giver
    auth.login(alice)
    response = client.post(
        "/compte/donner",
        data={
            "recipient": str(bob.id),
            "minutes": "1 h",
            "message": f"Merci pour ton aide !{brk}À bientôt",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert transfers.account_of(bob.id).balance == 60
    (mail,) = [m for m in outbox if m["To"] == bob.email]
    subject = str(mail["Subject"])
    assert "\n" not in subject and "\r" not in subject and "Merci pour ton aide" in subject
    assert "Merci pour ton aide !" in mail.get_content()
