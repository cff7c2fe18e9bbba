"""The exchange and account pages, as two members and a coordinator use them."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from exchange.services.ledger import transfers
from models import Exchange, Transfer, db
from tests import factories


@pytest.fixture
def pair(app):
    """Bob offers help in La Ruche; Alice, from the same space, may ask for it."""
    space = factories.space("La Ruche")
    alice = factories.member("Alice Martin", "alice@example.org")
    bob = factories.member("Bob Durand", "bob@example.org")
    factories.join(alice, space)
    offer = factories.listing(bob, space, "Initiation à la comptabilité", estimated_minutes=90)
    return alice, bob, offer, space


def _balance(user) -> int:
    db.session.expire_all()
    return transfers.account_of(user.id).balance


def _as(client, auth, user):
    auth.logout()
    assert auth.login(user).status_code == 302


def test_a_proposal_accepted_logged_and_confirmed_moves_the_time_once(client, auth, pair):
    alice, bob, offer, _space = pair
    auth.login(alice)
    page = client.get(f"/annonces/{offer.id}/proposer")
    assert page.status_code == 200 and "1 h 30" in page.text  # the listing's estimate
    response = client.post(
        f"/annonces/{offer.id}/proposer", data={"message": "Mardi ?", "minutes": "1 h 30"}
    )
    assert response.status_code == 302
    exchange = db.session.scalar(select(Exchange))
    assert (exchange.provider_id, exchange.receiver_id) == (bob.id, alice.id)

    _as(client, auth, bob)
    assert "Alice Martin attend votre réponse" in client.get(f"/echanges/{exchange.id}").text
    assert client.post(f"/echanges/{exchange.id}/accepter", data={}).status_code == 302
    response = client.post(f"/echanges/{exchange.id}/temps", data={"minutes": "1h30"})
    assert response.status_code == 302

    _as(client, auth, alice)
    page = client.get(f"/echanges/{exchange.id}").text
    assert "Confirmer 1\u00a0h\u00a030" in page
    first = client.post(f"/echanges/{exchange.id}/confirmer", data={})
    second = client.post(f"/echanges/{exchange.id}/confirmer", data={})
    assert first.status_code == second.status_code == 302
    assert "déjà confirmé : les crédits ont bougé" in client.get(second.headers["Location"]).text
    assert db.session.scalar(select(func.count(Transfer.id))) == 1
    assert (_balance(alice), _balance(bob)) == (-90, 90)

    statement = client.get("/compte").text
    assert "−1\u00a0h\u00a030" in statement and "Bob Durand" in statement
    _as(client, auth, bob)
    assert "1\u00a0h\u00a030" in client.get("/compte").text


@pytest.mark.parametrize("typed", ["", "deux heures", "1 h 75", "-1", "0"])
def test_a_time_that_is_not_a_duration_is_refused_beside_the_field(client, auth, pair, typed):
    alice, bob, offer, _space = pair
    auth.login(alice)
    client.post(f"/annonces/{offer.id}/proposer", data={"message": "Jeudi ?"})
    exchange = db.session.scalar(select(Exchange))
    _as(client, auth, bob)
    client.post(f"/echanges/{exchange.id}/accepter", data={})
    response = client.post(f"/echanges/{exchange.id}/temps", data={"minutes": typed})
    assert response.status_code == 400
    assert 'id="minutes-error"' in response.text
    db.session.expire_all()
    assert db.session.get(Exchange, exchange.id).state == "accepted"


def test_only_the_two_parties_see_an_exchange(client, auth, pair):
    alice, _bob, offer, space = pair
    auth.login(alice)
    client.post(f"/annonces/{offer.id}/proposer", data={"message": "Bonjour"})
    exchange = db.session.scalar(select(Exchange))
    stranger = factories.member("Chloé Autre")
    factories.join(stranger, space)
    _as(client, auth, stranger)
    assert client.get(f"/echanges/{exchange.id}").status_code == 404
    assert client.post(f"/echanges/{exchange.id}/accepter", data={}).status_code == 404


def test_my_exchanges_lists_what_waits_on_me_first(client, auth, pair):
    alice, bob, offer, _space = pair
    auth.login(alice)
    client.post(f"/annonces/{offer.id}/proposer", data={"message": "Bonjour"})
    _as(client, auth, bob)
    page = client.get("/echanges").text
    waiting, _rest = page.split("En attente de l'autre personne", 1)
    assert "Initiation à la comptabilité" in waiting


def test_a_direct_log_waits_for_the_other_side(client, auth, pair):
    alice, bob, _offer, _space = pair
    auth.login(bob)
    response = client.post(
        "/echanges/declarer",
        data={
            "direction": "gave",
            "counterpart": str(alice.id),
            "title": "Relecture d'un devis",
            "minutes": "45 min",
        },
    )
    assert response.status_code == 302
    assert _balance(bob) == 0  # nothing moves before Alice confirms
    exchange = db.session.scalar(select(Exchange))
    assert exchange.state == "done" and exchange.minutes == 45
    _as(client, auth, alice)
    client.post(f"/echanges/{exchange.id}/confirmer", data={})
    assert (_balance(alice), _balance(bob)) == (-45, 45)


def test_a_gift_past_the_floor_says_how_much_is_possible_and_moves_nothing(client, auth, pair):
    alice, _bob, _offer, _space = pair
    auth.login(alice)
    response = client.post(
        "/compte/donner", data={"recipient": "pot", "minutes": "25 h", "message": "x"}
    )
    assert response.status_code == 400
    assert "Au plus 20\u00a0h peuvent partir de votre compte" in response.text
    assert _balance(alice) == 0
    response = client.post(
        "/compte/donner",
        data={
            "recipient": "pot",
            "minutes": "2 h",
            "message": "Pour les communs",
            "request_key": "k",
        },
    )
    replay = client.post(
        "/compte/donner",
        data={
            "recipient": "pot",
            "minutes": "2 h",
            "message": "Pour les communs",
            "request_key": "k",
        },
    )
    assert response.status_code == replay.status_code == 302
    assert _balance(alice) == -120 and transfers.pot().balance == 120
    assert "Pour les communs" in client.get("/caisse-commune").text


def test_the_statement_csv_opens_in_a_french_spreadsheet(client, auth, pair):
    alice, bob, _offer, _space = pair
    auth.login(alice)
    client.post(
        "/compte/donner",
        data={"recipient": str(bob.id), "minutes": "1 h 30", "message": '=HYPERLINK("x")'},
    )
    response = client.get("/compte/releve.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Date", "Mouvement", "Contrepartie", "Motif"]
    assert rows[1][1:6] == ["Don", "Bob Durand", '\'=HYPERLINK("x")', "-90", "-1,50"]


def test_a_statement_with_a_reversed_period_or_bad_dates_still_answers(client, auth, pair):
    alice, *_rest = pair
    auth.login(alice)
    assert client.get("/compte?du=2026-12-31&au=2026-01-01").status_code == 200
    assert client.get("/compte?du=hier&au=31/02").status_code == 200
    assert client.get("/compte/releve.csv?du=n'importe").status_code == 200


HOSTILE = [
    "",
    "abc",
    "99999",
    "-5",
    "0",
    "1e9",
    "٣",  # an Arabic-Indic digit: isdigit() says yes, int() agrees, the form must not care
    "\x00",
    "x" * 5000,
    "9999 h 59",
    "2026-02-31",
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_nothing_typed_into_the_exchange_and_account_forms_is_a_500(client, auth, pair, value):
    alice, _bob, offer, _space = pair
    auth.login(alice)
    client.post(f"/annonces/{offer.id}/proposer", data={"message": "Bonjour"})
    exchange = db.session.scalar(select(Exchange))
    before = db.session.scalar(select(func.count(Transfer.id)))
    posts = [
        (f"/annonces/{offer.id}/proposer", {"message": value, "minutes": value}),
        ("/echanges/declarer", {"direction": value, "counterpart": value, "title": value,
                                "minutes": value, "performed_on": value}),
        ("/compte/donner", {"recipient": value, "minutes": value, "message": value,
                            "request_key": value}),
        (f"/echanges/{exchange.id}/temps", {"minutes": value, "performed_on": value}),
        (f"/echanges/{exchange.id}/contester", {"reason": value}),
        (f"/echanges/{exchange.id}/trancher", {"outcome": value, "minutes": value, "reason": value}),
    ]  # fmt: skip
    for path, data in posts:
        response = client.post(path, data=data)
        assert response.status_code < 500, (path, response.status_code)
    for query in (f"?du={value}&au={value}", f"?membre={value}", f"?page={value}"):
        for page in ("/compte", "/compte/releve.csv", "/caisse-commune", "/echanges/declarer"):
            assert client.get(page + query).status_code < 500, page + query
    assert db.session.scalar(select(func.count(Transfer.id))) == before
