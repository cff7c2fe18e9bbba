"""The database away gets a page that says so: 503 with Retry-After, in the network's language
(French), from a page that needs nothing from the database, for visitors and members alike.

Here the database is a PostgreSQL address where nothing listens (every connection refused), so
these run on SQLite too. tests/integration/test_database_away_gunicorn.py does it to a real
PostgreSQL, under gunicorn.
"""

from __future__ import annotations

import os

import pytest

from exchange import create_app
from exchange.config import TestConfig
from tests import factories
from tests.conftest import IsolatedClient
from tests.db_faults import kill_connection_after_the_page
from tests.redis_server import free_port

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
AWAY = "Archipel est momentanément indisponible"


@pytest.fixture
def away():
    """An app whose database refuses every connection, configured as in production otherwise
    (errors turned into pages rather than raised to the test)."""
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://archipel@127.0.0.1:{free_port()}/archipel",
        PROPAGATE_EXCEPTIONS=False,
    )
    app.test_client_class = IsolatedClient
    return app


def _says_the_database_is_away(response) -> None:
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert '<html lang="fr">' in response.text
    assert AWAY in response.text
    assert "Réessayez dans une minute" in response.text
    assert "Internal Server Error" not in response.text


def test_a_visitor_gets_a_503_page_in_french_saying_the_database_is_away(away):
    client = away.test_client()
    client.set_cookie("archipel_lang", "en")  # the choice is kept, but the page cannot ask
    _says_the_database_is_away(client.get("/"))
    _says_the_database_is_away(client.get("/annonces?lang=en"))


def test_a_logged_in_member_gets_the_same_page_rather_than_a_bare_error(app, away, auth):
    assert auth.login(factories.member()).status_code == 302
    session_cookie = auth.client.get_cookie("archipel_session")
    client = away.test_client()
    client.set_cookie("archipel_session", session_cookie.value)
    for path in ["/compte", "/", "/membres/999999", "/page-inconnue"]:
        _says_the_database_is_away(client.get(path))
    # A form sent meanwhile gets the same answer, and its words say to check it afterwards.
    _says_the_database_is_away(
        client.post("/compte/donner", data={"recipient": "pot", "minutes": "45 min"})
    )


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_a_connection_killed_once_the_page_is_built_still_delivers_the_page(app, make_app, member):
    """The server ends the request's connection between its last query and the end of its
    transaction (a restart, a failover): the rollback that ends the request fails, and must
    not turn the page into an error; the next request takes a new connection."""
    served = make_app(PROPAGATE_EXCEPTIONS=False)
    kill_connection_after_the_page(served)
    client = served.test_client()
    assert (
        client.post(
            "/connexion", data={"email": member.email, "password": "lanterne-violette-42"}
        ).status_code
        == 302
    )
    killed = client.get("/compte", headers={"X-Archipel-Test-Kill-Connection": "1"})
    assert killed.status_code == 200
    assert "Mon compte temps" in killed.text
    assert client.get("/compte").status_code == 200
