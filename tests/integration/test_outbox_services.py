"""The outbox against real services: a local SMTP server (aiosmtpd) that accepts, refuses
(5xx, 4xx) or hangs, and a Redis of the test's own with an RQ worker.

What each checks: the member sees their action's success page, and it answers while the
mail server has not said a word; nothing is lost (the email arrives once the server is back);
a refused email ends in the admin's failed list; the ledger stays balanced."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from exchange.adapters import jobs
from exchange.services.notify import outbox as emails
from tests import factories
from tests.outbox_helpers import giver_and_receiver, outbox_rows

REQUIRED = bool(os.environ.get("ARCHIPEL_REQUIRE_SERVICES"))

try:
    from aiosmtpd.controller import Controller
except ImportError:  # pragma: no cover - the test extras install it
    if REQUIRED:
        raise
    pytest.skip("needs aiosmtpd (the test extras)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """aiosmtpd handler: accepts, or answers RCPT with `refusal` ("550 …", "451 …")."""

    def __init__(self):
        self.envelopes = []
        self.refusal = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusal:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    handler = Server()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


class HangingServer:
    """Accepts connections and never says a word (not even the greeting) until released."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connected = threading.Event()
        self.released = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.listener.settimeout(0.2)
        held = []
        while not self.released.is_set():
            try:
                conn, _addr = self.listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
            self.connected.set()
        for conn in held:
            conn.close()

    def release(self):
        self.released.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def hanging():
    server = HangingServer()
    yield server
    if not server.released.is_set():
        server.release()


@pytest.fixture
def pair(app):
    return giver_and_receiver()


def _smtp_app(make_app, port: int, **settings):
    return make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, **settings)


def _give(client, alice, bob):
    login = client.post("/connexion", data={"email": alice.email, "password": factories.PASSWORD})
    assert login.status_code == 302
    return client.post(
        "/compte/donner",
        data={"recipient": str(bob.id), "minutes": "1 h", "message": "Merci !\r\nÀ bientôt"},
        follow_redirects=True,
    )


def _cli(app, *args: str):
    """`flask …` on this app (the test's own app context would otherwise be the one used)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _ledger_verifies(app) -> None:
    result = _cli(app, "ledger", "verify")
    assert result.exit_code == 0, result.output


def test_a_gift_answers_while_the_mail_server_hangs_and_the_email_arrives_after(
    app, make_app, pair, hanging, smtp
):
    alice, bob = pair
    served = _smtp_app(make_app, hanging.port, OUTBOX_DELIVERY="thread", MAIL_TIMEOUT=60)
    queue = served.extensions["archipel.jobs"]
    try:
        page = _give(served.test_client(), alice, bob)

        # The success page is there while the mail server has not even said hello.
        assert page.status_code == 200
        assert "Merci : votre don est enregistré." in page.text
        assert hanging.connected.wait(10)
        assert [r.status for r in outbox_rows()] == ["sending"]
        hanging.release()  # the server goes away: the attempt fails, the row waits
        queue.wait_idle()
    finally:
        queue.stop()
    (row,) = outbox_rows()
    assert (row.status, row.attempts) == ("pending", 1)

    # The server is back: the next drain delivers it, once.
    served.config["MAIL_PORT"] = smtp.port
    drained = _cli(served, "outbox", "drain", "--all")
    assert drained.output == "1 sent, 0 not sent.\n"
    (message,) = smtp.envelopes
    assert message["To"] == bob.email and message["Message-ID"] == row.message_id
    assert "Merci !" in message.get_body(preferencelist=("plain",)).get_content()
    assert outbox_rows()[0].status == "sent"
    _ledger_verifies(served)


def test_an_attempt_on_a_hanging_server_ends_at_mail_timeout(app, make_app, pair, hanging):
    alice, bob = pair
    served = _smtp_app(make_app, hanging.port, MAIL_TIMEOUT=0.5)
    page = _give(served.test_client(), alice, bob)  # inline: the attempt runs in the request

    assert page.status_code == 200
    (row,) = outbox_rows()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "timed out" in row.last_error
    _ledger_verifies(served)


@pytest.mark.parametrize(
    "refusal", ["550 5.1.1 No such mailbox here", "451 4.3.0 Try again later"], ids=["5xx", "4xx"]
)
def test_a_refused_reset_link_ends_in_the_failed_list_and_is_sent_after_a_retry(
    app, make_app, smtp, refusal
):
    bob = factories.member("Bob Durand", "bob@example.org")
    admin = factories.member("Adam Réseau", "adam@example.org", admin=True)
    smtp.refusal = refusal
    served = _smtp_app(make_app, smtp.port)
    client = served.test_client()

    page = client.post("/mot-de-passe/oublie", data={"email": bob.email})
    assert page.status_code == 200
    for _ in range(emails.ATTEMPTS - 1):
        _cli(served, "outbox", "drain", "--all")
    (row,) = outbox_rows()
    assert (row.status, row.attempts) == ("failed", emails.ATTEMPTS)
    assert refusal.split()[0] in row.last_error
    assert smtp.envelopes == []

    client.post("/connexion", data={"email": admin.email, "password": factories.PASSWORD})
    listed = client.get("/admin/courriels")
    assert bob.email in listed.text and refusal.split()[0] in listed.text
    smtp.refusal = ""
    assert client.post("/admin/courriels/renvoyer").status_code == 302
    (message,) = smtp.envelopes
    assert message["To"] == bob.email
    assert "/mot-de-passe/nouveau/" in message.get_body(preferencelist=("plain",)).get_content()


# --- RQ on a Redis of the test's own ------------------------------------------------------


@pytest.fixture
def redis_url():
    """A redis-server started for this test on a free port, killed at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRED:
            pytest.fail("redis-server is not installed, and ARCHIPEL_REQUIRE_SERVICES is set")
        pytest.skip("needs redis-server")
    import redis

    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("the test's redis-server did not answer")
        yield url
    finally:
        process.kill()
        process.wait()


def test_a_gift_is_delivered_once_by_the_rq_worker(app, make_app, pair, redis_url):
    from rq import Queue

    alice, bob = pair
    served = make_app(REDIS_URL=redis_url, OUTBOX_DELIVERY="rq")
    queue = served.extensions["archipel.jobs"]
    assert isinstance(queue, jobs.RQJobs)

    page = _give(served.test_client(), alice, bob)
    assert page.status_code == 200 and "Merci : votre don est enregistré." in page.text
    (row,) = outbox_rows()
    assert row.status == "pending"  # enqueued, not sent by the web process
    rq_queue = Queue(jobs.QUEUE_NAME, connection=queue.connection())
    (job,) = rq_queue.jobs
    assert (job.func_name, job.args) == (emails.DELIVER, (row.id,))

    with served.app_context():
        queue.work(burst=True)
    sent = served.extensions["archipel.mailer"].outbox
    assert [m["To"] for m in sent] == [bob.email]
    assert outbox_rows()[0].status == "sent"

    # The same job again (a retry, a duplicate): nothing more leaves.
    assert job.get_status(refresh=True) == "finished"
    rq_queue.enqueue_job(job)
    with served.app_context():
        queue.work(burst=True)
    assert job.get_status(refresh=True) == "finished"
    assert len(sent) == 1
    _ledger_verifies(served)


def test_with_redis_away_the_gift_succeeds_and_the_sweep_sends_its_email(app, make_app, pair):
    alice, bob = pair
    served = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", OUTBOX_DELIVERY="rq")

    page = _give(served.test_client(), alice, bob)
    assert page.status_code == 200
    assert [r.status for r in outbox_rows()] == ["pending"]
    with served.app_context():
        emails.sweep()
    assert [m["To"] for m in served.extensions["archipel.mailer"].outbox] == [bob.email]
    _ledger_verifies(served)


def test_a_worker_that_stops_ends_at_once_not_a_minute_later(app, make_app, redis_url, monkeypatch):
    """RQ stops the thread that listens for its commands when the worker stops; with redis-py 8
    that thread could wait a full minute first (adapters/jobs.py), whenever it read the
    unsubscription's answer before it was told to stop: on a busy machine, now and then. The
    worker here is slowed just after it unsubscribes, so that the thread always reads it first:
    the stop still ends in seconds."""
    from redis.client import PubSub

    unsubscribe = PubSub.unsubscribe

    def slowly(pubsub, *args, **kwargs):
        answer = unsubscribe(pubsub, *args, **kwargs)
        time.sleep(0.5)  # a busy machine: the listening thread reads the answer meanwhile
        return answer

    monkeypatch.setattr(PubSub, "unsubscribe", slowly)
    served = make_app(REDIS_URL=redis_url, OUTBOX_DELIVERY="rq")
    started = time.monotonic()
    with served.app_context():
        served.extensions["archipel.jobs"].work(burst=True)
    assert time.monotonic() - started < 20  # a minute when the thread was joined late
