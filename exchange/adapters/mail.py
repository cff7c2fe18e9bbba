"""Outgoing email: SMTP when MAIL_SERVER is set, the log otherwise, memory in tests.

The adapter only sends, and says when it could not (`MailError`); the outbox service
decides what to do about it (retry later, give up, tell an admin)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app

from exchange.text import one_line

log = logging.getLogger("archipel.mail")


class MailError(Exception):
    """The message did not leave: the server is away, hangs past MAIL_TIMEOUT, or refused it."""


class SMTPMailer:
    def __init__(self, config):
        self.config = config

    def send(self, message: EmailMessage) -> None:
        cfg = self.config
        smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"])
        try:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
        except BaseException:
            smtp.close()
            raise
        # The server has the message: a QUIT it answers badly (or not at all) is no failure,
        # and counting it as one would send the message again.
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


class LogMailer:
    """No mail server: the message goes to the log, so a developer can follow its links."""

    def send(self, message: EmailMessage) -> None:
        log.info(
            "email (no MAIL_SERVER set, not sent)\nTo: %s\nSubject: %s\n\n%s",
            message["To"],
            message["Subject"],
            message.get_content(),
        )


class MemoryMailer:
    """The fake for tests: keeps what was sent."""

    def __init__(self):
        self.outbox: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.outbox.append(message)


def init_app(app: Flask) -> None:
    backend = app.config.get("MAIL_BACKEND") or ("smtp" if app.config.get("MAIL_SERVER") else "log")
    mailer = {"smtp": SMTPMailer, "log": LogMailer, "memory": MemoryMailer}[backend]
    app.extensions["archipel.mailer"] = mailer(app.config) if backend == "smtp" else mailer()


def mailer():
    return current_app.extensions["archipel.mailer"]


# Mail clients show about this much of a subject; the body carries the whole sentence.
SUBJECT_LENGTH = 150


def new_message_id() -> str:
    """A Message-ID for a new email, kept with it across retries."""
    return make_msgid(domain="archipel.local")


def build(
    to: str, subject: str, body: str, message_id: str | None = None, unsubscribe: str = ""
) -> EmailMessage:
    """A plain-text message. Its subject is one short line whatever a member wrote into it:
    a header with a line break is refused by Python's email library (and would be a way to
    add headers)."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = one_line(subject, SUBJECT_LENGTH)
    message["Message-ID"] = message_id or new_message_id()
    if unsubscribe:  # one click in the mail client turns this kind of email off (RFC 8058)
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(body)
    return message


def send(
    to: str, subject: str, body: str, message_id: str | None = None, unsubscribe: str = ""
) -> None:
    """Send one plain-text message; MailError (its cause chained) when it did not leave."""
    message = build(to, subject, body, message_id, unsubscribe)
    try:
        mailer().send(message)
    except (OSError, smtplib.SMTPException) as e:  # refused, unreachable, timed out
        raise MailError(describe(e)) from e


def describe(error: BaseException) -> str:
    """A short line on what went wrong, for the outbox's last_error and the admin's list."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        ]
        return "recipient refused: " + "; ".join(codes)
    if isinstance(error, smtplib.SMTPResponseException):
        said = error.smtp_error
        said = said.decode(errors="replace") if isinstance(said, bytes) else said
        return f"{error.smtp_code} {said}"
    if isinstance(error, TimeoutError):
        return "timed out (MAIL_TIMEOUT)"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
