"""Reports and moderation as people use them: the report pages, the coordinators' desk, the
acts behind its buttons, and what the member affected then sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from models import Listing, ModerationAction, Notification, Report, Space, User, db
from models.base import utcnow
from tests import factories


@dataclass
class Net:
    ruche: Space
    phare: Space
    coord_a: User
    coord_b: User
    admin: User
    author: User
    reporter: User
    listing: Listing


@pytest.fixture
def net(app) -> Net:
    s = factories.three_spaces()
    ruche, phare, coord_a, coord_b, admin = s.ruche, s.phare, s.coord_ruche, s.coord_phare, s.admin
    author = factories.member("Awa Diallo", "awa@example.org")
    reporter = factories.member("Rémi Vigilant", "remi@example.org")
    factories.join(reporter, ruche)
    listing = factories.listing(
        author,
        ruche,
        "Cours de guitare",
        summary="Débutants bienvenus.",
        details="Dix ans de scène.",
        tags="#musique",
    )
    # The author is now an active member of La Ruche (the factory joined her to publish).
    return Net(ruche, phare, coord_a, coord_b, admin, author, reporter, listing)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _path(response) -> str:
    return urlsplit(response.headers["Location"]).path


def _state(listing_id: int) -> tuple:
    listing = db.session.get(Listing, listing_id)
    db.session.refresh(listing)
    return (listing.title, listing.summary, listing.details, listing.moderation)


def _finds(client, words: str, title: str) -> bool:
    return title in client.get("/annonces", query_string={"q": words}).text


# ---------------------------------------------------------------------------- reporting


def test_a_member_reports_a_listing_and_is_told_it_was_received(client, auth, net):
    auth.login(net.reporter)
    page = client.get(f"/annonces/{net.listing.id}")
    assert f"/annonces/{net.listing.id}/signaler" in page.text
    form = client.get(f"/annonces/{net.listing.id}/signaler")
    assert form.status_code == 200
    for label in (
        "Spam ou publicité",
        "Contenu inapproprié",
        "Trompeur ou faux",
        "Harcèlement ou propos blessants",
        "Autre",
    ):
        assert label in form.text
    response = client.post(
        f"/annonces/{net.listing.id}/signaler",
        data={"reason": "misleading", "text": "Le prix annoncé est faux."},
    )
    assert response.status_code == 302 and _path(response) == f"/annonces/{net.listing.id}"
    assert "votre signalement a bien été reçu" in client.get(_path(response)).text
    report = db.session.scalar(select(Report))
    assert (report.reporter_id, report.listing_id, report.reason, report.text) == (
        net.reporter.id,
        net.listing.id,
        "misleading",
        "Le prix annoncé est faux.",
    )
    assert "bien été reçu" in client.get("/notifications").text


def test_a_second_open_report_on_the_same_item_is_a_conflict(client, auth, net):
    auth.login(net.reporter)
    url = f"/annonces/{net.listing.id}/signaler"
    assert client.post(url, data={"reason": "spam"}).status_code == 302
    again = client.post(url, data={"reason": "other", "text": "Encore"})
    assert again.status_code == 409
    assert "Vous avez déjà signalé cette annonce" in again.text
    assert _count(Report) == 1
    assert "Vous avez déjà signalé ceci" in client.get(url).text


def test_a_report_needs_a_reason_from_the_list(client, auth, net):
    auth.login(net.reporter)
    url = f"/annonces/{net.listing.id}/signaler"
    assert client.post(url, data={"reason": "ennui"}).status_code == 400
    response = client.post(url, data={"reason": "other", "text": ""})
    assert response.status_code == 400 and "Dites en quelques mots" in response.text
    assert _count(Report) == 0


def test_reporting_needs_a_log_in_and_never_ones_own(client, auth, net):
    for url in (f"/annonces/{net.listing.id}/signaler", f"/membres/{net.author.id}/signaler"):
        response = client.get(url)
        assert response.status_code == 302 and _path(response) == "/connexion"
    auth.login(net.author)
    assert client.get(f"/annonces/{net.listing.id}/signaler").status_code == 403
    assert (
        client.post(f"/membres/{net.author.id}/signaler", data={"reason": "spam"}).status_code
        == 403
    )
    page = client.get(f"/annonces/{net.listing.id}").text
    assert "Signaler cette annonce" not in page
    assert _count(Report) == 0


def test_a_member_reports_a_profile(client, auth, net):
    auth.login(net.reporter)
    profile = client.get(f"/membres/{net.author.id}").text
    assert f"/membres/{net.author.id}/signaler" in profile
    response = client.post(
        f"/membres/{net.author.id}/signaler", data={"reason": "harassment", "text": "Insistant"}
    )
    assert _path(response) == f"/membres/{net.author.id}"
    assert db.session.scalar(select(Report.member_id)) == net.author.id


# ---------------------------------------------------------------------------- the desk


def test_the_queue_shows_the_report_to_the_spaces_coordinators_only(client, auth, net):
    auth.login(net.reporter)
    client.post(
        f"/annonces/{net.listing.id}/signaler", data={"reason": "spam", "text": "Pub-déguisée-42"}
    )
    client.post(f"/membres/{net.author.id}/signaler", data={"reason": "spam"})
    auth.logout()
    auth.login(net.coord_a)
    desk = client.get("/moderation")
    assert desk.status_code == 200
    for seen in ("Cours de guitare", "Rémi Vigilant", "Spam ou publicité", "Pub-déguisée-42"):
        assert seen in desk.text
    assert "Masquer l'annonce" in desk.text and "Classer sans suite" in desk.text
    # The author is active in La Ruche: the report on her profile is La Ruche's too.
    assert desk.text.count("Signalé par") == 2 and "Suspendre le compte" in desk.text
    auth.logout()
    auth.login(net.coord_b)
    other_desk = client.get("/moderation").text
    assert "Pub-déguisée-42" not in other_desk and "Signalé par" not in other_desk
    auth.logout()
    auth.login(net.admin)
    assert client.get("/moderation").text.count("Signalé par") == 2


def test_a_member_has_no_desk(client, auth, net):
    auth.login(net.reporter)
    assert client.get("/moderation").status_code == 403


@pytest.mark.parametrize("who", ["coord_b", "reporter", "author"])
@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("masquer", {"reason": "Hors charte"}),
        ("demander-modification", {"reason": "Précisez"}),
        ("approuver", {}),
        ("retablir", {}),
    ],
)
def test_nobody_else_moderates_a_listing(client, auth, net, who, action, data):
    if action in ("approuver", "retablir"):
        net.listing.moderation = "pending" if action == "approuver" else "hidden"
        db.session.commit()
    before = _state(net.listing.id)
    auth.login(getattr(net, who))
    response = client.post(f"/moderation/annonces/{net.listing.id}/{action}", data=data)
    assert response.status_code == 403
    assert _state(net.listing.id) == before
    assert _count(ModerationAction) == 0
    assert _count(Notification) == 0


def test_hiding_needs_a_reason_then_the_author_sees_it_and_others_get_404(client, auth, net):
    listing_url = f"/annonces/{net.listing.id}"
    auth.login(net.coord_a)
    assert "Masquer l'annonce" in client.get(listing_url).text
    refused = client.post(f"/moderation/annonces/{net.listing.id}/masquer", data={"reason": ""})
    assert refused.status_code == 302
    assert _state(net.listing.id)[3] == "approved" and _count(ModerationAction) == 0
    hidden = client.post(
        f"/moderation/annonces/{net.listing.id}/masquer",
        data={"reason": "Publicité pour un magasin", "next": listing_url},
    )
    assert _path(hidden) == listing_url
    assert _state(net.listing.id) == (
        "Cours de guitare",
        "Débutants bienvenus.",
        "Dix ans de scène.",
        "hidden",
    )
    assert "Publicité pour un magasin" in client.get("/moderation").text  # the log
    auth.logout()

    auth.login(net.author)
    page = client.get(listing_url)
    assert page.status_code == 200 and "Publicité pour un magasin" in page.text
    assert "Publicité pour un magasin" in client.get("/notifications").text
    about = client.get("/moderation/me-concernant")
    assert "Annonce masquée" in about.text and "Publicité pour un magasin" in about.text
    auth.logout()

    auth.login(net.reporter)
    assert client.get(listing_url).status_code == 404
    assert not _finds(client, "guitare", "Cours de guitare")
    auth.logout()
    assert client.get(listing_url).status_code == 404

    auth.login(net.coord_a)
    client.post(f"/moderation/annonces/{net.listing.id}/retablir", data={"reason": "Corrigée"})
    auth.logout()
    assert client.get(listing_url).status_code == 200
    assert _finds(client, "guitare", "Cours de guitare")


def test_dismissing_a_report_tells_the_reporter_and_allows_a_new_one(client, auth, net):
    auth.login(net.reporter)
    client.post(f"/annonces/{net.listing.id}/signaler", data={"reason": "spam"})
    report_id = db.session.scalar(select(Report.id))
    auth.logout()
    auth.login(net.coord_b)
    assert client.post(f"/moderation/signalements/{report_id}/classer").status_code == 403
    auth.logout()
    auth.login(net.coord_a)
    client.post(f"/moderation/signalements/{report_id}/classer", data={"reason": "Rien d'anormal"})
    assert db.session.get(Report, report_id).status == "dismissed"
    auth.logout()
    auth.login(net.reporter)
    assert "classé sans suite : Rien d'anormal" in client.get("/notifications").text
    again = client.post(f"/annonces/{net.listing.id}/signaler", data={"reason": "spam"})
    assert again.status_code == 302 and _count(Report) == 2


# ---------------------------------------------------------------------------- suspension


def test_suspension_locks_the_member_out_until_reinstated(app, client, auth, net):
    author_client = app.test_client()
    assert (
        author_client.post(
            "/connexion", data={"email": net.author.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    assert author_client.get("/profil").status_code == 200

    auth.login(net.coord_b)
    assert (
        client.post(
            f"/moderation/membres/{net.author.id}/suspendre", data={"reason": "Pas mon lieu"}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login(net.coord_a)
    assert "Suspendre le compte" in client.get(f"/membres/{net.author.id}").text
    client.post(f"/moderation/membres/{net.author.id}/suspendre", data={"reason": ""})
    assert db.session.get(User, net.author.id).suspended_at is None
    client.post(
        f"/moderation/membres/{net.author.id}/suspendre", data={"reason": "Démarchage répété"}
    )
    assert db.session.get(User, net.author.id).is_suspended
    auth.logout()

    response = author_client.get("/profil")  # the open session stopped working
    assert response.status_code == 302 and _path(response) == "/connexion"
    refused = auth.login(net.author)
    assert refused.status_code == 400
    assert "Votre compte est suspendu" in refused.text and "Démarchage répété" in refused.text
    assert client.get(f"/annonces/{net.listing.id}").status_code == 404
    assert not _finds(client, "guitare", "Cours de guitare")

    auth.login(net.coord_a)
    assert "Démarchage répété" in client.get("/moderation").text
    client.post(f"/moderation/membres/{net.author.id}/reintegrer", data={"reason": "C'est réglé"})
    auth.logout()
    assert auth.login(net.author).status_code == 302
    assert client.get(f"/annonces/{net.listing.id}").status_code == 200
    assert _finds(client, "guitare", "Cours de guitare")
    about = client.get("/moderation/me-concernant").text
    assert "Compte suspendu" in about and "Démarchage répété" in about
    assert "Compte réactivé" in about and "C'est réglé" in about


# ---------------------------------------------------------------------------- pre-moderation


def test_a_pre_moderated_space_publishes_after_approval(client, auth, net):
    auth.login(net.coord_a)
    edit = client.get(f"/lieux/{net.ruche.id}/modifier")
    assert "Relire les annonces avant publication" in edit.text
    client.post(
        f"/lieux/{net.ruche.id}/modifier",
        data={"name": "La Ruche", "city": "Lyon", "join_policy": "open", "premoderation": "y"},
    )
    assert db.session.get(Space, net.ruche.id).premoderation
    auth.logout()

    auth.login(net.reporter)
    response = client.post(
        "/annonces/nouvelle",
        data={
            "kind": "request",
            "title": "Cherche aide pour un dossier de subvention",
            "summary": "Une asso de quartier.",
            "mode": "both",
            "space_id": str(net.ruche.id),
            "expires_on": (utcnow().date() + timedelta(days=30)).isoformat(),
        },
    )
    held = db.session.scalar(select(Listing).where(Listing.author_id == net.reporter.id))
    assert held is not None, response.text[:500]
    assert held.moderation == "pending"
    auth.logout()
    assert client.get(f"/annonces/{held.id}").status_code == 404

    auth.login(net.coord_b)
    assert "dossier de subvention" not in client.get("/moderation").text
    auth.logout()
    auth.login(net.coord_a)
    desk = client.get("/moderation").text
    assert "dossier de subvention" in desk and "Approuver et publier" in desk
    client.post(f"/moderation/annonces/{held.id}/approuver")
    auth.logout()
    assert client.get(f"/annonces/{held.id}").status_code == 200
    assert _finds(client, "subvention", "dossier de subvention")


def test_the_log_and_my_acts_are_linked_where_one_looks_for_them(client, auth, net):
    auth.login(net.author)
    assert "/moderation/me-concernant" in client.get(f"/membres/{net.author.id}").text
    assert "/moderation/me-concernant" not in client.get(f"/membres/{net.reporter.id}").text
    assert client.get("/moderation/me-concernant").status_code == 200
