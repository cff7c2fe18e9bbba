"""Sign-up, confirmation, log-in, log-out and password reset through the routes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import LoginSession, User, db
from tests import factories


def _link(message, path_prefix: str) -> str:
    body = message.get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", body)
    assert match, body
    return match.group(1)


def test_signup_sends_a_confirmation_link_and_logs_in_only_after_it(client, outbox):
    response = client.post(
        "/inscription",
        data={
            "display_name": "Inès Haddad",
            "email": "Ines@Example.org",
            "password": "lune-rousse-velo",
        },
    )
    assert response.status_code == 200
    assert "Vérifiez vos e-mails" in response.text
    user = db.session.scalar(select(User).where(User.email == "ines@example.org"))
    assert user is not None and not user.email_confirmed
    assert len(outbox) == 1 and outbox[0]["To"] == "ines@example.org"

    refused = client.post(
        "/connexion", data={"email": "ines@example.org", "password": "lune-rousse-velo"}
    )
    assert refused.status_code == 400
    assert "Confirmez d'abord votre adresse" in refused.text

    link = _link(outbox[0], "/confirmation/")
    # Opening the link (as a mail scanner would) changes nothing; the button does.
    assert client.get(link).status_code == 200
    db.session.refresh(user)
    assert not user.email_confirmed
    assert client.post(link).status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed

    ok = client.post(
        "/connexion", data={"email": "ines@example.org", "password": "lune-rousse-velo"}
    )
    assert ok.status_code == 302
    assert "Inès Haddad" in client.get("/").text


def test_signup_with_bad_input_shows_errors_beside_fields_and_saves_nothing(client, outbox):
    response = client.post(
        "/inscription", data={"display_name": "", "email": "pas-une-adresse", "password": "court"}
    )
    page = response.text
    assert response.status_code == 400
    assert 'id="display_name-error"' in page
    assert 'id="email-error"' in page
    assert 'id="password-error"' in page
    assert db.session.scalar(select(User)) is None
    assert outbox == []


def test_common_password_is_refused_in_french(client):
    response = client.post(
        "/inscription",
        data={"display_name": "Paul", "email": "paul@example.org", "password": "motdepasse123"},
    )
    assert response.status_code == 400
    assert "trop courant" in response.text
    assert db.session.scalar(select(User)) is None


def test_signing_up_with_a_taken_address_tells_nobody_but_mails_its_owner(client, member, outbox):
    response = client.post(
        "/inscription",
        data={"display_name": "Autre", "email": "LEA@example.org", "password": "lune-rousse-velo"},
    )
    assert response.status_code == 200
    assert "Vérifiez vos e-mails" in response.text and "existe" not in response.text
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert [m["To"] for m in outbox] == ["lea@example.org"]
    assert "déjà un compte" in outbox[0]["Subject"]
    assert "/mot-de-passe/oublie" in outbox[0].get_content()


def test_wrong_password_says_the_same_as_unknown_address(client, member):
    wrong = client.post("/connexion", data={"email": member.email, "password": "pas-le-bon-mot"})
    unknown = client.post("/connexion", data={"email": "inconnu@example.org", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 400
    assert "Adresse ou mot de passe incorrect" in wrong.text
    assert "Adresse ou mot de passe incorrect" in unknown.text


def test_logout_ends_the_session_and_a_replayed_cookie_is_refused(app, client, auth, member):
    auth.login(member, remember=True)
    assert client.get("/profil").status_code == 200
    saved = {c.key: c.value for c in client._cookies.values()}

    assert auth.logout().status_code == 302
    assert client.get("/profil").status_code == 302

    replay = app.test_client()
    for name, value in saved.items():
        replay.set_cookie(name, value)
    response = replay.get("/profil")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert db.session.scalar(select(LoginSession)).revoked_at is not None


def test_login_starts_a_new_session(client, auth, member):
    with client.session_transaction() as before:
        before["planted"] = "by someone who handed this browser a cookie"
    auth.login(member)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("_user_id")


def test_password_reset_by_emailed_link_works_once(client, outbox, member):
    client.post("/mot-de-passe/oublie", data={"email": member.email})
    assert len(outbox) == 1
    link = _link(outbox[0], "/mot-de-passe/nouveau/")
    response = client.post(
        link, data={"password": "perce-neige-2031", "confirm": "perce-neige-2031"}
    )
    assert response.status_code == 302
    assert (
        client.post(
            "/connexion", data={"email": member.email, "password": factories.PASSWORD}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/connexion", data={"email": member.email, "password": "perce-neige-2031"}
        ).status_code
        == 302
    )
    # The same link again: dead, because the password it was issued for has changed.
    again = client.post(
        link, data={"password": "autre-chose-encore", "confirm": "autre-chose-encore"}
    )
    assert again.status_code == 302 and "/mot-de-passe/oublie" in again.headers["Location"]


def test_reset_for_unknown_address_answers_the_same_and_sends_nothing(client, outbox):
    response = client.post("/mot-de-passe/oublie", data={"email": "personne@example.org"})
    assert response.status_code == 200
    assert "Si un compte correspond" in response.text
    assert outbox == []


def test_forged_or_altered_links_are_refused(client, member, outbox):
    assert client.get("/confirmation/nimportequoi").status_code == 400
    response = client.get("/mot-de-passe/nouveau/nimportequoi", follow_redirects=True)
    assert "Ce lien n'est plus valable" in response.text
    client.post("/mot-de-passe/oublie", data={"email": member.email})
    link = _link(outbox[0], "/mot-de-passe/nouveau/")
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    refused = client.post(
        tampered, data={"password": "perce-neige-2031", "confirm": "perce-neige-2031"}
    )
    assert refused.status_code == 302 and "/mot-de-passe/oublie" in refused.headers["Location"]


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)",
     "/\r\nLocation: //evil", "/\tx", "evil.example"],
)  # fmt: skip
def test_next_parameter_never_redirects_off_site(client, member, target):
    from urllib.parse import quote

    response = client.post(
        f"/connexion?next={quote(target)}",
        data={"email": member.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_form_posted_while_logged_out_leads_back_to_its_page_after_log_in(client, member):
    space = factories.space("La Coursive")
    refused = client.post(
        f"/lieux/{space.id}/rejoindre", headers={"Referer": f"http://localhost/lieux/{space.id}"}
    )
    assert refused.status_code == 302
    login_url = refused.headers["Location"]
    assert login_url.endswith(f"/connexion?next=/lieux/{space.id}")
    after = client.post(login_url, data={"email": member.email, "password": factories.PASSWORD})
    assert after.headers["Location"] == f"/lieux/{space.id}"
    assert client.get(after.headers["Location"]).status_code == 200


def test_a_foreign_referrer_is_not_followed_after_log_in(client):
    space = factories.space("La Coursive")
    refused = client.post(
        f"/lieux/{space.id}/rejoindre", headers={"Referer": "https://evil.example/piege"}
    )
    assert refused.headers["Location"].endswith("/connexion")


@pytest.mark.parametrize(("remember", "status"), [(True, 200), (False, 302)])
def test_remember_me_keeps_the_member_logged_in_after_the_browser_closes(
    client, auth, member, remember, status
):
    auth.login(member, remember=remember)
    client.delete_cookie("archipel_session")  # what closing the browser does to a session cookie
    assert client.get("/profil").status_code == status
