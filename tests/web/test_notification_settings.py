"""The page where a member chooses their notifications: what it offers, what it saves."""

from __future__ import annotations

from models import User, db
from tests import factories


def _login(client, user):
    client.post("/connexion", data={"email": user.email, "password": factories.PASSWORD})


def test_the_page_offers_off_only_where_it_may_be_and_saves_a_choice(client, member):
    _login(client, member)
    page = client.get("/compte/notifications")
    assert page.status_code == 200
    assert 'name="waiting" type="radio" value="off"' in page.text
    assert 'name="ledger" type="radio" value="off"' not in page.text
    saved = client.post("/compte/notifications", data={"waiting": "site", "ledger": "email"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).notification_channels["waiting"] == "site"


def test_a_forged_off_for_money_is_refused_in_words_and_changes_nothing(client, member):
    _login(client, member)
    refused = client.post("/compte/notifications", data={"ledger": "off"})
    assert refused.status_code == 400
    assert "reste au moins sur le site" in refused.text
    db.session.expire_all()
    assert db.session.get(User, member.id).notification_channels is None
