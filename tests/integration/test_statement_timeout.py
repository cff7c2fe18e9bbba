"""A web request's statement is cancelled by PostgreSQL after DB_STATEMENT_TIMEOUT_MS and the
member gets the 503 page, not a 500; outside requests (commands, the app's threads) nothing is
limited, even on a connection a request used just before."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from exchange.database import statement_timed_out
from models import db
from tests import factories
from tests.conftest import TEST_DATABASE_URL

needs_postgres = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)"
)
AWAY = "Archipel est momentanément indisponible"


def _wrapped(orig: Exception) -> sa_exc.DBAPIError:
    return sa_exc.DBAPIError.instance("SELECT 1", {}, orig, psycopg.Error)


def test_a_cancelled_statement_is_told_apart_from_other_database_errors():
    assert statement_timed_out(_wrapped(pg.QueryCanceled("canceling statement")))
    assert not statement_timed_out(_wrapped(pg.UniqueViolation("duplicate key")))
    assert not statement_timed_out(_wrapped(pg.AdminShutdown("terminating connection")))
    assert not statement_timed_out(None)


@pytest.fixture
def slow_app(make_app):
    """The app with a 50 ms statement timeout and a page whose query takes a second."""
    app = make_app(DB_STATEMENT_TIMEOUT_MS=50)

    @app.route("/_test/lent")
    def slow_page():
        db.session.execute(text("SELECT pg_sleep(1)"))
        return "never"

    @app.route("/_test/reglage")
    def setting():
        return db.session.scalar(text("SHOW statement_timeout"))

    with app.app_context():
        yield app
        db.session.remove()


@pytest.mark.postgres_only
@needs_postgres
@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "member"])
def test_a_web_statement_past_the_timeout_gets_the_503_page(slow_app, app, logged_in):
    client = slow_app.test_client()
    if logged_in:
        factories.member(email="ana@example.org")
        form = {"email": "ana@example.org", "password": factories.PASSWORD}
        assert client.post("/connexion", data=form).status_code == 302
    response = client.get("/_test/lent")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert AWAY in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # the connection went back to the pool healthy


@pytest.mark.postgres_only
@needs_postgres
def test_outside_a_request_statements_have_no_timeout_even_on_a_connection_a_request_used(
    slow_app, app
):
    client = slow_app.test_client()
    assert client.get("/_test/reglage").get_data(as_text=True) == "50ms"
    with slow_app.app_context():
        assert db.session.scalar(text("SHOW statement_timeout")) == "0"
        db.session.execute(text("SELECT pg_sleep(0.2)"))  # what a command may take
        db.session.rollback()
    assert client.get("/_test/reglage").get_data(as_text=True) == "50ms"
