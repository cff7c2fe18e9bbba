"""The pages where a coordinator acts for a member who asked (a gift, a direct log), and where the
member contests it: names typed without a script, bad input said beside its field with nothing
moved, large amounts read back in words, the links from the profile and the desk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from exchange.services.ledger import gifts, transfers
from exchange.services.moderation import on_behalf
from models import Exchange, ModerationAction, Notification, Transfer, db
from models.base import utcnow
from tests import factories

ASKED = "Appel de Lina le 3 mars"
NB = "\u00a0"


@pytest.fixture
def world(app):
    spaces = factories.three_spaces()
    lina, bob = factories.member("Lina Sansordi"), factories.member("Bob Voisin")
    for person in (lina, bob):
        factories.join(person, spaces.ruche)
    second = factories.coordinator(spaces.ruche, display_name="Sidonie Seconde")
    return spaces, lina, bob, second


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id))) or 0


def _balance(user) -> int:
    db.session.expire_all()
    return transfers.account_of(user.id).balance


def _gift(**kw) -> dict:
    data = {
        "member_name": "Lina Sansordi",
        "recipient_name": "Bob Voisin",
        "minutes": "1 h 30",
        "reason": ASKED,
    }
    data.update(kw)
    return data


def test_the_profile_and_the_desk_lead_to_acting_for_a_member(client, auth, world):
    spaces, lina, _bob, _second = world
    auth.login(spaces.coord_ruche)
    profile = client.get(f"/membres/{lina.id}").text
    assert f"/moderation/agir/don?membre={lina.id}" in profile
    assert f"/moderation/agir/declarer?membre={lina.id}" in profile
    desk = client.get("/moderation").text
    assert 'href="/moderation/agir/don"' in desk and 'href="/moderation/agir/declarer"' in desk
    auth.logout()
    auth.login(spaces.coord_phare)  # not her space
    assert "/moderation/agir/don?membre=" not in client.get(f"/membres/{lina.id}").text


def test_a_link_names_the_member_and_the_form_takes_typed_names(client, auth, world):
    spaces, lina, bob, _second = world
    auth.login(spaces.coord_ruche)
    page = client.get(f"/moderation/agir/don?membre={lina.id}")
    assert page.status_code == 200 and 'value="Lina Sansordi"' in page.text
    assert 'data-picker="/membres/suggestions?pour=agir"' in page.text

    response = client.post("/moderation/agir/don", data=_gift())

    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/membres/{lina.id}"
    )
    assert (_balance(lina), _balance(bob)) == (-90, 90)
    assert _count(ModerationAction) == 1
    follow = client.get(f"/membres/{lina.id}").text
    assert "Don enregistré pour Lina Sansordi" in follow


def test_the_gift_may_go_to_the_pot(client, auth, world):
    spaces, lina, _bob, _second = world
    auth.login(spaces.coord_ruche)
    response = client.post(
        "/moderation/agir/don", data=_gift(recipient_name="", to_pot="y", minutes="45 min")
    )
    assert response.status_code == 302
    assert _balance(lina) == -45 and transfers.pot().balance == 45


@pytest.mark.parametrize(
    ("change", "field_says"),
    [
        ({"reason": ""}, "Dites ce que le membre vous a demandé"),
        ({"minutes": "beaucoup"}, "Écrivez une durée comme 1 h 30"),
        ({"minutes": "0"}, "Une durée de 0 ne fait rien bouger"),
        ({"member_name": "Personne Inconnue"}, "Aucun membre du réseau ne répond"),
        ({"member_name": "", "member": "abc"}, "Choisissez un membre du réseau."),
        ({"recipient_name": "Aurèle Ruche"}, "Aucun membre du réseau ne répond"),  # oneself
        ({"recipient_name": "", "recipient": "{lina}"}, "On ne se donne pas du temps à soi-même."),
    ],
)
def test_bad_input_is_said_beside_its_field_and_moves_nothing(
    client, auth, world, change, field_says
):
    spaces, lina, _bob, _second = world
    auth.login(spaces.coord_ruche)
    sent = {k: v.format(lina=lina.id) for k, v in change.items()}
    response = client.post("/moderation/agir/don", data=_gift(**sent))
    assert response.status_code == 400
    assert field_says in response.text
    assert 'class="error"' in response.text
    assert _count(Transfer) == 0 and _count(ModerationAction) == 0
    assert _balance(lina) == 0


def test_a_coordinator_of_another_space_is_refused_beside_the_member(client, auth, world):
    spaces, lina, _bob, _second = world
    auth.login(spaces.coord_phare)
    response = client.post("/moderation/agir/don", data=_gift(member=str(lina.id)))
    assert response.status_code == 400
    assert "membres des lieux que vous coordonnez" in response.text
    assert _count(Transfer) == 0 and _count(ModerationAction) == 0


def test_a_large_gift_is_read_back_in_words_before_it_moves(client, auth, world):
    spaces, lina, bob, _second = world
    auth.login(spaces.coord_ruche)
    asked = client.post("/moderation/agir/don", data=_gift(minutes="8"))
    assert asked.status_code == 200
    assert f"8{NB}h (huit heures) du compte de Lina Sansordi à Bob Voisin" in asked.text
    token = f"480:{lina.id}:{bob.id}"  # the amount, the member and whom it goes to
    assert f'value="{token}"' in asked.text
    assert _count(Transfer) == 0
    done = client.post("/moderation/agir/don", data=_gift(minutes="8", confirmed_large=token))
    assert done.status_code == 302 and _balance(lina) == -480


def test_a_direct_log_for_a_member_is_confirmed_by_the_other_side(client, auth, world):
    spaces, lina, bob, _second = world
    auth.login(spaces.coord_ruche)
    page = client.get(f"/moderation/agir/declarer?membre={lina.id}")
    assert page.status_code == 200 and "Le membre a aidé cette personne" in page.text
    response = client.post(
        "/moderation/agir/declarer",
        data={
            "member": str(lina.id),
            "direction": "received",
            "counterpart_name": "Bob Voisin",
            "title": "Installation d'une imprimante",
            "minutes": "2 h",
            "reason": ASKED,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    (logged,) = db.session.scalars(select(Exchange)).all()
    assert (logged.logged_by_id, logged.provider_id, logged.state) == (lina.id, bob.id, "done")
    assert _count(Transfer) == 0  # Bob confirms first


def test_a_direct_log_with_the_coordinator_as_other_side_is_refused(client, auth, world):
    spaces, lina, _bob, _second = world
    auth.login(spaces.coord_ruche)
    response = client.post(
        "/moderation/agir/declarer",
        data={
            "member": str(lina.id),
            "direction": "gave",
            "counterpart": str(spaces.coord_ruche.id),
            "title": "Aide",
            "minutes": "1 h",
            "reason": ASKED,
        },
    )
    assert response.status_code == 400
    assert "envers vous-même" in response.text
    assert _count(Exchange) == 0 and _count(ModerationAction) == 0


def _acted(world) -> ModerationAction:
    spaces, lina, bob, _second = world
    gifts.give(
        spaces.coord_ruche.id,
        for_member_id=lina.id,
        minutes=60,
        message="",
        reason=ASKED,
        to_member_id=bob.id,
    )
    return db.session.scalars(select(ModerationAction)).one()


def test_the_member_reads_the_act_and_contests_it_once(client, auth, world):
    _spaces, lina, _bob, second = world
    act = _acted(world)
    auth.login(lina)
    page = client.get("/moderation/me-concernant").text
    assert (
        f'id="acte-{act.id}"' in page and f"Un don de 1{NB}h de votre compte à Bob Voisin" in page
    )
    assert f'action="/compte/actes/{act.id}/contester"' in page

    response = client.post(f"/compte/actes/{act.id}/contester", data={"text": "Pas moi"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/moderation/me-concernant#acte-{act.id}")
    after = client.get("/moderation/me-concernant").text
    assert "Contestation envoyée" in after and "Vous l'avez contesté" in after
    assert f'action="/compte/actes/{act.id}/contester"' not in after
    db.session.expire_all()
    assert db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == second.id, Notification.kind == "act_contested"
        )
    )
    client.post(f"/compte/actes/{act.id}/contester", data={"text": "Encore"})
    assert "déjà contesté" in client.get("/moderation/me-concernant").text
    assert _count(ModerationAction) == 2


def test_a_contest_needs_words_and_its_days(client, auth, world):
    _spaces, lina, _bob, _second = world
    act = _acted(world)
    auth.login(lina)
    client.post(f"/compte/actes/{act.id}/contester", data={"text": ""})
    assert "Dites en quelques mots ce qui ne va pas" in client.get("/moderation/me-concernant").text
    act = db.session.get(ModerationAction, act.id)
    act.created_at = utcnow() - timedelta(days=on_behalf.CONTEST_DAYS + 1)
    db.session.commit()
    assert "Le délai pour contester est passé" in client.get("/moderation/me-concernant").text
    client.post(f"/compte/actes/{act.id}/contester", data={"text": "Trop tard"})
    assert "Le délai de 14 jours" in client.get("/moderation/me-concernant").text
    assert _count(ModerationAction) == 1


def test_someone_else_cannot_contest_the_act(client, auth, world):
    _spaces, _lina, bob, _second = world
    act = _acted(world)
    auth.login(bob)
    assert client.post(f"/compte/actes/{act.id}/contester", data={"text": "x"}).status_code == 404
    assert _count(ModerationAction) == 1
