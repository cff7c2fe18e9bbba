"""Confirming the address logs the newcomer in and opens their first steps: a checklist that
ticks itself as they join a space, say what they can do, add a photo, publish and exchange."""

from __future__ import annotations

import io
import re

from exchange.services.exchanges import lifecycle
from models import User, db
from tests import factories, pictures


def _link(outbox, prefix: str) -> str:
    found = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+)", outbox[-1].get_content())
    assert found
    return found.group(1)


def _ticked(page: str) -> list[str]:
    return re.findall(r'<li class="step done">.*?<h2>([^<]+?) <span', page, re.S)


def test_confirming_logs_the_newcomer_in_once_and_opens_their_first_steps(app, client, outbox):
    signed = client.post(
        "/inscription",
        data={
            "display_name": "Zoé Neuve",
            "email": "zoe@example.org",
            "password": "lune-rousse-velo",
        },
    )
    assert signed.status_code in (200, 302)
    link = _link(outbox, "/confirmation/")
    confirmed = client.post(link)
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/premiers-pas"
    page = client.get("/premiers-pas").text
    assert "Adresse confirmée : bienvenue" in page and "0 étapes sur 5" in page
    assert client.get("/compte").status_code == 200  # logged in

    # The same link later, on another browser: it confirms nothing more and logs nobody in.
    other = app.test_client()
    again = other.post(link)
    assert again.status_code == 302 and again.headers["Location"].startswith("/connexion")
    assert other.get("/compte").status_code == 302


def test_each_step_ticks_itself(client, auth, member):
    place = factories.space("La Ruche")
    auth.login(member)
    assert _ticked(client.get("/premiers-pas").text) == []
    assert "Vos premiers pas : 0 étapes sur 5" in client.get("/").text

    factories.join(member, place)
    member.skills = []
    member.bio = "Je répare des vélos."
    db.session.commit()
    client.post(
        "/profil/photo",
        data={"photo": (io.BytesIO(pictures.photo()), "moi.jpg")},
        content_type="multipart/form-data",
    )
    factories.listing(member, place, "Réparation de vélo")
    assert _ticked(client.get("/premiers-pas").text) == [
        "Rejoindre un lieu",
        "Dire ce que vous savez faire",
        "Ajouter une photo",
        "Publier une offre ou une demande",
    ]

    other = factories.member("Otto")
    factories.join(other, place)
    offer = factories.listing(other, place, "Cours de soudure")
    ex = lifecycle.propose(member.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(other.id, ex.id)
    lifecycle.log_time(other.id, ex.id, minutes=60)
    lifecycle.confirm(member.id, ex.id)
    page = client.get("/premiers-pas").text
    assert len(_ticked(page)) == 5 and "Tout est fait" in page
    assert "premiers pas" not in client.get("/").text.lower().split("</header>", 1)[-1]


def test_a_request_waiting_for_a_space_says_so(client, auth, member):
    place = factories.space("Le Phare", join_policy="approval")
    factories.join(member, place, status="pending")
    auth.login(member)
    page = client.get("/premiers-pas").text
    assert "Votre demande est envoyée" in page
    assert "Rejoindre un lieu" not in _ticked(page)


def test_the_first_steps_speak_english(client, auth, member):
    auth.login(member)
    page = client.get("/premiers-pas?lang=en").text
    assert "First steps" in page and "Join a space" in page


def test_a_visitor_is_asked_to_log_in(client):
    response = client.get("/premiers-pas")
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
    assert db.session.query(User).count() == 0
