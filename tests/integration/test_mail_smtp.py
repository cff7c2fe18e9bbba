"""Outgoing mail through a real SMTP server on localhost (aiosmtpd), the log backend, and a
mail server that is down or refuses: sign-up must carry on either way."""

from __future__ import annotations

import logging
import re
import socket
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from exchange.services.community import accounts
from models import User, db
from tests import factories

SIGNUP = {
    "display_name": "Inès Haddad",
    "email": "ines@example.org",
    "password": "lune-rousse-velo",
}
CONFIRM_LINK = re.compile(r"https?://[^/\s]+/confirmation/[^\s]+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every envelope, or refuses recipients when told to."""

    def __init__(self, refuse_recipients: bool = False):
        self.envelopes = []
        self.refuse_recipients = refuse_recipients

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _smtp_server(handler):
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


@pytest.fixture
def smtp():
    handler = Collector()
    controller = _smtp_server(handler)
    yield controller, handler
    controller.stop()


def _user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_sign_up_sends_the_confirmation_link_through_smtp(app, make_app, smtp):
    controller, handler = smtp
    smtp_app = make_app(MAIL_BACKEND=None, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    response = smtp_app.test_client().post("/inscription", data=SIGNUP)

    assert response.status_code == 200
    assert "Vérifiez vos e-mails" in response.text
    assert len(handler.envelopes) == 1
    envelope = handler.envelopes[0]
    assert envelope.rcpt_tos == ["ines@example.org"]
    message = message_from_bytes(envelope.content, policy=default_policy)
    assert message["To"] == "ines@example.org"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = CONFIRM_LINK.search(body)
    assert link, body
    # The link is a working one: it opens the confirmation page of this very account.
    path = "/" + link.group(0).split("/", 3)[3]
    page = smtp_app.test_client().get(path)
    assert page.status_code == 200


@pytest.mark.parametrize("backend", ["log", None])
def test_without_a_mail_server_the_message_goes_to_the_log(app, make_app, caplog, backend):
    caplog.set_level(logging.INFO, logger="archipel.mail")
    log_app = make_app(MAIL_BACKEND=backend, MAIL_SERVER=None)
    response = log_app.test_client().post("/inscription", data=SIGNUP)

    assert response.status_code == 200
    records = [r for r in caplog.records if r.name == "archipel.mail"]
    assert len(records) == 1, [r.getMessage() for r in records]
    text = records[0].getMessage()
    assert "ines@example.org" in text
    assert CONFIRM_LINK.search(text), text
    assert _user("ines@example.org") is not None


def test_a_mail_server_that_is_down_does_not_break_sign_up(app, make_app, caplog):
    caplog.set_level(logging.INFO, logger="archipel.mail")
    closed_port = free_port()  # nothing listens there any more
    down_app = make_app(MAIL_BACKEND=None, MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port)
    response = down_app.test_client().post("/inscription", data=SIGNUP)

    assert response.status_code == 200
    assert "Vérifiez vos e-mails" in response.text
    user = _user("ines@example.org")
    assert user is not None and not user.email_confirmed
    errors = [r for r in caplog.records if r.name == "archipel.mail" and r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "ines@example.org" in errors[0].getMessage()
    assert errors[0].exc_info is not None  # the traceback is kept for whoever reads the log


def test_a_mail_server_that_refuses_the_recipient_does_not_break_sign_up(app, make_app, caplog):
    caplog.set_level(logging.INFO, logger="archipel.mail")
    handler = Collector(refuse_recipients=True)
    controller = _smtp_server(handler)
    try:
        refusing_app = make_app(
            MAIL_BACKEND=None, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port
        )
        response = refusing_app.test_client().post("/inscription", data=SIGNUP)
    finally:
        controller.stop()

    assert response.status_code == 200
    assert _user("ines@example.org") is not None
    assert handler.envelopes == []
    assert any(r.name == "archipel.mail" and r.levelno >= logging.ERROR for r in caplog.records), (
        caplog.text
    )


@pytest.mark.parametrize("session", ["logged in", "session ended elsewhere"])
@pytest.mark.parametrize(
    ("path", "who"),
    [("/mot-de-passe/oublie", "member"), ("/confirmation/renvoyer", "unconfirmed")],
)
def test_a_member_with_a_session_cookie_asking_for_an_email_gets_it(
    app, make_app, smtp, path, who, session
):
    """Asking for a reset link (or a new confirmation link) while this browser holds a log-in
    cookie, live or already ended: the email leaves and the page answers, as for a visitor."""
    controller, handler = smtp
    smtp_app = make_app(MAIL_BACKEND=None, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    member = factories.member(email="lea@example.org")
    unconfirmed = factories.member(email="ugo@example.org", confirmed=False)
    client = smtp_app.test_client()
    login = client.post("/connexion", data={"email": member.email, "password": factories.PASSWORD})
    assert login.status_code == 302
    if session == "session ended elsewhere":
        accounts.end_all_sessions(member.id)
        db.session.commit()
    target = member if who == "member" else unconfirmed

    try:
        response = client.post(path, data={"email": target.email})
    except Exception as crash:  # what the member sees is a server error page
        pytest.fail(f"POST {path} ({session}) crashed: {crash!r}")

    assert response.status_code == 200, response.status_code
    assert [e.rcpt_tos for e in handler.envelopes] == [[target.email]]
