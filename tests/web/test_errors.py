"""Error pages: in the member's language, never a bare traceback, and nothing half-saved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Space, db


@pytest.fixture
def failing_app(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/_boom")
    def boom():
        db.session.add(Space(name="À moitié", city="Nulle part"))
        db.session.flush()
        raise RuntimeError("bug")

    return app


@pytest.mark.parametrize(("lang", "title"), [("fr", "Erreur du serveur"), ("en", "Server error")])
def test_unexpected_error_gives_a_500_page_in_the_language_and_rolls_back(failing_app, lang, title):
    with failing_app.app_context():
        response = failing_app.test_client().get(f"/_boom?lang={lang}")
        assert response.status_code == 500
        assert title in response.text
        assert "Traceback" not in response.text
        assert db.session.scalar(select(Space)) is None


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/nulle-part", 404, "Page introuvable"),
        ("/membres/999999", 404, "Page introuvable"),
        ("/lieux/nouveau", 302, "Redirecting"),
        ("/deconnexion", 405, "Méthode non permise"),
    ],
)
def test_error_statuses(client, path, status, text):
    response = client.get(path)
    assert response.status_code == status
    assert text in response.text


def test_api_paths_answer_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == 404


def test_forbidden_page_for_a_member_is_403_in_french(client, auth, member):
    auth.login(member)
    response = client.get("/lieux/nouveau")
    assert response.status_code == 403 and "Accès refusé" in response.text
