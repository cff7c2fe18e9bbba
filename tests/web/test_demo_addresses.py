"""The demo network's addresses (…@archipel.test) work wherever a member types their address to
reach their own account; a new account still needs an address mail can reach."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.demo import ADMIN_EMAIL, demo_email
from models import Membership, User, db
from tests import factories


@pytest.fixture
def demo_member(app):
    return factories.member(display_name="Léa Martin", email=demo_email("Léa", "Martin"))


def test_a_demo_member_asks_for_a_reset_link_and_gets_it_by_email(client, outbox, demo_member):
    response = client.post("/mot-de-passe/oublie", data={"email": "Lea.Martin@archipel.test"})
    assert response.status_code == 200
    assert "Si un compte correspond" in response.text
    assert "n'est pas valide" not in response.text
    (message,) = outbox
    assert message["To"] == "lea.martin@archipel.test"
    assert "/mot-de-passe/nouveau/" in message.get_content()


def test_the_demo_admin_asks_for_a_reset_link_and_gets_it_by_email(client, outbox):
    factories.member(display_name="Camille Roux (admin)", email=ADMIN_EMAIL, admin=True)
    assert client.post("/mot-de-passe/oublie", data={"email": ADMIN_EMAIL}).status_code == 200
    (message,) = outbox
    assert message["To"] == ADMIN_EMAIL


def test_a_demo_member_not_yet_confirmed_gets_a_new_confirmation_link(client, outbox):
    address = demo_email("Karim", "Benali")
    factories.member(display_name="Karim Benali", email=address, confirmed=False)
    response = client.post("/confirmation/renvoyer", data={"email": address})
    assert response.status_code == 200
    assert address in response.text
    (message,) = outbox
    assert message["To"] == address
    assert "/confirmation/" in message.get_content()


def test_a_demo_member_logs_in_with_their_address(client, demo_member):
    data = {"email": demo_member.email, "password": factories.PASSWORD}
    assert client.post("/connexion", data=data).status_code == 302


@pytest.mark.parametrize(
    "address", ["quelqu.un@autre.test", "lea@archipel.local", "lea@archipel.invalid", "lea@test"]
)
def test_other_addresses_no_mail_can_reach_are_still_refused(client, outbox, address):
    response = client.post("/mot-de-passe/oublie", data={"email": address})
    assert response.status_code == 400
    assert "Cette adresse e-mail n'est pas valide." in response.text
    assert outbox == []


def test_signing_up_with_a_demo_address_is_refused_and_creates_nothing(client, outbox):
    response = client.post(
        "/inscription",
        data={
            "display_name": "Nouvelle Personne",
            "email": demo_email("Nouvelle", "Personne"),
            "password": "perce-neige-2031",
        },
    )
    assert response.status_code == 400
    assert "Cette adresse e-mail n'est pas valide." in response.text
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert outbox == []


def test_the_admin_names_a_demo_member_coordinator_by_their_address(client, auth, demo_member):
    space = factories.space("La Ruche")
    factories.join(demo_member, space)
    admin = factories.member(email=ADMIN_EMAIL, admin=True)
    auth.login(admin)
    response = client.post(f"/lieux/{space.id}/coordinateurs", data={"email": demo_member.email})
    assert response.status_code == 302
    role = db.session.scalar(select(Membership.role).where(Membership.user_id == demo_member.id))
    assert role == "coordinator"
