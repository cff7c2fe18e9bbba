"""A member chosen from a list: what a crafted choice gets is the product's own sentence, beside
the field, and nothing moves (never WTForms' "N'est pas un choix valide")."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.services.ledger import gifts
from models import Exchange, Transfer, db
from tests import factories

WTFORMS_WORDS = ("N'est pas un choix valide", "Not a valid choice")


@pytest.fixture
def people(app):
    space = factories.space("La Ruche")
    lea = factories.member(display_name="Léa Martin", email="lea@example.org")
    sam = factories.member(display_name="Sam Durand", email="sam@example.org")
    factories.join(lea, space)
    factories.join(sam, space)
    return space, lea, sam


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _refused(response, sentence: str) -> None:
    assert response.status_code == 400
    assert sentence in response.text
    assert not any(words in response.text for words in WTFORMS_WORDS)


def test_a_crafted_gift_to_oneself_says_one_does_not_give_to_oneself(client, auth, people):
    _space, lea, _sam = people
    auth.login(lea)
    response = client.post(
        "/compte/donner", data={"recipient": str(lea.id), "minutes": "1 h", "message": "Merci"}
    )
    _refused(response, "On ne se donne pas du temps à soi-même.")
    assert _count(Transfer) == 0


@pytest.mark.parametrize("sent", ["abc", "-3", "1.5", "99999999999", "²"])
def test_a_recipient_that_is_no_member_number_asks_to_choose_a_member(client, auth, people, sent):
    _space, lea, _sam = people
    auth.login(lea)
    response = client.post("/compte/donner", data={"recipient": sent, "minutes": "1 h"})
    _refused(response, "Choisissez un membre du réseau.")
    assert _count(Transfer) == 0


def test_a_gift_to_someone_in_no_space_is_refused_as_the_list_does(client, auth, people):
    _space, lea, _sam = people
    outsider = factories.member(display_name="Hors Réseau")  # confirmed, but in no space
    auth.login(lea)
    response = client.post("/compte/donner", data={"recipient": str(outsider.id), "minutes": "1 h"})
    _refused(response, "Choisissez un membre du réseau.")
    assert _count(Transfer) == 0


def test_a_gift_to_a_member_of_the_list_still_moves_the_time(client, auth, people):
    _space, lea, sam = people
    auth.login(lea)
    response = client.post("/compte/donner", data={"recipient": str(sam.id), "minutes": "1 h"})
    assert response.status_code == 302
    assert _count(Transfer) == 1


def test_a_crafted_log_with_oneself_says_one_does_not_exchange_with_oneself(client, auth, people):
    _space, lea, _sam = people
    auth.login(lea)
    log = {"direction": "gave", "title": "Relecture", "minutes": "1 h"}
    response = client.post("/echanges/declarer", data={**log, "counterpart": str(lea.id)})
    _refused(response, "On ne s'échange pas du temps à soi-même : choisissez un autre membre.")
    assert _count(Exchange) == 0


def test_a_crafted_retribution_to_oneself_gets_the_coordinators_rule(client, auth, people):
    space, _lea, sam = people
    coordinator = factories.coordinator(space, display_name="Cora Coord")
    gifts.give(sam.id, minutes=180, message="")  # the pot holds 3 h
    auth.login(coordinator)
    response = client.post(
        "/caisse-commune/retribuer",
        data={"recipient": str(coordinator.id), "minutes": "1 h", "reason": "Atelier"},
    )
    _refused(response, "Vous pouvez rétribuer les membres des lieux que vous coordonnez")
    assert _count(Transfer) == 1  # the gift to the pot, nothing more
