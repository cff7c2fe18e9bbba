"""/compte/supprimer: a member deletes their account with their password; an admin does it for
them at /admin/membres/<id>/supprimer, saying which request it answers."""

from __future__ import annotations

from sqlalchemy import select

from models import ModerationAction, User, db
from tests import factories


def test_a_member_leaves_with_their_password_and_is_logged_out(client, auth, member):
    auth.login(member)
    page = client.get("/compte/supprimer")
    assert page.status_code == 200
    assert f"Ancien membre n° {member.id}" in page.text and "Ce qui reste" in page.text
    assert 'href="/compte/supprimer"' in client.get("/compte/reglages").text

    wrong = client.post("/compte/supprimer", data={"current_password": "pas-le-bon-du-tout"})
    assert wrong.status_code == 400 and "Ce n'est pas votre mot de passe actuel." in wrong.text
    db.session.expire_all()
    assert db.session.get(User, member.id).erased_at is None

    done = client.post("/compte/supprimer", data={"current_password": factories.PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert "Votre compte a été supprimé." in client.get("/").text
    assert client.get("/compte").headers["Location"].startswith("/connexion")
    again = auth.login("lea@example.org")
    assert again.status_code == 400 and "Adresse ou mot de passe incorrect." in again.text
    assert client.get(f"/membres/{member.id}").status_code == 404
    assert "Léa Martin" not in client.get("/membres").text


def test_an_admin_deletes_an_account_on_request(app, client, auth, member):
    admin = factories.member("Adam Admin", "adam@example.org", admin=True)
    auth.login(admin)
    profile = client.get(f"/membres/{member.id}").text
    assert f'href="/admin/membres/{member.id}/supprimer"' in profile
    assert client.get(f"/admin/membres/{member.id}/supprimer").status_code == 200
    empty = client.post(f"/admin/membres/{member.id}/supprimer", data={"reason": "  "})
    assert empty.status_code == 400 and "Dites à quelle demande vous répondez." in empty.text
    done = client.post(
        f"/admin/membres/{member.id}/supprimer", data={"reason": "Courriel du 3 décembre"}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/membres"
    assert "Le compte de Léa Martin a été supprimé" in client.get("/membres").text
    act = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "member_erased")
    )
    assert (act.actor_id, act.reason) == (admin.id, "Courriel du 3 décembre")


def test_a_member_is_not_shown_the_admins_link(client, auth, member):
    other = factories.member("Otto")
    auth.login(other)
    assert "/supprimer" not in client.get(f"/membres/{member.id}").text
    assert client.get(f"/admin/membres/{member.id}/supprimer").status_code == 403
