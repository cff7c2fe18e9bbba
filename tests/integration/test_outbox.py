"""The outbox: an email is a row written with the action, sent once, retried, never lost."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.adapters import jobs
from exchange.services.community import accounts
from exchange.services.ledger import gifts, transfers
from exchange.services.notify import notifications
from exchange.services.notify import outbox as emails
from models import ModerationAction, OutboxEmail, db
from models.base import utcnow
from tests import factories
from tests.outbox_helpers import giver_and_receiver, outbox_rows


class FailingMailer:
    """A mail server that refuses everything, then accepts once told to."""

    def __init__(self, keep: list):
        self.sent = keep
        self.refusing = True

    def send(self, message) -> None:
        if self.refusing:
            raise ConnectionRefusedError(111, "Connection refused")
        self.sent.append(message)


@pytest.fixture
def pair(app):
    return giver_and_receiver()


@pytest.fixture
def refusing(app, outbox):
    mailer = FailingMailer(outbox)
    app.extensions["archipel.mailer"] = mailer
    return mailer


def _give(alice, bob):
    return gifts.give(alice.id, minutes=60, message="Merci !", to_member_id=bob.id)


def test_a_rolled_back_action_mails_nobody(app, pair, outbox):
    _alice, bob = pair
    notifications.queue_email(bob, "notification_generic", link="/", kind="gift_received", data={})
    db.session.rollback()
    db.session.commit()

    assert outbox_rows() == []
    assert outbox == []


def test_a_committed_gift_writes_its_email_and_sends_it_once(app, pair, outbox):
    alice, bob = pair
    _give(alice, bob)

    (row,) = outbox_rows()
    (sent,) = outbox
    assert (row.status, row.to_address, row.attempts) == ("sent", bob.email, 0)
    assert sent["Message-ID"] == row.message_id
    assert row.body == ""  # the links it carried do not stay in the database
    # The same job run again (a retry, a duplicate) sends nothing.
    assert emails.deliver(row.id, due_only=False) is False
    assert len(outbox) == 1


def test_two_workers_delivering_the_same_email_send_it_once(app, make_app, pair, refusing):
    alice, bob = pair
    _give(alice, bob)  # the first attempt is refused: the row waits, pending
    (row,) = outbox_rows()
    assert (row.status, row.attempts) == ("pending", 1)
    refusing.refusing = False
    workers = [make_app() for _ in range(2)]
    for worker in workers:
        worker.extensions["archipel.mailer"] = refusing
    start, results = threading.Barrier(2), []

    def run(worker):
        with worker.app_context():
            start.wait()
            results.append(emails.deliver(row.id, due_only=False))

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(results) == [False, True]
    assert len(refusing.sent) == 1
    assert outbox_rows()[0].status == "sent"


def test_a_refused_email_is_retried_with_backoff_then_waits_for_an_admin(
    app, pair, refusing, caplog
):
    _alice, bob = pair
    accounts.request_password_reset(bob.email)
    (row,) = outbox_rows()
    assert (row.status, row.attempts, row.template) == ("pending", 1, "reset_password")
    waited = row.next_attempt_at - row.created_at
    assert emails.BACKOFF[0] <= waited < emails.BACKOFF[1]
    assert "Connection refused" in row.last_error

    # Not due yet: a drain of what is due sends nothing and counts no attempt.
    assert emails.drain().sent == 0
    assert outbox_rows()[0].attempts == 1
    for _ in range(emails.ATTEMPTS - 1):
        emails.drain(everything=True)
    (row,) = outbox_rows()
    assert (row.status, row.attempts) == ("failed", emails.ATTEMPTS)
    assert emails.drain(everything=True).sent == 0  # failed rows wait for a person

    refusing.refusing = False
    admin = factories.member("Adam Réseau", "adam@example.org", admin=True)
    assert emails.retry(admin.id) == 1
    (sent,) = refusing.sent
    assert sent["To"] == bob.email and "/mot-de-passe/nouveau/" in sent.get_content()
    assert outbox_rows()[0].status == "sent"
    (act,) = db.session.scalars(select(ModerationAction)).all()
    assert (act.actor_id, act.action, act.details["emails"]) == (
        admin.id,
        "emails_retried",
        [row.id],
    )


def test_a_queue_that_cannot_take_the_job_leaves_the_email_for_the_sweep(
    app, client, auth, pair, outbox, monkeypatch, caplog
):
    alice, bob = pair

    def away(task, *args):
        raise jobs.JobsUnavailable("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(jobs.get(), "enqueue", away)
    auth.login(alice)
    response = client.post(
        "/compte/donner", data={"recipient": str(bob.id), "minutes": "1 h", "message": "Merci"}
    )

    assert response.status_code == 302  # the gift's own success
    assert transfers.account_of(bob.id).balance == 60
    assert [r.status for r in outbox_rows()] == ["pending"]
    assert "the next sweep sends it" in caplog.text
    monkeypatch.undo()
    emails.sweep()
    assert [m["To"] for m in outbox] == [bob.email]


def test_the_thread_of_the_app_delivers_after_the_commit(app, make_app, pair):
    alice, bob = pair
    threaded = make_app(OUTBOX_DELIVERY="thread", OUTBOX_SWEEP_SECONDS=3600)
    queue = threaded.extensions["archipel.jobs"]
    assert isinstance(queue, jobs.ThreadJobs)
    client = threaded.test_client()
    try:
        client.post("/connexion", data={"email": alice.email, "password": factories.PASSWORD})
        response = client.post(
            "/compte/donner", data={"recipient": str(bob.id), "minutes": "1 h", "message": "Hé"}
        )
        assert response.status_code == 302
        queue.wait_idle()
    finally:
        queue.stop()
    assert [m["To"] for m in threaded.extensions["archipel.mailer"].outbox] == [bob.email]
    assert [r.status for r in outbox_rows()] == ["sent"]


def test_flask_outbox_lists_drains_and_retries(app, pair, refusing):
    alice, bob = pair
    _give(alice, bob)
    runner = app.test_cli_runner()

    listed = runner.invoke(args=["outbox"])
    assert listed.exit_code == 0
    assert "1 pending, 0 sending, 0 sent, 0 failed" in listed.output
    assert bob.email in listed.output and "Connection refused" in listed.output

    assert runner.invoke(args=["outbox", "drain"]).output == "0 sent, 0 not sent.\n"
    for _ in range(emails.ATTEMPTS - 1):
        assert runner.invoke(args=["outbox", "drain", "--all"]).exit_code == 1
    assert "0 pending, 0 sending, 0 sent, 1 failed" in runner.invoke(args=["outbox", "list"]).output

    refusing.refusing = False
    assert "1 failed emails back to pending" in runner.invoke(args=["outbox", "retry"]).output
    assert len(refusing.sent) == 1  # inline delivery: sent on the commit of the retry
    assert "0 pending, 0 sending, 1 sent, 0 failed" in runner.invoke(args=["outbox"]).output


def test_the_admin_sees_failed_emails_without_their_body_and_retries_one(
    app, client, auth, pair, refusing
):
    _alice, bob = pair
    accounts.request_password_reset(bob.email)
    for _ in range(emails.ATTEMPTS - 1):
        emails.drain(everything=True)
    (row,) = outbox_rows()
    token = re.search(r"/mot-de-passe/nouveau/(\S+)", row.body).group(1)
    admin = factories.member("Adam Réseau", "adam@example.org", admin=True)
    auth.login(admin)

    page = client.get("/admin/courriels")
    assert page.status_code == 200
    assert bob.email in page.text and "Connection refused" in page.text
    assert "Lien de réinitialisation du mot de passe" in page.text  # its kind, not its subject
    assert "/mot-de-passe/nouveau/" not in page.text and token not in page.text

    refusing.refusing = False
    response = client.post(f"/admin/courriels/{row.id}/renvoyer")
    assert response.status_code == 302 and response.location.endswith("/admin/courriels")
    assert [m["To"] for m in refusing.sent] == [bob.email]
    assert "1 courriel remis dans la file d'envoi." in client.get("/admin/courriels").text


def test_a_command_outside_any_request_sends_its_emails_itself_without_a_thread(
    app, make_app, pair
):
    """A cron command ends right after its work: a thread of its own would die mid-send."""
    alice, bob = pair
    threaded = make_app(OUTBOX_DELIVERY="thread", OUTBOX_SWEEP_SECONDS=3600)
    queue = threaded.extensions["archipel.jobs"]
    with threaded.app_context():
        _give(alice, bob)
    assert queue.thread is None
    assert [m["To"] for m in threaded.extensions["archipel.mailer"].outbox] == [bob.email]
    assert [r.status for r in outbox_rows()] == ["sent"]


def test_a_delivery_whose_claim_was_taken_over_does_not_mark_the_other_workers_row(app):
    """A claim released as stale and taken by another worker is that worker's to mark sent."""
    theirs = utcnow()
    mine = theirs - timedelta(minutes=11)  # released as stale since, then claimed again
    row = OutboxEmail(
        to_address="bob@example.org", subject="Sujet", body="Corps", message_id="<1@test>",
        status="sending", claimed_at=theirs, next_attempt_at=mine,
    )  # fmt: skip
    db.session.add(row)  # written straight, not through the outbox: nothing leaves on its own
    db.session.commit()
    emails._mark_sent(row.id, claimed_at=mine)
    assert [(r.status, r.body) for r in outbox_rows()] == [("sending", "Corps")]
    emails._mark_sent(row.id, claimed_at=theirs)
    assert [(r.status, r.body) for r in outbox_rows()] == [("sent", "")]


def test_a_server_that_took_the_message_but_fumbles_quit_has_still_sent_it(monkeypatch):
    """Counting a failed QUIT as a failed send would send the message twice."""
    import smtplib

    from exchange.adapters import mail

    sent = []

    class FumblingServer:
        def __init__(self, *args, **kwargs):
            pass

        def send_message(self, message):
            sent.append(message)

        def quit(self):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

        def close(self):
            pass

    monkeypatch.setattr(smtplib, "SMTP", FumblingServer)
    config = {"MAIL_USE_SSL": False, "MAIL_USE_TLS": False, "MAIL_USERNAME": None,
              "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 25, "MAIL_TIMEOUT": 1}  # fmt: skip
    mail.SMTPMailer(config).send("message")
    assert sent == ["message"]
