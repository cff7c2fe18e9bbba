"""The same duration field in the exchange forms, the retribution and the network's rules:
a large logged time is read back in words before it is logged, a dispute's form starts from
the declared duration, and the admin sets the threshold."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.services.exchanges import disputes, lifecycle
from exchange.services.ledger import rules as network_rules
from exchange.services.ledger import transfers
from models import Exchange, Transfer, db
from tests import factories


@pytest.fixture
def net(app):
    space = factories.space("La Ruche")
    alice = factories.member("Alice Martin", "alice@example.org")
    bob = factories.member("Bob Durand", "bob@example.org")
    factories.join(alice, space)
    coordinator = factories.coordinator(space, display_name="Colette Coord")
    admin = factories.member("Ada Admin", "ada@example.org", admin=True)
    offer = factories.listing(bob, space, "Réparation de vélo")
    made = lifecycle.propose(alice.id, offer.id, message="Samedi ?", foreseen_minutes=None)
    lifecycle.accept(bob.id, made.id)
    return alice, bob, coordinator, admin, made.id


def _exchange(exchange_id: int) -> Exchange:
    db.session.expire_all()
    return db.session.get(Exchange, exchange_id)


def _transfers() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Transfer))


# ---------------------------------------------------------------------- the logged time


def test_a_logged_time_of_8_h_asks_for_confirmation_and_logs_nothing(client, auth, net):
    _alice, bob, _c, _a, made = net
    auth.login(bob)
    response = client.post(f"/echanges/{made}/temps", data={"minutes": "8"})
    assert response.status_code == 200
    page = response.text
    assert "Vous déclarez 8\u00a0h (huit heures) donnés pour cet échange. C'est bien cela ?" in page
    assert (
        "Oui, déclarer 8\u00a0h" in page
        and 'name="confirmed_large" type="hidden" value="480"' in page
    )
    assert _exchange(made).state == "accepted" and _exchange(made).minutes is None


def test_a_confirmed_logged_time_is_logged_once(client, auth, net):
    _alice, bob, _c, _a, made = net
    auth.login(bob)
    data = {"minutes": "8", "confirmed_large": "480"}
    assert client.post(f"/echanges/{made}/temps", data=data).status_code == 302
    again = client.post(f"/echanges/{made}/temps", data=data)
    assert again.status_code == 302  # already logged: said so, nothing twice
    exchange = _exchange(made)
    assert (exchange.state, exchange.minutes, len(exchange.events)) == ("done", 480, 3)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1,33", "1,33 h n'est pas un nombre entier de minutes : 1\u00a0h\u00a020 ?"),
        ("0", "Une durée de 0 ne fait rien bouger"),
    ],
)
def test_a_logged_time_that_is_no_whole_number_of_minutes_is_refused(
    client, auth, net, typed, said
):
    _alice, bob, _c, _a, made = net
    auth.login(bob)
    response = client.post(f"/echanges/{made}/temps", data={"minutes": typed})
    assert response.status_code == 400 and said in response.text
    assert _exchange(made).state == "accepted"


# ------------------------------------------------------------------------- the direct log


def _direct(client, counterpart, minutes, direction="gave", **extra):
    data = {
        "direction": direction,
        "counterpart": str(counterpart.id),
        "title": "Déménagement",
        "minutes": minutes,
        **extra,
    }
    return client.post("/echanges/declarer", data=data)


def test_a_large_direct_log_asks_for_confirmation_then_waits_for_the_other_side(client, auth, net):
    alice, bob, _c, _a, _made = net
    auth.login(alice)
    response = _direct(client, bob, "12 h 30", direction="received")
    assert response.status_code == 200
    assert (
        "Vous déclarez avoir reçu 12\u00a0h\u00a030 (douze heures trente minutes) de Bob Durand."
        in response.text
    )
    assert db.session.scalar(select(func.count()).select_from(Exchange)) == 1
    response = _direct(
        client, bob, "12 h 30", direction="gave", confirmed_large=f"750:{bob.id}:received"
    )
    assert response.status_code == 200, "the other direction is asked again"
    response = _direct(
        client, bob, "12 h 30", direction="received", confirmed_large=f"750:{bob.id}:received"
    )
    assert response.status_code == 302
    logged = db.session.scalar(select(Exchange).where(Exchange.title == "Déménagement"))
    assert (logged.minutes, logged.provider_id, logged.state) == (750, bob.id, "done")
    assert _transfers() == 0  # nothing moves before Bob confirms


def test_a_direct_log_of_1_33_is_refused_with_the_nearest(client, auth, net):
    alice, bob, _c, _a, _made = net
    auth.login(alice)
    response = _direct(client, bob, "1,33")
    assert response.status_code == 400
    assert "1,33 h n'est pas un nombre entier de minutes : 1\u00a0h\u00a020 ?" in response.text
    assert db.session.scalar(select(func.count()).select_from(Exchange)) == 1


# --------------------------------------------------------------------------- the dispute


def test_the_dispute_form_starts_from_the_declared_duration_and_says_what_blank_means(
    client, auth, net
):
    alice, bob, coordinator, _a, made = net
    lifecycle.log_time(bob.id, made, minutes=90)
    disputes.dispute(alice.id, made, "Une heure, pas une heure et demie")
    auth.login(coordinator)
    page = client.get(f"/echanges/{made}").text
    assert 'name="minutes" type="text" value="1 h 30"' in page
    assert "Confirmer l'échange avec la durée retenue" in page
    assert "Laissée vide, c'est la durée déclarée qui est retenue." in page

    refused = client.post(
        f"/echanges/{made}/trancher",
        data={"outcome": "confirm", "minutes": "0,01", "reason": "Vu avec eux"},
    )
    assert refused.status_code == 400
    assert "0,01 h n'est pas un nombre entier de minutes : 1\u00a0min ?" in refused.text
    assert _transfers() == 0
    done = client.post(
        f"/echanges/{made}/trancher",
        data={"outcome": "confirm", "minutes": "1 h", "reason": "Vu avec eux"},
    )
    assert done.status_code == 302
    assert transfers.account_of(bob.id).balance == 60


# ------------------------------------------------------------------ retribution and rules


def test_a_retribution_of_1_33_is_refused_with_the_nearest(client, auth, net):
    alice, _bob, coordinator, _a, _made = net
    auth.login(coordinator)
    response = client.post(
        "/caisse-commune/retribuer",
        data={"recipient": str(alice.id), "minutes": "1,33", "reason": "Atelier"},
    )
    assert response.status_code == 400
    assert "1,33 h n'est pas un nombre entier de minutes : 1\u00a0h\u00a020 ?" in response.text
    assert _transfers() == 0


def _rules(client, **changes):
    data = {"overdraft": "20 h", "ceiling": "100 h", "welcome_grant": "0", **changes}
    return client.post("/admin/reglages", data=data)


def test_the_admin_sets_the_amount_above_which_a_gift_or_log_is_confirmed(client, auth, net):
    _alice, bob, _c, admin, made = net
    auth.login(admin)
    page = client.get("/admin/reglages").text
    assert "Confirmer les dons et les temps déclarés au-delà de" in page
    assert 'name="large_amount" type="text" value="5 h"' in page
    assert _rules(client, large_amount="2 h").status_code == 302
    assert network_rules.current().large_amount == 120

    auth.logout()
    auth.login(bob)
    response = client.post(f"/echanges/{made}/temps", data={"minutes": "2 h 30"})
    assert response.status_code == 200 and "C'est bien cela ?" in response.text


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"large_amount": "0"}, "Une durée de 0 ne fait rien bouger"),
        ({"large_amount": "1,33"}, "1,33 h n'est pas un nombre entier de minutes"),
        ({"overdraft": "0,01"}, "0,01 h n'est pas un nombre entier de minutes : 1\u00a0min ?"),
    ],
)
def test_the_rules_refuse_a_threshold_of_0_or_a_limit_of_no_whole_minutes(
    client, auth, net, changes, said
):
    auth.login(net[3])
    before = network_rules.current()
    response = _rules(client, **changes)
    assert response.status_code == 400 and said in response.text
    db.session.expire_all()
    assert network_rules.current() == before


def test_a_limit_of_0_stays_allowed(client, auth, net):
    auth.login(net[3])
    assert _rules(client, overdraft="0", large_amount="5 h").status_code == 302
    assert network_rules.current().credit_floor == 0
