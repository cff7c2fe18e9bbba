"""A duration cannot be misread: every duration field says its unit, refuses what is no whole
number of minutes, and a large gift or log is read back in words before anything moves."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from exchange.services.ledger import transfers
from models import NetworkSettings, Space, Transfer, db
from tests import factories


@pytest.fixture
def pair(app):
    """Alice and Bob of La Ruche; Alice may give 30 h she does not have yet."""
    people = (
        factories.member("Alice Martin", "alice@example.org"),
        factories.member("Bob Durand", "bob@example.org"),
    )
    space = factories.space("La Ruche")
    for person in people:
        factories.join(person, space)
    _settings(credit_floor=-50 * 60)
    return people


def _transfers() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Transfer))


def _balance(user) -> int:
    db.session.expire_all()
    return transfers.account_of(user.id).balance


def _settings(**values) -> None:
    row = db.session.get(NetworkSettings, 1) or NetworkSettings(id=1)
    for name, value in values.items():
        setattr(row, name, value)
    db.session.add(row)
    db.session.commit()


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


def _gift(client, bob, minutes, **extra):
    data = {"recipient": str(bob.id), "minutes": minutes, "message": "Merci", **extra}
    return client.post("/compte/donner", data=data)


# ------------------------------------------------------------------------------- the gift


def test_the_gift_form_says_the_unit_where_the_person_types(client, auth, pair):
    alice, _bob = pair
    auth.login(alice)
    page = client.get("/compte/donner").text
    assert "En heures et minutes : 1 h 30, 2 h, 45 min" in page
    assert 'class="duration-unit"' in page and 'id="minutes-read"' in page
    assert 'aria-describedby="minutes-unit minutes-read"' in page
    assert 'src="/static/js/durations.js"' in page


def test_a_gift_of_30_h_asks_for_confirmation_and_moves_nothing(client, auth, pair):
    alice, bob = pair
    auth.login(alice)
    response = _gift(client, bob, "30", request_key="k-30")
    assert response.status_code == 200
    page = response.text
    assert "Vous allez donner 30\u00a0h (trente heures) à Bob Durand. C'est bien cela ?" in page
    assert "Oui, donner 30\u00a0h" in page
    assert _hidden(page, "confirmed_large") == f"1800:{bob.id}"
    assert _hidden(page, "request_key") == "k-30"
    assert _transfers() == 0 and _balance(bob) == 0


def test_a_confirmed_gift_of_30_h_moves_exactly_once(client, auth, pair):
    alice, bob = pair
    auth.login(alice)
    page = _gift(client, bob, "30", request_key="k-30").text
    key, confirmed = _hidden(page, "request_key"), _hidden(page, "confirmed_large")
    for _ in range(2):  # a double click on the confirm button
        response = _gift(client, bob, "30", request_key=key, confirmed_large=confirmed)
        assert response.status_code == 302
    # the first form sent again (the back button) moves nothing more either
    assert _gift(client, bob, "30", request_key=key).status_code == 302
    assert _transfers() == 1 and _balance(bob) == 1800


def test_a_gift_changed_after_its_confirmation_is_asked_again(client, auth, pair):
    alice, bob = pair
    auth.login(alice)
    response = _gift(client, bob, "40", request_key="k", confirmed_large=f"1800:{bob.id}")
    assert response.status_code == 200
    assert "Vous allez donner 40\u00a0h (quarante heures) à Bob Durand." in response.text
    assert _transfers() == 0


def test_a_gift_sent_to_someone_else_than_its_confirmation_named_is_asked_again(client, auth, pair):
    alice, bob = pair
    carla = factories.member("Carla Petit", "carla@example.org")
    factories.join(carla, db.session.scalar(select(Space)))
    auth.login(alice)
    confirmed = _hidden(_gift(client, bob, "30", request_key="k").text, "confirmed_large")
    response = _gift(client, carla, "30", request_key="k", confirmed_large=confirmed)
    assert response.status_code == 200
    assert "Vous allez donner 30\u00a0h (trente heures) à Carla Petit." in response.text
    assert _transfers() == 0


def test_a_gift_of_5_h_or_less_moves_without_confirmation(client, auth, pair):
    alice, bob = pair
    auth.login(alice)
    assert _gift(client, bob, "5").status_code == 302
    assert _balance(bob) == 300


def test_a_large_gift_to_the_pot_names_the_pot(client, auth, pair):
    alice, _bob = pair
    auth.login(alice)
    response = client.post("/compte/donner", data={"recipient": "pot", "minutes": "6 h 30"})
    assert response.status_code == 200
    assert (
        "Vous allez donner 6\u00a0h\u00a030 (six heures trente minutes) à la caisse commune."
        in response.text
    )
    assert _transfers() == 0


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1,33", "1,33 h n'est pas un nombre entier de minutes : 1\u00a0h\u00a020 ?"),
        ("0,01", "0,01 h n'est pas un nombre entier de minutes : 1\u00a0min ?"),
        ("1.333 h", "1.333 h n'est pas un nombre entier de minutes : 1\u00a0h\u00a020 ?"),
        ("0", "Une durée de 0 ne fait rien bouger : indiquez au moins 1 min."),
    ],
)
def test_a_gift_of_no_whole_number_of_minutes_or_of_0_is_refused_and_says_why(
    client, auth, pair, typed, said
):
    alice, bob = pair
    auth.login(alice)
    response = _gift(client, bob, typed)
    assert response.status_code == 400
    assert said in response.text
    assert _transfers() == 0


@pytest.mark.parametrize(("typed", "minutes"), [("1,5", 90), ("1,25", 75), ("0,75", 45)])
def test_decimals_of_whole_minutes_are_given(client, auth, pair, typed, minutes):
    alice, bob = pair
    auth.login(alice)
    assert _gift(client, bob, typed).status_code == 302
    assert _balance(bob) == minutes


def test_a_gift_refused_for_another_field_shows_back_what_was_understood(client, auth, pair):
    alice, _bob = pair
    auth.login(alice)
    response = client.post("/compte/donner", data={"recipient": "", "minutes": "1 h 30"})
    assert response.status_code == 400
    read = re.search(
        r'<output class="duration-read" id="minutes-read"[^>]*>([^<]*)</output>', response.text
    )
    assert read and read.group(1) == "= 1\u00a0h\u00a030"


def test_the_confirmation_reads_the_amount_in_english_words_in_english(client, auth, pair):
    alice, bob = pair
    auth.login(alice)
    client.get("/compte?lang=en")
    response = _gift(client, bob, "21 h 01")
    assert response.status_code == 200
    assert (
        "You are about to give 21\u00a0h\u00a001 (twenty-one hours and one minute) to Bob "
        "Durand. Is that right?" in response.text
    )
    assert "In hours and minutes: 1 h 30, 2 h, 45 min. A number alone counts hours." in (
        response.text
    )
    assert _transfers() == 0
