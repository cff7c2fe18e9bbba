"""The common pot's ledger is public (PRODUCT.md: "Everyone can see where the collective's
credits go"): a visitor reads its balance and every movement, and the reasons of the
coordinators' retributions, but not what givers wrote nor why a member's mistake was
corrected; the money of the exchanges stays for members."""

from __future__ import annotations

import pytest

from exchange.services.ledger import gifts, statements
from tests import factories


@pytest.fixture
def pot(app):
    space = factories.space("La Ruche")
    lea = factories.member(display_name="Léa Martin", email="lea@example.org")
    sam = factories.member(display_name="Sam Durand", email="sam@example.org")
    coordinator = factories.coordinator(space, display_name="Cora Coord", email="cora@example.org")
    for person in (lea, sam):
        factories.join(person, space)
    gifts.give(lea.id, minutes=180, message="Pour le jardin partagé, merci à tous")
    gifts.retribute(coordinator.id, sam.id, minutes=60, reason="Atelier vélo ouvert à tous")
    return lea, sam


@pytest.fixture
def corrected(pot):
    """Karim meant to give the pot 1 h and typed 10 h; an admin reverses it, with a word."""
    karim = factories.member(display_name="Karim Benali", email="karim@example.org")
    factories.join(karim, factories.space("Le Hangar"))
    mistake = gifts.give(karim.id, minutes=600, message="Pour la caisse", confirmed_large=True)
    admin = factories.member(display_name="Ada Admin", email="ada@example.org", admin=True)
    gifts.correct(admin.id, mistake.id, "Karim voulait donner 1 h et a saisi 10 h")
    return karim


def test_a_visitor_sees_a_correction_but_not_its_reason(client, corrected):
    text = client.get("/caisse-commune").text
    assert "Karim Benali" in text and "Correction" in text
    assert "Karim voulait donner" not in text
    assert "Pour la caisse" not in text
    assert "Correction expliquée aux membres concernés" in text
    assert "Atelier vélo ouvert à tous" in text


def test_a_member_reads_a_corrections_reason_on_the_pot(client, auth, pot, corrected):
    lea, _sam = pot
    auth.login(lea)
    text = client.get("/caisse-commune").text
    assert "Karim voulait donner 1 h et a saisi 10 h" in text
    assert "Pour la caisse" in text and "Atelier vélo ouvert à tous" in text
    assert "Correction expliquée aux membres concernés" not in text


def test_the_pot_statement_withholds_members_words_unless_read_by_a_member(app, corrected):
    visitor = statements.pot_statement()
    assert {line.transfer.kind: line.reason for line in visitor.lines} == {
        "gift": "",
        "retribution": "Atelier vélo ouvert à tous",
        "correction": "",
    }
    member = statements.pot_statement(for_members=True)
    assert [line.reason for line in member.lines if line.transfer.kind == "correction"] == [
        "Karim voulait donner 1 h et a saisi 10 h"
    ]
    assert not any(line.withheld for line in member.lines)


def test_a_visitor_reads_the_pots_balance_and_movements_without_gift_messages(client, pot):
    page = client.get("/caisse-commune")
    assert page.status_code == 200
    text = page.text
    assert "2\u00a0h" in text or "2 h" in text  # 3 h given, 1 h paid out
    assert "Léa Martin" in text and "Sam Durand" in text
    assert "Atelier vélo ouvert à tous" in text  # a coordinator's public act, with its reason
    assert "Pour le jardin partagé" not in text  # the giver's words are for members
    assert "Message lu par les membres" in text
    assert "@example.org" not in text
    assert 'href="/caisse-commune/retribuer"' not in text
    assert "connectez-vous" in text  # to read the money of the exchanges


def test_a_member_reads_the_givers_words_on_the_pot(client, auth, pot):
    lea, _sam = pot
    auth.login(lea)
    text = client.get("/caisse-commune").text
    assert "Pour le jardin partagé, merci à tous" in text
    assert "Message lu par les membres" not in text


def test_the_pot_reads_the_same_in_english_for_a_visitor(client, pot):
    text = client.get("/caisse-commune?lang=en").text
    assert "Message read by members" in text
    assert "Pour le jardin partagé" not in text


def test_the_money_of_the_exchanges_still_asks_a_visitor_to_log_in(client, pot):
    for path in ("/caisse-commune/argent", "/caisse-commune/argent.csv"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/connexion" in answer.headers["Location"]


def test_the_home_page_says_what_a_visitor_can_read(client):
    text = client.get("/").text
    assert "Chacun peut lire" in text and 'href="/caisse-commune"' in text
