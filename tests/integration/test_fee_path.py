"""The whole path of a fee, with the real stripe library and the fake Stripe on localhost:
attached on accepting, paid on Checkout, known as paid from the webhook; credits move on
confirmation whatever the fee's state."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from exchange.services.exchanges import lifecycle
from exchange.services.ledger import transfers
from exchange.services.money import checkout, connect, fees
from models import Fee, Notification, StripeEvent, db
from tests import factories
from tests.conftest import WEBHOOK_SECRET
from tests.stripe_fake import sign


def _pair():
    space = factories.space("La Ruche")
    provider = factories.member("Paule Prête", email="paule@example.org")
    receiver = factories.member("Rémi Reçoit", email="remi@example.org")
    for person in (provider, receiver):
        factories.join(person, space)
    offer = factories.listing(provider, space, "Réparer un vélo")
    return provider, receiver, offer


def _ready_account(fake, user):
    url = connect.onboarding_url(user.id)
    assert url.startswith(fake.url)
    account = connect.account_of(user.id)
    fake.make_account_ready(account.stripe_id)
    connect.sync(account.stripe_id)
    return connect.account_of(user.id)


def deliver(client, fake, event, *, secret=WEBHOOK_SECRET, timestamp=None):
    payload = json.dumps(event)
    response = client.post(
        "/webhooks/stripe",
        data=payload,
        headers={"Stripe-Signature": sign(payload, secret, timestamp)},
        content_type="application/json",
    )
    response.close()
    return response


def test_fee_from_accepting_to_paid_through_checkout_and_webhook(app, client, fake_stripe):
    provider, receiver, offer = _pair()
    account = _ready_account(fake_stripe, provider)
    assert account.state == "ready"
    exchange = lifecycle.propose(receiver.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(provider.id, exchange.id, "Oui", fee_cents=1250, fee_covers="Chambre à air")
    fee = fees.of_exchange(exchange.id)
    assert (fee.amount_cents, fee.state, fee.covers) == (1250, "due", "Chambre à air")

    url = checkout.start_checkout(receiver.id, exchange.id)
    assert url == checkout.start_checkout(receiver.id, exchange.id)  # a double click: one session
    sessions = fake_stripe.objects("checkout.session")
    assert len(sessions) == 1
    intent_data = fake_stripe.payment_intent_data(sessions[0]["id"])
    assert intent_data["transfer_data"]["destination"] == account.stripe_id

    completed = fake_stripe.complete_checkout(sessions[0]["id"])
    response = deliver(
        client, fake_stripe, fake_stripe.event("checkout.session.completed", completed)
    )
    assert response.status_code == 200
    db.session.expire_all()
    fee = db.session.get(Fee, fee.id)
    assert fee.state == "paid" and fee.payment_intent_id and fee.charge_id
    assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 1
    assert (
        db.session.scalar(
            select(func.count()).where(
                Notification.kind == "fee_paid", Notification.user_id == provider.id
            )
        )
        == 1
    )

    lifecycle.log_time(provider.id, exchange.id, minutes=60)
    lifecycle.confirm(receiver.id, exchange.id)
    assert transfers.account_of(provider.id).balance == 60


def test_with_fees_on_the_pages_let_the_pay_and_connect_buttons_reach_stripe(app, client):
    """Chromium applies form-action to a form's redirect: the buttons' 303 to Checkout and to
    onboarding must be allowed, and only while fees are on."""
    off = client.get("/").headers["Content-Security-Policy"]
    assert "form-action 'self';" in off and "stripe.com" not in off
    app.config.update(
        STRIPE_SECRET_KEY="sk_test_x",
        STRIPE_WEBHOOK_SECRET="whsec_x",
        STRIPE_PUBLISHABLE_KEY="pk_x",
    )
    on = client.get("/").headers["Content-Security-Policy"]
    assert "form-action 'self' https://checkout.stripe.com https://connect.stripe.com;" in on
