"""A bad day for PostgreSQL, under gunicorn as production runs it: connections refused, a
connection killed in the middle of a gift, another killed once its page is built. Members get
the app's own pages (503 with Retry-After, in French, while the database is away), nothing
half-done is left in the ledger, and the next requests recover by themselves.

The database is one of the test's own (tests/db_faults.py), migrated for this module, so
refusing and terminating its connections disturbs nothing else.
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from exchange import create_app
from exchange.config import ROOT, TestConfig, _database_url
from models import Transfer, db
from tests import factories
from tests.db_faults import KILL_HEADER, Switch, own_database
from tests.redis_server import free_port

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
    ),
]
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")
AWAY = "Archipel est momentanément indisponible"


@dataclass
class Served:
    url: str
    database_url: str
    switch: Switch

    def app(self):
        """An app of the test's own on the same database (seeding, checking, commands)."""
        return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=_database_url(self.database_url))


def _seed(app) -> None:
    with app.app_context():
        upgrade()
        ruche = factories.space(name="La Ruche")
        factories.join(factories.member(display_name="Ana", email="ana@example.org"), ruche)
        db.session.remove()
        db.engine.dispose()


def _environment(database_url: str, instance: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "MAIL_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=database_url,
        ARCHIPEL_ENV="development",
        ARCHIPEL_INSTANCE_PATH=instance,
        SECRET_KEY="gunicorn-test-secret",
        RATELIMIT_ENABLED="0",
        MAIL_BACKEND="log",
        # The test members' password hashes were made with the test suite's cheap costs.
        ARGON2_TIME_COST=str(TestConfig.ARGON2_TIME_COST),
        ARGON2_MEMORY_COST=str(TestConfig.ARGON2_MEMORY_COST),
        ARGON2_PARALLELISM=str(TestConfig.ARGON2_PARALLELISM),
    )
    return env


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server_url = os.environ["TEST_DATABASE_URL"]
    instance = tmp_path_factory.mktemp("gunicorn")
    with own_database(server_url) as database_url:
        switch = Switch(server_url, database_url)
        served = Served("", database_url, switch)
        _seed(served.app())
        port = free_port()
        log = (instance / "gunicorn.log").open("w")
        process = subprocess.Popen(
            [GUNICORN, "--workers", "1", "--bind", f"127.0.0.1:{port}", "tests.faults_app:app"],
            cwd=ROOT,
            env=_environment(database_url, str(instance)),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        served.url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_it_answers(served.url, process)
            yield served
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()
            switch.close()


def _wait_until_it_answers(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped (see gunicorn.log)"
        try:
            urllib.request.urlopen(url + "/", timeout=5).close()  # noqa: S310 - our http://127.0.0.1
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn never answered")


@dataclass
class Page:
    status: int
    headers: dict
    text: str


class Visitor:
    """A person with a cookie jar, talking HTTP to the served app."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path: str, form: dict | None = None, headers: dict | None = None) -> Page:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        asked = urllib.request.Request(  # noqa: S310 - always the served app's http://127.0.0.1
            self.base + path, data=data, headers=headers or {}
        )
        try:
            with self.opener.open(asked, timeout=60) as r:
                return Page(r.status, dict(r.headers), r.read().decode())
        except urllib.error.HTTPError as e:
            return Page(e.code, dict(e.headers), e.read().decode())

    def send(self, path: str, fields: dict, headers: dict | None = None) -> Page:
        """Fill the form at `path` as a browser would (its hidden fields, CSRF token included)."""
        return self.open(path, self.form(path, fields), headers)

    def form(self, path: str, fields: dict) -> dict:
        """What a browser sends from the form at `path`: its hidden fields, then `fields`."""
        page = self.open(path)
        hidden = {}
        for tag in re.findall(r"<input\b[^>]*>", page.text):
            attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
            if attributes.get("type") == "hidden":
                hidden[attributes["name"]] = html.unescape(attributes.get("value", ""))
        return {**hidden, **fields}

    def log_in(self, email: str) -> None:
        page = self.send("/connexion", {"email": email, "password": factories.PASSWORD})
        assert "Bienvenue" in page.text, page.text[:500]


def _says_the_database_is_away(page: Page) -> None:
    assert page.status == 503, page.text[:300]
    assert int(page.headers["Retry-After"]) > 0
    assert '<html lang="fr">' in page.text
    assert AWAY in page.text


def test_under_gunicorn_with_connections_refused_visitors_and_members_get_the_503_page_until_it_returns(
    served,
):
    member, visitor = Visitor(served.url), Visitor(served.url)
    member.log_in("ana@example.org")
    served.switch.refuse_connections()
    try:
        _says_the_database_is_away(visitor.open("/"))
        _says_the_database_is_away(member.open("/"))
        _says_the_database_is_away(member.open("/compte"))
    finally:
        served.switch.allow_connections()
    assert visitor.open("/").status == 200
    page = member.open("/compte")
    assert page.status == 200 and "Mon compte temps" in page.text  # still logged in


def test_under_gunicorn_a_gift_whose_connection_dies_mid_query_moves_nothing_and_the_ledger_verifies(
    served,
):
    member = Visitor(served.url)
    member.log_in("ana@example.org")
    gift = member.form(
        "/compte/donner", {"recipient": "pot", "minutes": "45 min", "message": "Merci !"}
    )
    answer: dict = {}
    # An administrator's lock holds the gift inside its transaction, waiting on the accounts;
    # its connection is then terminated there, as a restart or a failover would.
    locker = psycopg.connect(served.database_url)
    try:
        locker.execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        sending = threading.Thread(
            target=lambda: answer.update(page=member.open("/compte/donner", gift)), daemon=True
        )
        sending.start()
        served.switch.terminate_waiting_on_a_lock()
    finally:
        locker.rollback()
        locker.close()
    sending.join(60)
    assert not sending.is_alive()
    _says_the_database_is_away(answer["page"])

    page = member.open("/compte")
    assert page.status == 200 and "Mon compte temps" in page.text
    app = served.app()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Transfer)) == 0
        result = app.test_cli_runner().invoke(args=["ledger", "verify"])
        db.engine.dispose()
    assert result.exit_code == 0, result.output


def test_under_gunicorn_a_connection_killed_once_the_page_is_built_still_delivers_the_page(
    served,
):
    member = Visitor(served.url)
    member.log_in("ana@example.org")
    page = member.open("/compte", headers={KILL_HEADER: "1"})
    assert page.status == 200, page.text[:300]
    assert "Mon compte temps" in page.text
    assert member.open("/compte").status == 200
