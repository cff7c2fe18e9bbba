"""Fixtures: an app on a migrated database (SQLite by default, PostgreSQL with
TEST_DATABASE_URL), a client, a mail outbox, and helpers to make members and log them in.

The schema is built once per run by the migrations themselves; every test starts from empty
tables (rows are deleted after each test), so tests see real commits, threads and servers
included, without seeing each other's rows.
"""

from __future__ import annotations

import os

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, make_url, text

from exchange import create_app, demo
from exchange.adapters import cache, storage
from exchange.config import ROOT, TestConfig, _database_url
from models import db
from tests import factories, snapshots

TEST_DATABASE_URL = _database_url(os.environ.get("TEST_DATABASE_URL"))


def pytest_report_header(config):
    return (
        f"database: {'PostgreSQL (' + TEST_DATABASE_URL + ')' if TEST_DATABASE_URL else 'SQLite'}"
    )


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Compile the catalogues when they are missing or older than their source (plain `pytest`)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (ROOT / "exchange" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a database of its own beside TEST_DATABASE_URL's
    (`<name>_gw0`, `<name>_gw1`…), created on first use: workers never see each other's rows."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        url = _worker_database(TEST_DATABASE_URL)
        engine = create_engine(url)
        with engine.begin() as conn:
            # A clean slate: whatever an interrupted run left behind goes.
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return url
    # tmp_path_factory is per worker under pytest-xdist: each has its own SQLite file.
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "archipel-test.db")


@pytest.fixture(scope="session")
def migrated(database_url) -> str:
    """The schema, built by running every migration once."""
    from flask_migrate import upgrade

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade()
        for name in REFERENCE_TABLES:
            table = db.metadata.tables[name]
            _reference_rows[name] = [dict(r._mapping) for r in db.session.execute(table.select())]
        db.session.remove()
        db.engine.dispose()
    return database_url


# Rows the migrations themselves insert (the first categories): put back after each test.
REFERENCE_TABLES = ("categories", "accounts", "network_settings")
_reference_rows: dict[str, list[dict]] = {}


def _empty_tables() -> None:
    snapshots.empty()
    for name, rows in _reference_rows.items():
        if rows:
            db.session.execute(db.metadata.tables[name].insert(), rows)
            if db.engine.dialect.name == "postgresql":
                # The rows came back with their ids: move the counter past them.
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}"
                    )
                )
    db.session.commit()


class IsolatedClient(FlaskClient):
    """Each request runs in an app context of its own, as in production.

    Without this, requests would reuse the test's app context: `g` (the logged-in user, the
    locale) and the database session would leak from one request to the next and hide bugs.
    After each request the test's own session forgets what it had loaded, so assertions read
    what the request committed.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


# One app per test process for the tests that need a plain one: building an app costs ~70 ms
# (werkzeug compiles a URL builder for each of its 83 routes), which over the suite was
# minutes. What a test may change in it is put back before the next one gets it.
_SHARED: dict[str, tuple[Flask, dict, dict]] = {}


def _shared_app(url: str) -> Flask:
    if url not in _SHARED:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
        app.test_client_class = IsolatedClient
        with app.app_context():
            if db.engine.dialect.name == "sqlite":  # a throwaway database needs no fsync

                @event.listens_for(db.engine, "connect")
                def _no_fsync(dbapi_connection, _record):
                    dbapi_connection.execute("PRAGMA synchronous=OFF")

                db.engine.dispose()
        _SHARED[url] = (app, dict(app.config), dict(app.extensions))
    app, config, extensions = _SHARED[url]
    app.config.clear()
    app.config.update(config)  # a test's app.config["X"] = … ends with it
    app.extensions.clear()
    app.extensions.update(extensions)  # and so does a mailer it put in place of the memory one
    app.extensions["archipel.mailer"].outbox.clear()
    app.extensions["archipel.cache"] = cache.MemoryStore()
    app.extensions["archipel.storage"] = storage.MemoryStorage()  # no picture of the last test
    # Its limiter is off (TestConfig): a test of the limits asks for an app of its own.
    return app


@pytest.fixture
def make_app(migrated):
    """Build extra apps on the test database (e.g. two 'workers', or an app with other
    settings or a page of its own); each is cleaned up."""
    apps = []

    def build(**overrides):
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=migrated, **overrides)
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _rows_left_by_the_last_test(request):
    """Empty the world the last test left (`snapshots.LEFT`) unless this one may read it:
    before any other fixture, so that no app, server or factory of this test sees it."""
    if snapshots.LEFT.key is None or request.node.get_closest_marker("reads_left_rows"):
        return
    app = _shared_app(request.getfixturevalue("migrated"))
    with app.app_context():
        _empty_tables()
        db.session.remove()
        db.engine.dispose()
    snapshots.LEFT.key = None


@pytest.fixture
def app(migrated):
    """The test process's shared app, as it was built (see `_shared_app`), in an app context
    of the test's own; the tables are emptied after the test, unless it leaves them for the
    next one (`snapshots.LEFT`)."""
    app = _shared_app(migrated)
    with app.app_context():
        yield app
        db.session.remove()
        snapshots.LEFT.key, snapshots.LEFT.asked = snapshots.LEFT.asked, None
        if snapshots.LEFT.key is None:
            _empty_tables()
        db.session.remove()
        # Connections do not outlive the test, as with an app of its own: kept in the pool
        # across tests, they made a later test's schema change fail (the generated network
        # drops and rebuilds indexes: "index already exists").
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    """Messages sent by the app during the test (the memory mailer)."""
    return app.extensions["archipel.mailer"].outbox


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password: str = factories.PASSWORD, remember: bool = False):
        email = getattr(user_or_email, "email", user_or_email)
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post("/connexion", data=data)

    def logout(self):
        return self.client.post("/deconnexion")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def member(app):
    return factories.member(display_name="Léa Martin", email="lea@example.org")


@pytest.fixture(autouse=True)
def _readable_responses(monkeypatch):
    """`response.text`: the body with HTML entities decoded, as a reader sees it."""
    import html

    from werkzeug.test import TestResponse

    monkeypatch.setattr(
        TestResponse,
        "text",
        property(lambda r: html.unescape(r.get_data(as_text=True))),
        raising=False,
    )


# --- Stripe: the real library, pointed at a fake Stripe served on localhost ----------------

WEBHOOK_SECRET = "whsec_archipel_test"


@pytest.fixture(scope="session")
def _stripe_server():
    from tests.stripe_fake import fake_stripe_server

    yield from fake_stripe_server()


@pytest.fixture
def fake_stripe(app, _stripe_server, monkeypatch):
    """Online fees on, the app talking to the fake Stripe (reset for this test); retries
    without the library's half-second pauses."""
    import stripe

    from tests.stripe_fake import API_KEY

    _stripe_server.reset()
    monkeypatch.setattr(stripe.HTTPClient, "INITIAL_DELAY", 0.0)
    monkeypatch.setattr(stripe, "enable_telemetry", False)
    app.config.update(
        STRIPE_SECRET_KEY=API_KEY,
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_PUBLISHABLE_KEY="pk_test_archipel",
        STRIPE_API_BASE=_stripe_server.url,
        # The fake's onboarding and Checkout pages stand in for Stripe's own.
        STRIPE_PAGE_ORIGINS=_stripe_server.url,
    )
    return _stripe_server


@pytest.fixture(scope="module")
def redis_server():
    """A redis-server of the module's own (tests/redis_server.py), that a test may kill."""
    from tests.redis_server import RedisServer, require_binary

    server = RedisServer(require_binary())
    server.start()
    yield server
    server.kill()


_DEMO_ROWS: dict[str, snapshots.Rows] = {}


@pytest.fixture
def seeded_demo(app):
    """The demo network: seeded through its own code once per test process and database, then
    its rows put back for each test that asks (a seed costs seconds, putting back milliseconds;
    the rows are the same, dated from the first seed)."""
    url = str(db.engine.url)
    if url in _DEMO_ROWS:
        snapshots.put_back(_DEMO_ROWS[url])
    else:
        demo.seed()
        _DEMO_ROWS[url] = snapshots.take()
