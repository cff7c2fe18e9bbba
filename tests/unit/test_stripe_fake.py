"""The fake Stripe API answers the real `stripe` library as Stripe would (tests/stripe_fake.py)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import stripe

from tests.stripe_fake import API_KEY, FakeStripe, fake_stripe_server, parse_form, sign

WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture(scope="module")
def server():
    yield from fake_stripe_server()


@pytest.fixture
def fake(server: FakeStripe) -> FakeStripe:
    server.reset()
    return server


@pytest.fixture
def client(fake: FakeStripe) -> stripe.StripeClient:
    return stripe.StripeClient(API_KEY, base_addresses={"api": fake.url})


@pytest.fixture
def no_backoff(monkeypatch):
    """Retry at once: the library sleeps at least HTTPClient.INITIAL_DELAY between attempts."""
    monkeypatch.setattr(stripe.HTTPClient, "INITIAL_DELAY", 0.0)


def ready_account(fake: FakeStripe, client: stripe.StripeClient) -> str:
    account = client.v1.accounts.create(params={"type": "express", "country": "FR"})
    fake.make_account_ready(account.id)
    return account.id


def session_params(destination: str | None = None, unit_amount: int = 1250) -> dict:
    params: dict = {
        "mode": "payment",
        "success_url": "https://archipel.test/ok?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://archipel.test/annule",
        "line_items": [
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": unit_amount,
                    "product_data": {"name": "Atelier vélo"},
                },
                "quantity": 1,
            }
        ],
        "metadata": {"fee_id": "3"},
        "client_reference_id": "fee-3",
        "customer_email": "lea@example.org",
        "locale": "fr",
    }
    if destination is not None:
        params["payment_intent_data"] = {
            "application_fee_amount": 150,
            "transfer_data": {"destination": destination},
            "metadata": {"fee_id": "3"},
        }
    return params


def paid_session(fake: FakeStripe, client: stripe.StripeClient) -> dict:
    session = client.v1.checkout.sessions.create(params=session_params(ready_account(fake, client)))
    return fake.complete_checkout(session.id)


# -- Form decoding and recording ------------------------------------------------------------


def test_nested_form_keys_become_dicts_and_lists_with_string_values():
    params = parse_form(
        [
            ("line_items[0][price_data][unit_amount]", "1250"),
            ("line_items[0][quantity]", "1"),
            ("line_items[1][quantity]", "2"),
            ("metadata[fee_id]", "3"),
            ("metadata[0]", "zero"),
            ("payment_intent_data[transfer_data][destination]", "acct_x"),
            ("capabilities[transfers][requested]", "true"),
            ("expand[]", "payment_intent"),
            ("expand[]", "payment_intent.latest_charge"),
        ]
    )
    assert params == {
        "line_items": [
            {"price_data": {"unit_amount": "1250"}, "quantity": "1"},
            {"quantity": "2"},
        ],
        "metadata": {"fee_id": "3", "0": "zero"},
        "payment_intent_data": {"transfer_data": {"destination": "acct_x"}},
        "capabilities": {"transfers": {"requested": "true"}},
        "expand": ["payment_intent", "payment_intent.latest_charge"],
    }


def test_requests_are_recorded_with_nested_params_headers_and_key(fake, client):
    client.v1.accounts.create(
        params={"type": "express", "capabilities": {"transfers": {"requested": True}}}
    )
    (request,) = fake.requests
    assert (request.method, request.path) == ("POST", "/v1/accounts")
    assert request.params == {
        "type": "express",
        "capabilities": {"transfers": {"requested": "true"}},
    }
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    # The library gives every POST a key of its own, retries or not.
    assert request.idempotency_key == request.headers["idempotency-key"]
    assert request.replayed is False
    assert request.status == 200


def test_reset_forgets_objects_requests_and_keys(fake, client):
    options = {"idempotency_key": "reset-me"}
    first = client.v1.accounts.create(params={"type": "express"}, options=options)
    fake.reset()
    assert fake.objects("account") == []
    assert fake.requests == []
    again = client.v1.accounts.create(params={"type": "express"}, options=options)
    assert again.id != first.id


# -- Accounts and links ---------------------------------------------------------------------


def test_an_express_account_is_created_and_retrieved(fake, client):
    account = client.v1.accounts.create(
        params={
            "type": "express",
            "country": "FR",
            "email": "lea@example.org",
            "business_type": "individual",
            "capabilities": {
                "card_payments": {"requested": True},
                "transfers": {"requested": True},
            },
            "metadata": {"member_id": "7"},
        }
    )
    assert account.id.startswith("acct_")
    assert account.object == "account"
    assert (account.type, account.country, account.email) == ("express", "FR", "lea@example.org")
    assert account.charges_enabled is False
    assert account.payouts_enabled is False
    assert account.details_submitted is False
    assert account.capabilities.to_dict() == {"card_payments": "inactive", "transfers": "inactive"}
    assert "external_account" in account.requirements.currently_due
    assert account.requirements.disabled_reason == "requirements.past_due"
    assert account.metadata.to_dict() == {"member_id": "7"}

    retrieved = client.v1.accounts.retrieve(account.id)
    assert retrieved.to_dict() == account.to_dict()


def test_a_ready_account_can_take_payments(fake, client):
    account = client.v1.accounts.create(params={"type": "express"})
    fake.make_account_ready(account.id)
    retrieved = client.v1.accounts.retrieve(account.id)
    assert retrieved.charges_enabled and retrieved.payouts_enabled and retrieved.details_submitted
    assert set(retrieved.capabilities.to_dict().values()) == {"active"}
    assert retrieved.requirements.currently_due == []
    assert retrieved.requirements.disabled_reason is None

    fake.update_account(account.id, payouts_enabled=False)
    assert client.v1.accounts.retrieve(account.id).payouts_enabled is False


def test_an_account_link_points_at_the_fake_and_lasts_five_minutes(fake, client):
    account = client.v1.accounts.create(params={"type": "express"})
    link = client.v1.account_links.create(
        params={
            "account": account.id,
            "refresh_url": "https://archipel.test/stripe/refresh",
            "return_url": "https://archipel.test/stripe/retour",
            "type": "account_onboarding",
        }
    )
    assert link.object == "account_link"
    assert link.url.startswith(f"{fake.url}/setup/e/{account.id}/")
    assert link.expires_at == link.created + 300
    assert requests.get(link.url, timeout=5).status_code == 200

    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.account_links.create(params={"account": account.id, "type": "account_onboarding"})
    assert missing.value.code == "parameter_missing"
    assert missing.value.param == "refresh_url"


def test_an_unknown_account_is_resource_missing(client):
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.accounts.retrieve("acct_nothere")
    assert error.value.http_status == 404
    assert error.value.code == "resource_missing"
    assert error.value.param == "account"


# -- Checkout, payment intents, charges -----------------------------------------------------


def test_a_checkout_session_is_created_retrieved_and_completed(fake, client):
    destination = ready_account(fake, client)
    session = client.v1.checkout.sessions.create(params=session_params(destination))
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.url == f"{fake.url}/c/pay/{session.id}"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_total, session.currency) == (1250, "eur")
    assert session.metadata.to_dict() == {"fee_id": "3"}
    assert session.client_reference_id == "fee-3"
    assert session.payment_intent is None
    assert session.livemode is False
    assert session.expires_at == session.created + 24 * 3600
    assert fake.payment_intent_data(session.id)["transfer_data"] == {"destination": destination}
    assert client.v1.checkout.sessions.retrieve(session.id).to_dict() == session.to_dict()

    completed = fake.complete_checkout(session.id)
    assert (completed["status"], completed["payment_status"]) == ("complete", "paid")

    retrieved = client.v1.checkout.sessions.retrieve(session.id)
    assert retrieved.payment_intent == completed["payment_intent"]
    intent = client.v1.payment_intents.retrieve(retrieved.payment_intent)
    assert intent.id.startswith("pi_")
    assert (intent.status, intent.amount, intent.currency) == ("succeeded", 1250, "eur")
    assert intent.application_fee_amount == 150
    assert intent.transfer_data.destination == destination
    assert intent.metadata.to_dict() == {"fee_id": "3"}
    assert intent.last_payment_error is None
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.id.startswith("ch_")
    assert (charge.paid, charge.status, charge.amount, charge.amount_refunded) == (
        True,
        "succeeded",
        1250,
        0,
    )
    assert charge.payment_intent == intent.id
    assert charge.refunded is False


def test_expand_replaces_ids_with_objects(fake, client):
    session = paid_session(fake, client)
    expanded = client.v1.checkout.sessions.retrieve(
        session["id"], params={"expand": ["payment_intent.latest_charge"]}
    )
    assert expanded.payment_intent.object == "payment_intent"
    assert expanded.payment_intent.latest_charge.status == "succeeded"


def test_a_declined_card_leaves_the_session_open_with_a_waiting_intent(fake, client):
    session = client.v1.checkout.sessions.create(params=session_params(ready_account(fake, client)))
    failed = fake.fail_checkout_payment(session.id)
    assert failed["status"] == "open"
    intent = client.v1.payment_intents.retrieve(failed["payment_intent"])
    assert intent.status == "requires_payment_method"
    assert intent.last_payment_error.code == "card_declined"
    assert intent.last_payment_error.message == "Your card was declined."

    # A second card works: the same intent succeeds.
    completed = fake.complete_checkout(session.id)
    assert completed["payment_intent"] == intent.id
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"


def test_only_an_open_session_expires(fake, client):
    session = client.v1.checkout.sessions.create(params=session_params())
    expired = client.v1.checkout.sessions.expire(session.id)
    assert expired.status == "expired"
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.checkout.sessions.expire(session.id)
    assert error.value.http_status == 400

    other = client.v1.checkout.sessions.create(params=session_params())
    assert fake.expire_checkout(other.id)["status"] == "expired"


@pytest.mark.parametrize(
    ("change", "param", "code"),
    [
        (lambda p: p.pop("mode"), "mode", "parameter_missing"),
        (lambda p: p.pop("line_items"), "line_items", "parameter_missing"),
        (
            lambda p: p["line_items"][0]["price_data"].update(unit_amount=49),
            "line_items[0][price_data][unit_amount]",
            "amount_too_small",
        ),
        (
            lambda p: p["line_items"][0]["price_data"].update(unit_amount="12.50"),
            "line_items[0][price_data][unit_amount]",
            "parameter_invalid_integer",
        ),
        (
            lambda p: p.update(payment_intent_data={"transfer_data": {"destination": "acct_no"}}),
            "payment_intent_data[transfer_data][destination]",
            "resource_missing",
        ),
        (lambda p: p.update(sucess_url="https://typo.test"), "sucess_url", "parameter_unknown"),
    ],
)
def test_a_bad_checkout_session_is_refused(fake, client, change, param, code):
    params = session_params()
    change(params)
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.checkout.sessions.create(params=params)
    assert (error.value.http_status, error.value.param, error.value.code) == (400, param, code)
    assert fake.objects("checkout.session") == []


def test_a_destination_still_onboarding_cannot_receive_transfers(fake, client):
    account = client.v1.accounts.create(params={"type": "express"})
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.checkout.sessions.create(params=session_params(account.id))
    assert error.value.code == "insufficient_capabilities_for_transfer"


# -- Refunds --------------------------------------------------------------------------------


def test_refunds_update_the_charge_until_nothing_remains(fake, client):
    session = paid_session(fake, client)
    refund = client.v1.refunds.create(
        params={
            "payment_intent": session["payment_intent"],
            "amount": 250,
            "reverse_transfer": True,
            "refund_application_fee": True,
        }
    )
    assert refund.id.startswith("re_")
    assert (refund.object, refund.amount, refund.status) == ("refund", 250, "succeeded")
    assert refund.payment_intent == session["payment_intent"]
    assert fake.refund_options(refund.id) == {
        "reverse_transfer": True,
        "refund_application_fee": True,
    }
    charge = client.v1.charges.retrieve(refund.charge)
    assert (charge.amount_refunded, charge.refunded) == (250, False)

    rest = client.v1.refunds.create(params={"charge": charge.id})
    assert rest.amount == 1000
    charge = client.v1.charges.retrieve(charge.id)
    assert (charge.amount_refunded, charge.refunded) == (1250, True)

    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.refunds.create(params={"charge": charge.id, "amount": 1})
    assert error.value.code == "charge_already_refunded"
    assert len(fake.objects("refund")) == 2


def test_refunding_more_than_remains_is_refused(fake, client):
    session = paid_session(fake, client)
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.refunds.create(
            params={"payment_intent": session["payment_intent"], "amount": 1251}
        )
    assert error.value.code == "charge_already_refunded"


def test_a_refund_from_the_dashboard_refunds_the_whole_charge(fake, client):
    session = paid_session(fake, client)
    intent = client.v1.payment_intents.retrieve(session["payment_intent"])
    charge = fake.refund_outside(intent.latest_charge)
    assert (charge["amount_refunded"], charge["refunded"]) == (1250, True)
    (refund,) = fake.objects("refund")
    assert refund["amount"] == 1250


# -- Idempotency and lost answers -----------------------------------------------------------


def test_the_same_key_and_parameters_replay_the_first_answer(fake, client):
    options = {"idempotency_key": "create-account-7"}
    first = client.v1.accounts.create(params={"type": "express"}, options=options)
    second = client.v1.accounts.create(params={"type": "express"}, options=options)
    assert second.id == first.id
    assert second.last_response.headers["Idempotent-Replayed"] == "true"
    assert [r.replayed for r in fake.requests] == [False, True]
    assert len(fake.objects("account")) == 1


def test_the_same_key_with_other_parameters_or_endpoint_is_an_idempotency_error(fake, client):
    options = {"idempotency_key": "create-account-8"}
    client.v1.accounts.create(params={"type": "express"}, options=options)
    with pytest.raises(stripe.IdempotencyError):
        client.v1.accounts.create(params={"type": "standard"}, options=options)
    with pytest.raises(stripe.IdempotencyError):
        client.v1.checkout.sessions.create(params=session_params(), options=options)
    assert len(fake.objects("account")) == 1
    assert fake.objects("checkout.session") == []


def test_a_refused_request_is_not_stored_under_its_key(fake, client):
    options = {"idempotency_key": "session-9"}
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.create(params=session_params(unit_amount=10), options=options)
    session = client.v1.checkout.sessions.create(params=session_params(), options=options)
    assert session.status == "open"


def test_concurrent_requests_with_one_key_create_one_object(fake, client):
    def create(_):
        options = {"idempotency_key": "double-click"}
        return client.v1.accounts.create(params={"type": "express"}, options=options).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(create, range(8)))
    assert len(ids) == 1
    assert len(fake.objects("account")) == 1
    assert sum(not r.replayed for r in fake.requests) == 1


def test_a_lost_answer_is_retried_with_the_same_key_and_replayed(fake, no_backoff):
    client = fake.client(max_network_retries=2)
    fake.fail_next()
    account = client.v1.accounts.create(params={"type": "express"})
    assert [a["id"] for a in fake.objects("account")] == [account.id]
    first, retry = fake.requests
    assert first.idempotency_key == retry.idempotency_key is not None
    assert (first.dropped, first.replayed) == (True, False)
    assert (retry.dropped, retry.replayed) == (False, True)


def test_without_retries_a_lost_answer_is_a_connection_error_yet_the_work_is_done(fake, client):
    fake.fail_next()
    with pytest.raises(stripe.APIConnectionError) as error:
        client.v1.accounts.create(params={"type": "express"})
    assert error.value.should_retry is True
    assert len(fake.objects("account")) == 1


# -- Authentication and unknown URLs --------------------------------------------------------


def test_a_request_without_a_key_is_refused_in_stripes_shape(fake):
    response = requests.post(f"{fake.url}/v1/accounts", data={"type": "express"}, timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert fake.objects("account") == []


def test_a_wrong_key_is_an_authentication_error(fake):
    client = stripe.StripeClient("pk_test_public", base_addresses={"api": fake.url})
    with pytest.raises(stripe.AuthenticationError):
        client.v1.accounts.create(params={"type": "express"})


def test_an_unknown_url_is_unrecognized(fake):
    response = requests.get(
        f"{fake.url}/v1/customers", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=5
    )
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith("Unrecognized request URL")


# -- Events and signatures ------------------------------------------------------------------


def test_a_signed_event_passes_construct_event(fake, client):
    session = paid_session(fake, client)
    event = fake.event("checkout.session.completed", session)
    assert event["id"].startswith("evt_")
    assert (event["object"], event["livemode"], event["pending_webhooks"]) == ("event", False, 1)
    payload = json.dumps(event)
    header = sign(payload, WEBHOOK_SECRET)
    constructed = stripe.Webhook.construct_event(payload, header, WEBHOOK_SECRET, tolerance=300)
    assert constructed.type == "checkout.session.completed"
    assert constructed.data.object.id == session["id"]
    assert (
        stripe.Webhook.construct_event(
            payload.encode(), sign(payload.encode(), WEBHOOK_SECRET), WEBHOOK_SECRET, tolerance=300
        ).id
        == event["id"]
    )


@pytest.mark.parametrize(
    ("secret", "age"), [("whsec_someone_else", 0), (WEBHOOK_SECRET, 301)], ids=["secret", "old"]
)
def test_a_wrong_secret_or_an_old_signature_is_refused(fake, secret, age):
    payload = json.dumps(fake.event("account.updated", {"id": "acct_x", "object": "account"}))
    header = sign(payload, secret, timestamp=int(time.time()) - age)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, header, WEBHOOK_SECRET, tolerance=300)


def test_a_dispute_is_retrieved_as_stripe_describes_it_and_holds_its_charge(fake, client):
    session = paid_session(fake, client)
    intent = client.v1.payment_intents.retrieve(session["payment_intent"])
    dispute = fake.open_dispute(intent.latest_charge)

    got = client.v1.disputes.retrieve(dispute["id"])
    assert (got.object, got.status, got.charge) == (
        "dispute",
        "needs_response",
        intent.latest_charge,
    )
    assert (got.payment_intent, got.amount, got.is_charge_refundable) == (
        intent.id,
        intent.amount,
        False,
    )
    assert client.v1.charges.retrieve(intent.latest_charge).disputed is True
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.refunds.create({"payment_intent": intent.id})
    assert refused.value.code == "charge_disputed"

    fake.update_dispute(dispute["id"], "won")
    assert client.v1.refunds.create({"payment_intent": intent.id}).status == "succeeded"
    with pytest.raises(ValueError):  # a decision is final
        fake.update_dispute(dispute["id"], "lost")
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.disputes.retrieve("dp_1Nobody")


def test_an_inquiry_takes_no_money_and_a_refund_may_answer_it(fake, client):
    session = paid_session(fake, client)
    intent = client.v1.payment_intents.retrieve(session["payment_intent"])
    asked = fake.open_dispute(intent.latest_charge, status="warning_needs_response")
    assert client.v1.disputes.retrieve(asked["id"]).is_charge_refundable is True
    with pytest.raises(ValueError):  # one dispute at a time on a charge
        fake.open_dispute(intent.latest_charge)
    fake.update_dispute(asked["id"], "warning_closed")
    later = fake.open_dispute(intent.latest_charge, amount=500)  # a chargeback after all
    assert (later["amount"], later["status"]) == (500, "needs_response")
