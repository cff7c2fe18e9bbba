"""/compte/reglages: a member changes their password, the current one first; their other
sessions end, this one stays, and an email tells them."""

from __future__ import annotations

import io

from sqlalchemy import select

from exchange.services.community import passwords
from models import LoginSession, OutboxEmail, User, db
from tests import factories

NEW = "perce-neige-au-printemps"
PHONE = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _form(current=factories.PASSWORD, new=NEW, confirm=None):
    return {
        "current_password": current,
        "password": new,
        "confirm": new if confirm is None else confirm,
    }


def _logged_in_elsewhere(app, user: User, agent: str = PHONE):
    """A client of another device, logged in as `user`."""
    device = app.test_client()
    response = device.post(
        "/connexion",
        data={"email": user.email, "password": factories.PASSWORD},
        headers={"User-Agent": agent},
    )
    assert response.status_code == 302
    return device


def _hash(user: User) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).password_hash


def _live_sessions(user: User) -> int:
    db.session.expire_all()
    return len(
        db.session.scalars(
            select(LoginSession).where(
                LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
            )
        ).all()
    )


def test_a_member_changes_their_password_and_their_other_sessions_end(
    app, client, auth, outbox, member
):
    elsewhere = _logged_in_elsewhere(app, member)
    auth.login(member)
    assert _live_sessions(member) == 2

    response = client.post("/compte/reglages", data=_form())

    assert response.status_code == 302 and response.headers["Location"] == "/compte/reglages"
    assert "Mot de passe changé" in client.get("/compte/reglages").text
    assert passwords.verify_password(_hash(member), NEW)
    assert _live_sessions(member) == 1
    assert client.get("/compte").status_code == 200  # this session stays
    gone = elsewhere.get("/compte")
    assert gone.status_code == 302 and gone.headers["Location"].startswith("/connexion")
    (email,) = outbox
    assert email["To"] == member.email
    assert "mot de passe a changé" in email["Subject"]
    assert "/mot-de-passe/oublie" in email.get_content()


def test_a_wrong_current_password_changes_nothing_and_says_so_beside_the_field(
    client, auth, outbox, member
):
    auth.login(member)
    before = _hash(member)
    response = client.post("/compte/reglages", data=_form(current="pas-le-bon-du-tout"))
    assert response.status_code == 400
    assert "Ce n'est pas votre mot de passe actuel." in response.text
    assert _hash(member) == before and outbox == []
    english = client.post("/compte/reglages?lang=en", data=_form(current="pas-le-bon-du-tout"))
    assert "That is not your current password." in english.text


def test_a_weak_or_unchanged_or_mistyped_new_password_is_refused(client, auth, outbox, member):
    auth.login(member)
    before = _hash(member)
    for form, message in [
        (_form(new="motdepasse"), "trop courant ou trop facile"),
        (_form(new=factories.PASSWORD), "C'est déjà votre mot de passe"),
        (_form(confirm="perce-neige-en-hiver"), "Les deux mots de passe diffèrent."),
        (_form(current=""), "Indiquez votre mot de passe actuel."),
    ]:
        response = client.post("/compte/reglages", data=form)
        assert response.status_code == 400, form
        assert message in response.text, form
    assert _hash(member) == before and outbox == []
    assert not db.session.scalars(select(OutboxEmail)).all()


def test_a_file_where_a_password_is_expected_is_refused(client, auth, member):
    auth.login(member)
    before = _hash(member)
    response = client.post(
        "/compte/reglages",
        data={**_form(), "password": (io.BytesIO(b"%PDF-1.4"), "secret.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "pas un fichier" in response.text
    assert _hash(member) == before


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/compte/reglages")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def _limited_client(make_app, member: User):
    """The member logged in on an app whose limits are on: three failed guesses a minute."""
    limited = make_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="1000 per minute",
        LOGIN_PER_ACCOUNT_LIMIT="3 per minute",
    )
    client = limited.test_client()
    client.post("/connexion", data={"email": member.email, "password": factories.PASSWORD})
    return client


def test_guessing_the_current_password_from_an_open_session_is_limited(app, make_app, member):
    """A session left open somewhere must not become a way to guess the password: failed
    changes count per member, whatever the address, and a right guess waits too."""
    client = _limited_client(make_app, member)
    for i in range(3):
        wrong = client.post(
            "/compte/reglages",
            data=_form(current=f"essai-{i}-du-voleur"),
            environ_base={"REMOTE_ADDR": f"198.51.100.{i + 1}"},
        )
        assert wrong.status_code == 400
    right = client.post("/compte/reglages", data=_form(), environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert right.status_code == 429
    assert "Trop de tentatives" in right.text
    assert not passwords.verify_password(_hash(member), NEW)


def _session_of(client_user_agent: str) -> LoginSession:
    db.session.expire_all()
    return db.session.scalars(
        select(LoginSession).where(LoginSession.user_agent == client_user_agent)
    ).one()


def test_a_member_sees_their_open_sessions_and_ends_one_elsewhere(app, client, auth, member):
    phone = _logged_in_elsewhere(app, member)
    auth.login(member)
    page = client.get("/compte/reglages").text
    assert "Firefox sur Android" in page and "cette session" in page
    lost = _session_of(PHONE)
    assert f"/compte/reglages/sessions/{lost.id}/fermer" in page

    response = client.post(f"/compte/reglages/sessions/{lost.id}/fermer")

    assert response.status_code == 302 and response.headers["Location"] == "/compte/reglages"
    assert _session_of(PHONE).revoked_at is not None
    assert phone.get("/compte").status_code == 302  # that browser is logged out
    assert client.get("/compte").status_code == 200  # this one is not
    again = client.post(f"/compte/reglages/sessions/{lost.id}/fermer")
    assert again.status_code == 404


def test_nobody_ends_or_sees_another_members_session(app, client, auth, member):
    other = factories.member("Otto Ailleurs", "otto@example.org")
    theirs = _logged_in_elsewhere(app, other, IPHONE)
    auth.login(member)
    page = client.get("/compte/reglages").text
    assert "Safari sur iPhone" not in page and IPHONE not in page
    session = _session_of(IPHONE)
    response = client.post(f"/compte/reglages/sessions/{session.id}/fermer")
    assert response.status_code == 404
    assert _session_of(IPHONE).revoked_at is None
    assert theirs.get("/compte").status_code == 200
    assert client.post("/compte/reglages/sessions/pas-un-identifiant/fermer").status_code == 404


# ---------------------------------------------------------------------------- the address

ADDRESS = "adresse-"  # the address form's prefix


def _address_form(email="lea.nouvelle@example.org", current=factories.PASSWORD):
    return {f"{ADDRESS}email": email, f"{ADDRESS}current_password": current}


def _link_in(outbox, to: str) -> str:
    (message,) = [m for m in outbox if m["To"] == to]
    return next(w for w in message.get_content().split() if "/compte/adresse/" in w)


def _email_of(user: User) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).email


def test_a_new_address_is_used_only_once_its_link_is_followed(client, auth, outbox, member):
    auth.login(member)
    response = client.post("/compte/reglages/adresse", data=_address_form())
    assert response.status_code == 302
    assert (
        "Un lien de confirmation est parti à lea.nouvelle@example.org"
        in client.get("/compte/reglages").text
    )
    assert _email_of(member) == "lea@example.org"  # nothing changes yet
    assert sorted(m["To"] for m in outbox) == ["lea.nouvelle@example.org", "lea@example.org"]
    notice = next(m for m in outbox if m["To"] == "lea@example.org").get_content()
    assert "lea.nouvelle@example.org" in notice and "/mot-de-passe/oublie" in notice
    link = _link_in(outbox, "lea.nouvelle@example.org")
    path = link[link.index("/compte/adresse/") :]

    page = client.get(path)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and _email_of(member) == "lea@example.org"
    confirmed = client.post(path)

    assert confirmed.status_code == 302
    assert _email_of(member) == "lea.nouvelle@example.org"
    again = client.post(path)  # used: the account's address is no longer the old one
    assert again.status_code == 302 and again.headers["Location"] == "/"
    client.post("/deconnexion")
    assert auth.login("lea.nouvelle@example.org").status_code == 302


def test_a_password_change_kills_a_pending_address_change(client, auth, outbox, member):
    auth.login(member)
    client.post("/compte/reglages/adresse", data=_address_form())
    link = _link_in(outbox, "lea.nouvelle@example.org")
    client.post("/compte/reglages", data=_form())
    path = link[link.index("/compte/adresse/") :]
    dead = client.post(path)
    assert dead.status_code == 302 and _email_of(member) == "lea@example.org"


def test_an_address_another_account_holds_gets_a_notice_and_the_answer_is_the_same(
    client, auth, outbox, member
):
    factories.member("Otto Ailleurs", "otto@example.org")
    auth.login(member)
    response = client.post("/compte/reglages/adresse", data=_address_form(email="OTTO@example.org"))
    assert response.status_code == 302
    assert (
        "Un lien de confirmation est parti à otto@example.org"
        in client.get("/compte/reglages").text
    )
    to_otto = [m for m in outbox if m["To"] == "otto@example.org"]
    assert len(to_otto) == 1 and "/compte/adresse/" not in to_otto[0].get_content()
    assert "lea@example.org" not in to_otto[0].get_content()  # no member's address leaks
    assert _email_of(member) == "lea@example.org"


def test_a_wrong_password_or_a_bad_address_changes_nothing_and_sends_nothing(
    client, auth, outbox, member
):
    auth.login(member)
    for form, message in [
        (_address_form(current="pas-le-bon-du-tout"), "Ce n'est pas votre mot de passe actuel."),
        (_address_form(email="pas-une-adresse"), "Cette adresse e-mail n'est pas valide."),
        (_address_form(email="LEA@example.org"), "C'est déjà votre adresse."),
        (_address_form(email="lea\r\n@example.org"), "Cette adresse e-mail n'est pas valide."),
    ]:
        response = client.post("/compte/reglages/adresse", data=form)
        assert response.status_code == 400, form
        assert message in response.text, form
    assert outbox == [] and _email_of(member) == "lea@example.org"


def test_a_forged_or_expired_address_link_is_refused(client):
    response = client.post("/compte/adresse/pas-un-vrai-lien")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "plus valable" in client.get("/").text


def test_failed_current_passwords_count_together_across_the_settings_forms(app, make_app, member):
    """Two forms ask for the current password: guessing through one then the other does not
    double the attempts."""
    client = _limited_client(make_app, member)
    assert client.post("/compte/reglages", data=_form(current="essai-un")).status_code == 400
    assert client.post("/compte/reglages", data=_form(current="essai-deux")).status_code == 400
    wrong = _address_form(current="essai-trois")
    assert client.post("/compte/reglages/adresse", data=wrong).status_code == 400
    assert client.post("/compte/reglages/adresse", data=_address_form()).status_code == 429
    assert client.post("/compte/reglages", data=_form()).status_code == 429
    assert _email_of(member) == "lea@example.org"


def test_a_member_chooses_their_language_from_the_settings(client, auth, member):
    auth.login(member)
    assert 'name="langue-locale"' in client.get("/compte/reglages").text
    response = client.post("/compte/reglages/langue", data={"langue-locale": "en"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/reglages?lang=en"
    db.session.expire_all()
    assert db.session.get(User, member.id).locale == "en"
    assert "Language saved." in client.get(response.headers["Location"]).text
    refused = client.post("/compte/reglages/langue", data={"langue-locale": "de"})
    assert refused.status_code == 400 and "Choose French or English." in refused.text
    db.session.expire_all()
    assert db.session.get(User, member.id).locale == "en"


def test_a_member_ends_every_other_session_at_once(app, client, auth, member):
    phone, laptop = _logged_in_elsewhere(app, member), _logged_in_elsewhere(app, member, IPHONE)
    auth.login(member)
    page = client.get("/compte/reglages").text
    assert 'action="/compte/reglages/sessions/fermer-les-autres"' in page
    response = client.post("/compte/reglages/sessions/fermer-les-autres")
    assert response.status_code == 302 and response.headers["Location"] == "/compte/reglages"
    after = client.get("/compte/reglages").text
    assert "2 autres sessions fermées." in after
    assert 'action="/compte/reglages/sessions/fermer-les-autres"' not in after  # none left
    assert _live_sessions(member) == 1
    for device in (phone, laptop):
        assert device.get("/compte").headers["Location"].startswith("/connexion")
    assert client.get("/compte").status_code == 200
