"""The admin's outbox page and `flask outbox list` say what kind each email is, never its
subject: a gift's notification quotes the giver's message, which is for the receiver."""

from __future__ import annotations

import pytest

from exchange.services.ledger import gifts
from exchange.services.notify import outbox as emails
from tests import factories
from tests.outbox_helpers import giver_and_receiver, outbox_rows

MESSAGE = "Merci pour la garde de Lou, tu nous as sauvés"


class RefusingMailer:
    def send(self, message) -> None:
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def failed_gift_email(app):
    app.extensions["archipel.mailer"] = RefusingMailer()
    alice, bob = giver_and_receiver()
    gifts.give(alice.id, minutes=60, message=MESSAGE, to_member_id=bob.id)
    for _ in range(emails.ATTEMPTS - 1):
        emails.drain(everything=True)
    (row,) = outbox_rows()
    assert row.status == "failed" and MESSAGE in row.subject
    return row


def test_the_admin_page_shows_a_failed_gift_email_without_the_givers_message(
    client, auth, failed_gift_email
):
    auth.login(factories.member("Adam Réseau", "adam@example.org", admin=True))
    text = client.get("/admin/courriels").text
    assert "bob@example.org" in text and "Connection refused" in text
    assert "Notification : don reçu" in text
    assert MESSAGE not in text and "Merci pour la garde" not in text


def test_the_admin_page_names_the_kind_of_email_in_english(client, auth, failed_gift_email):
    auth.login(factories.member("Adam Réseau", "adam@example.org", admin=True, locale="en"))
    text = client.get("/admin/courriels?lang=en").text
    assert "Notification: gift received" in text and MESSAGE not in text


def test_flask_outbox_list_shows_a_failed_gift_email_without_the_givers_message(
    app, failed_gift_email
):
    output = app.test_cli_runner().invoke(args=["outbox", "list"]).output
    assert "1 failed" in output and "bob@example.org" in output
    assert "Notification: gift received" in output
    assert "Merci pour la garde" not in output


def test_an_unknown_kind_of_email_is_named_by_its_template(app):
    from exchange.email_labels import email_label

    with app.test_request_context():
        assert email_label("notification_something_new") == "notification_something_new"
        assert email_label("reset_password") == "Lien de réinitialisation du mot de passe"
