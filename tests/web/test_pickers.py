"""Choosing a member by typing their name: suggestions from /membres/suggestions (only those
the page may offer), and without a script the typed name alone, resolved or offered as the few
it could be; nothing moves until one member is chosen."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from exchange.services.moderation import acts
from models import Transfer, db
from tests import factories
from tests.querycount import queries_of


@pytest.fixture
def people(app):
    place = factories.space("La Ruche")
    lea = factories.member("Léa Martin", "lea@example.org")
    names = ("Hélène Vidal", "Paul Martin", "Jeanne Martin", "Zoé Dupont")
    others = [factories.member(name) for name in names]
    for person in (lea, *others):
        factories.join(person, place)
    outsider = factories.member("Hélène Ailleurs")  # in no space
    return lea, dict(zip(names, others, strict=True)), outsider


def _given() -> list[tuple[int, int]]:
    return db.session.execute(select(Transfer.credit_account_id, Transfer.amount)).all()


def _suggested(client, q, pour="don") -> list[str]:
    response = client.get("/membres/suggestions", query_string={"q": q, "pour": pour})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return [m["name"] for m in response.get_json()["members"]]


def test_two_letters_suggest_by_the_start_of_a_word_accents_aside(client, auth, people):
    lea, _others, _outsider = people
    auth.login(lea)
    assert _suggested(client, "hel") == ["Hélène Vidal"]  # not the one outside every space
    assert _suggested(client, "mar") == ["Jeanne Martin", "Paul Martin"]  # never oneself
    assert _suggested(client, "h") == []  # one letter is not enough
    assert _suggested(client, "%") == [] and _suggested(client, "_a") == []
    member = client.get("/membres/suggestions?q=zoe").get_json()["members"][0]
    assert set(member) == {"id", "name", "photo", "initials", "hue", "spaces"}
    assert (member["initials"], member["spaces"], member["photo"]) == ("ZD", "La Ruche", None)


def test_a_suspended_member_is_never_suggested(client, auth, people):
    lea, others, _outsider = people
    admin = factories.member("Ada Admin", admin=True)
    acts.suspend_member(admin.id, others["Zoé Dupont"].id, "Spam")
    auth.login(lea)
    assert _suggested(client, "zoe") == []


def test_without_a_script_a_typed_name_is_enough(client, auth, people):
    lea, _others, _outsider = people
    auth.login(lea)
    response = client.post(
        "/compte/donner", data={"recipient_name": "helene", "minutes": "1 h", "message": "Merci"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert len(_given()) == 1


def test_a_name_several_members_answer_to_offers_them_and_moves_nothing(client, auth, people):
    lea, others, _outsider = people
    auth.login(lea)
    response = client.post("/compte/donner", data={"recipient_name": "Martin", "minutes": "1 h"})
    assert response.status_code == 400
    assert "Plusieurs membres répondent à ce nom : choisissez." in response.text
    offered = set(re.findall(r'type="radio" name="recipient" value="(\d+)"', response.text))
    assert offered == {str(others["Paul Martin"].id), str(others["Jeanne Martin"].id)}
    assert _given() == []
    chosen = client.post(
        "/compte/donner",
        data={
            "recipient": str(others["Paul Martin"].id),
            "recipient_name": "Martin",
            "minutes": "1 h",
        },
    )
    assert chosen.status_code == 302 and len(_given()) == 1


def test_a_name_nobody_answers_to_says_so(client, auth, people):
    lea, _others, _outsider = people
    auth.login(lea)
    response = client.post(
        "/echanges/declarer",
        data={"counterpart_name": "Zorro", "direction": "gave", "title": "Aide", "minutes": "1 h"},
    )
    assert response.status_code == 400
    assert "Aucun membre du réseau ne répond à « Zorro »." in response.text


def test_a_profiles_link_fills_the_picker(client, auth, people):
    lea, others, outsider = people
    auth.login(lea)
    zoe = others["Zoé Dupont"]
    page = client.get(f"/compte/donner?membre={zoe.id}").text
    assert 'value="Zoé Dupont"' in page and f'name="recipient" value="{zoe.id}"' in page
    page = client.get(f"/compte/donner?membre={outsider.id}").text  # not one to offer
    assert "Hélène Ailleurs" not in page


def test_a_gift_to_the_pot_is_a_box_to_tick(client, auth, people):
    lea, _others, _outsider = people
    auth.login(lea)
    ticked = '<input checked id="to_pot" name="to_pot" type="checkbox" value="y">'
    assert ticked in client.get("/compte/donner?a=pot").text
    assert ticked not in client.get("/compte/donner").text
    response = client.post("/compte/donner", data={"to_pot": "y", "minutes": "30 min"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Transfer.id))) == 1


def test_a_retribution_offers_the_coordinators_spaces_only(client, auth, people):
    lea, _others, _outsider = people
    elsewhere = factories.space("Le Phare")
    coordinator = factories.coordinator(elsewhere, display_name="Coline Phare")
    paul = factories.member("Paula Phare")
    factories.join(paul, elsewhere)
    auth.login(coordinator)
    assert _suggested(client, "pau", "retribuer") == ["Paula Phare"]
    auth.logout()
    auth.login(lea)
    assert client.get("/membres/suggestions?q=pau&pour=retribuer").status_code == 403


def test_suggestions_cost_the_same_queries_for_ten_members_or_two_hundred(client, auth, people):
    lea, _others, _outsider = people
    place = factories.space("Grand Lieu")
    auth.login(lea)
    few = queries_of(client, "/membres/suggestions?q=mar").count
    for n in range(200):
        factories.join(factories.member(f"Marc Nombreux {n:03}"), place)
    assert queries_of(client, "/membres/suggestions?q=mar").count == few
    assert len(_suggested(client, "mar")) == 8
