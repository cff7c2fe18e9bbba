"""The Minga's page: a member and a time a row (typed names work without a script), "more rows",
a preview with the total and the pot's balance after, one confirmation; bad input is said
beside its row and moves nothing, never a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from exchange.services.ledger import gifts, transfers
from models import ModerationAction, Transfer, db
from tests import factories

NB = "\u00a0"
WORK = "Chantier participatif du 12 avril"


@pytest.fixture
def world(app):
    spaces = factories.three_spaces()
    ana, ben = factories.member("Ana Peint"), factories.member("Ben Ponce")
    for person in (ana, ben):
        factories.join(person, spaces.ruche)
    donor = factories.member("Dora Donne")
    factories.join(donor, spaces.phare)
    gifts.give(donor.id, minutes=10 * 60, message="", confirmed_large=True)
    return spaces, ana, ben


def _moved() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Transfer.id)).where(Transfer.kind == "retribution"))


def _rows(*rows, **more) -> dict:
    data = {"reason": WORK, "action": "apercu", "request_key": "cle-minga"}
    for n, (name, minutes) in enumerate(rows):
        data[f"rows-{n}-member_name"] = name
        data[f"rows-{n}-minutes"] = minutes
    data.update(more)
    return data


def _previewed(page: str) -> str:
    return re.search(r'name="previewed" type="hidden" value="([^"]*)"', page).group(1)


def test_the_form_starts_with_eight_rows_and_adds_more(client, auth, world):
    spaces, _ana, _ben = world
    auth.login(spaces.coord_ruche)
    page = client.get("/caisse-commune/minga")
    assert page.status_code == 200
    assert page.text.count('data-picker="/membres/suggestions?pour=retribuer"') == 8
    assert f"Solde de la caisse : 10{NB}h." in page.text
    more = client.post("/caisse-commune/minga", data=_rows(("Ana Peint", "2 h"), action="lignes"))
    assert more.status_code == 200
    assert more.text.count('data-picker="/membres/suggestions?pour=retribuer"') == 16
    assert 'value="Ana Peint"' in more.text and _moved() == 0
    assert 'href="/caisse-commune/minga"' in client.get("/caisse-commune").text


def test_preview_then_confirm_pays_every_member_once(client, auth, world):
    spaces, ana, ben = world
    auth.login(spaces.coord_ruche)
    sent = _rows(("Ana Peint", "2 h"), ("Ben Ponce", "45 min"))

    shown = client.post("/caisse-commune/minga", data=sent)

    assert shown.status_code == 200 and _moved() == 0
    assert (
        f"2{NB}h (deux heures)" in shown.text and f"45{NB}min (quarante-cinq minutes)" in shown.text
    )
    assert f"Total : 2{NB}h{NB}45 pour 2 membres." in shown.text
    assert f"La caisse commune passera de 10{NB}h à 7{NB}h{NB}15." in shown.text
    confirm = {**sent, "action": "confirmer", "previewed": _previewed(shown.text)}
    done = client.post("/caisse-commune/minga", data=confirm)
    assert done.status_code == 302 and done.headers["Location"].endswith("/caisse-commune")
    again = client.post("/caisse-commune/minga", data=confirm)  # a second click
    assert again.status_code == 302
    db.session.expire_all()
    assert _moved() == 2 and transfers.pot().balance == 600 - 165
    assert (
        transfers.account_of(ana.id).balance == 120 and transfers.account_of(ben.id).balance == 45
    )
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 1
    assert f"Minga versée : 2{NB}h{NB}45 à 2 membres" in client.get("/caisse-commune").text


def test_a_list_changed_after_its_preview_is_shown_again(client, auth, world):
    spaces, _ana, _ben = world
    auth.login(spaces.coord_ruche)
    shown = client.post("/caisse-commune/minga", data=_rows(("Ana Peint", "2 h")))
    changed = _rows(("Ana Peint", "3 h"), action="confirmer", previewed=_previewed(shown.text))
    again = client.post("/caisse-commune/minga", data=changed)
    assert again.status_code == 200 and "La liste a changé depuis l'aperçu" in again.text
    assert f"Total : 3{NB}h pour 1 membre." in again.text
    assert _moved() == 0


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ((), "Ajoutez au moins un membre et le temps à lui verser."),
        ((("Ana Peint", ""),), "Indiquez le temps à verser à ce membre"),
        ((("", "2 h"),), "Choisissez le membre de cette ligne."),
        ((("Ana Peint", "2 h"), ("Ana Peint", "1 h")), "figure déjà plus haut dans la liste"),
        ((("Ana Peint", "30"),), "« 30 » se lit 30\u00a0h (trente heures) : écrivez « 30 min »"),
        ((("Ana Peint", "beaucoup"),), "Écrivez une durée comme 1 h 30"),
        ((("Personne Inconnue", "1 h"),), "Aucun membre du réseau ne répond"),
        ((("Dora Donne", "1 h"),), "Aucun membre du réseau ne répond"),  # not of La Ruche
        ((("Ana Peint", "8 h"), ("Ben Ponce", "3 h")), "La caisse commune n'a que 10"),
    ],
)
def test_bad_input_is_said_and_moves_nothing(client, auth, world, rows, said):
    spaces, _ana, _ben = world
    auth.login(spaces.coord_ruche)
    for action in ("apercu", "confirmer"):
        response = client.post("/caisse-commune/minga", data=_rows(*rows, action=action))
        assert response.status_code == 400
        assert said in response.text
    assert _moved() == 0


def test_text_where_a_member_is_expected_is_refused_beside_the_row(client, auth, world):
    spaces, ana, _ben = world
    auth.login(spaces.coord_ruche)
    data = _rows(("", "2 h"))
    data["rows-0-member"] = "abc"
    response = client.post("/caisse-commune/minga", data=data)
    assert response.status_code == 400 and "Choisissez un membre du réseau." in response.text
    data = _rows(("", "2 h"), **{"rows-0-member": str(ana.id), "reason": ""})
    response = client.post("/caisse-commune/minga", data=data)
    assert response.status_code == 400 and "Dites pour quel travail collectif." in response.text
    assert _moved() == 0


def test_a_member_of_another_space_sent_by_number_is_named_beside_the_row(client, auth, world):
    spaces, ana, _ben = world
    auth.login(spaces.coord_phare)
    response = client.post(
        "/caisse-commune/minga", data=_rows(("", "1 h"), **{"rows-0-member": str(ana.id)})
    )
    assert response.status_code == 400
    assert "Ana Peint n'est pas membre d'un lieu que vous coordonnez." in response.text
    assert _moved() == 0


def test_members_have_no_minga(client, auth, world):
    _spaces, ana, _ben = world
    auth.login(ana)
    assert client.get("/caisse-commune/minga").status_code == 403
    assert 'href="/caisse-commune/minga"' not in client.get("/caisse-commune").text
