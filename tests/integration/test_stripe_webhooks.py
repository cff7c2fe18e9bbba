"""Stripe's webhook (/webhooks/stripe) and what it leads to (services/stripe_events.py), with
the real stripe library talking to the fake Stripe on localhost and events signed locally.

Issue 6, points 6 and 10: a missing or bad signature, a stale timestamp or a body that is not
an event gets 400 and writes nothing; each event is recorded once by its id; the answer leaves
before the slow work; duplicated and reordered deliveries end in the same state as one ordered
delivery, with every effect once, because each handler fetches the object's current state from
Stripe instead of trusting the event; a failed handling is kept and tried again by
`flask stripe process-events`.

About the test client: `client.post(...)` is not buffered by default (`buffered=False`, said
explicitly below). Werkzeug's `run_wsgi_app` then hands back the app's iterator unclosed, so
the callbacks registered with `response.call_on_close` (the handling after the answer) run only
when the test calls `response.close()`, exactly as a WSGI server runs them after the last
byte went out. With `buffered=True` the body is read and closed inside `post`, so the handling
would already be done when the test sees the response.
"""

from __future__ import annotations

import json
import random
import socket
import time
from collections import Counter
from datetime import timedelta
from typing import NamedTuple

import pytest
from sqlalchemy import func, select

from exchange.services.exchanges import disputes, lifecycle
from exchange.services.money import checkout as money_checkout
from exchange.services.money import connect, fees
from models import (
    Exchange,
    ExchangeEvent,
    Fee,
    Notification,
    Space,
    StripeAccount,
    StripeEvent,
    User,
    db,
)
from models.base import utcnow
from tests import factories
from tests.conftest import WEBHOOK_SECRET, _empty_tables
from tests.stripe_fake import sign
from tests.web.test_security import changed_tables, snapshot

# --- helpers -------------------------------------------------------------------------------


def post_webhook(client, payload, signature):
    """POST a raw body with an optional Stripe-Signature header; the response is left open
    (the handling after the answer has not run yet)."""
    headers = {} if signature is None else {"Stripe-Signature": signature}
    return client.post(
        "/webhooks/stripe",
        data=payload,
        headers=headers,
        content_type="application/json",
        buffered=False,  # keep the after-answer work for response.close() (module docstring)
    )


def deliver(client, event, *, secret=WEBHOOK_SECRET, timestamp=None, close=True):
    """Stripe sends one event, signed; by default the connection is then closed, which runs
    the handling after the answer."""
    payload = json.dumps(event)
    response = post_webhook(client, payload, sign(payload, secret, timestamp))
    if close:
        response.close()
    db.session.expire_all()
    return response


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def stripe_event(event_id: str) -> StripeEvent:
    return db.session.scalar(select(StripeEvent).where(StripeEvent.event_id == event_id))


def history(exchange_id: int, kind: str) -> int:
    return count(
        ExchangeEvent, ExchangeEvent.exchange_id == exchange_id, ExchangeEvent.kind == kind
    )


def notices(user, kind: str) -> int:
    return count(Notification, Notification.user_id == user.id, Notification.kind == kind)


def app_gets(fake, since: int) -> list:
    return [r for r in fake.requests[since:] if r.method == "GET"]


def ready_account(fake, user) -> StripeAccount:
    """The provider opens a Stripe account and comes back from onboarding with it ready."""
    connect.onboarding_url(user.id)
    account = connect.account_of(user.id)
    fake.make_account_ready(account.stripe_id)
    connect.refresh(user.id)
    return connect.account_of(user.id)


def due_fee(provider, receiver, space, title: str, cents: int = 1200) -> Exchange:
    """An accepted exchange carrying a due fee."""
    offer = factories.listing(provider, space, title)
    exchange = lifecycle.propose(receiver.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(provider.id, exchange.id, "Oui", fee_cents=cents, fee_covers="Matériel")
    return exchange


class Pair(NamedTuple):
    space: Space
    provider: User
    receiver: User


class Paid(NamedTuple):
    exchange: Exchange
    fee_id: int
    event: dict
    provider: User
    receiver: User


@pytest.fixture
def pair(app):
    space = factories.space("La Ruche")
    provider = factories.member("Paule Prête", email="paule@example.org")
    receiver = factories.member("Rémi Reçoit", email="remi@example.org")
    for person in (provider, receiver):
        factories.join(person, space)
    return Pair(space, provider, receiver)


@pytest.fixture
def paid_on_stripe(fake_stripe, pair):
    """A fee the receiver has paid on Checkout; Stripe has not told us yet (`event` is the
    checkout.session.completed it will send)."""
    space, provider, receiver = pair
    ready_account(fake_stripe, provider)
    exchange = due_fee(provider, receiver, space, "Réparer un vélo")
    money_checkout.start_checkout(receiver.id, exchange.id)
    fee = fees.of_exchange(exchange.id)
    completed = fake_stripe.complete_checkout(fee.checkout_session_id)
    event = fake_stripe.event("checkout.session.completed", completed)
    return Paid(exchange, fee.id, event, provider, receiver)


# --- 1. only Stripe, only recent: 400 and nothing written ----------------------------------


def _bad_deliveries(event: dict) -> dict[str, tuple[bytes | str, str | None]]:
    payload = json.dumps(event)
    tampered = payload.replace('"paid"', '"unpaid"')
    assert tampered != payload
    now = int(time.time())
    return {
        "missing signature": (payload, None),
        "empty signature": (payload, ""),
        "garbage signature": (payload, "t=abc,v1=zz"),
        "wrong secret": (payload, sign(payload, "whsec_someone_else")),
        "tampered payload": (tampered, sign(payload, WEBHOOK_SECRET)),
        "301 seconds old": (payload, sign(payload, WEBHOOK_SECRET, timestamp=now - 301)),
        "not JSON": (
            "checkout.session.completed",
            sign("checkout.session.completed", WEBHOOK_SECRET),
        ),
        "empty body": ("", sign("", WEBHOOK_SECRET)),
        "JSON, not an event": ("{}", sign("{}", WEBHOOK_SECRET)),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing signature",
        "empty signature",
        "garbage signature",
        "wrong secret",
        "tampered payload",
        "301 seconds old",
        "not JSON",
        "empty body",
        "JSON, not an event",
    ],
)
def test_bad_or_stale_signature_gets_400_and_writes_nothing(
    client, fake_stripe, paid_on_stripe, case
):
    fee_id, event = paid_on_stripe.fee_id, paid_on_stripe.event
    payload, signature = _bad_deliveries(event)[case]
    before, sent = snapshot(), len(fake_stripe.requests)

    response = post_webhook(client, payload, signature)
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid signature"}
    response.close()

    assert changed_tables(before, snapshot()) == []
    assert fake_stripe.requests[sent:] == []  # nothing asked of Stripe either
    assert db.session.get(Fee, fee_id).state == "due"


@pytest.mark.parametrize("body", ["[]", "null", "1"])
def test_signed_json_that_is_not_an_object_gets_400(client, fake_stripe, body):
    before = snapshot()
    response = post_webhook(client, body, sign(body, WEBHOOK_SECRET))
    assert response.status_code == 400
    response.close()
    assert changed_tables(before, snapshot()) == []


def test_signature_299_seconds_old_is_accepted(client, fake_stripe, paid_on_stripe):
    fee_id, event = paid_on_stripe.fee_id, paid_on_stripe.event
    response = deliver(client, event, timestamp=int(time.time()) - 299)
    assert response.status_code == 200
    assert response.get_json() == {"received": True}
    assert stripe_event(event["id"]).processed_at is not None
    assert db.session.get(Fee, fee_id).state == "paid"


def test_any_of_several_webhook_secrets_is_accepted(app, client, fake_stripe, paid_on_stripe):
    # The platform's endpoint and the connected accounts' endpoint sign with one secret each.
    fee_id, event = paid_on_stripe.fee_id, paid_on_stripe.event
    app.config["STRIPE_WEBHOOK_SECRET"] = f"whsec_platform, {WEBHOOK_SECRET}"
    before = snapshot()
    assert deliver(client, event, secret="whsec_neither").status_code == 400
    assert changed_tables(before, snapshot()) == []
    assert deliver(client, event, secret="whsec_platform").status_code == 200
    assert count(StripeEvent) == 1
    assert db.session.get(Fee, fee_id).state == "paid"


# --- 2. fees off -----------------------------------------------------------------------------


def test_webhook_is_not_there_when_online_fees_are_off(app, client):
    assert not app.config["STRIPE_SECRET_KEY"]
    event = {
        "id": "evt_1offline",
        "object": "event",
        "type": "checkout.session.completed",
        "livemode": False,
        "data": {"object": {"id": "cs_test_a1offline", "object": "checkout.session"}},
    }
    before = snapshot()
    response = deliver(client, event)
    assert response.status_code == 404
    assert changed_tables(before, snapshot()) == []


# --- 3. recorded once by its id -------------------------------------------------------------


def test_same_event_three_times_is_one_row_and_one_effect(client, fake_stripe, paid_on_stripe):
    exchange, fee_id, event, provider, _ = paid_on_stripe

    answers = [deliver(client, event) for _ in range(3)]

    assert [(a.status_code, a.get_json()) for a in answers] == [(200, {"received": True})] * 3
    assert count(StripeEvent) == 1
    row = stripe_event(event["id"])
    assert (row.type, row.object_id) == (
        "checkout.session.completed",
        event["data"]["object"]["id"],
    )
    assert row.processed_at is not None and row.attempts == 1
    assert db.session.get(Fee, fee_id).state == "paid"
    assert history(exchange.id, "fee_paid") == 1
    assert notices(provider, "fee_paid") == 1


def test_duplicate_arriving_before_the_first_is_handled_has_one_effect(
    client, fake_stripe, paid_on_stripe
):
    # Stripe sent it again while our first answer was still on its way: both deliveries
    # see an unhandled row and both ask for a handling; the second finds it done.
    exchange, _, event, provider, _ = paid_on_stripe
    first = deliver(client, event, close=False)
    second = deliver(client, event, close=False)
    assert (first.status_code, second.status_code) == (200, 200)
    first.close()
    second.close()
    db.session.expire_all()

    row = stripe_event(event["id"])
    assert count(StripeEvent) == 1
    assert row.processed_at is not None and row.attempts == 1
    assert history(exchange.id, "fee_paid") == 1
    assert notices(provider, "fee_paid") == 1


# --- 4. the answer leaves before the slow work ----------------------------------------------


def test_answer_comes_before_the_event_is_handled(client, fake_stripe, paid_on_stripe):
    fee_id, event = paid_on_stripe.fee_id, paid_on_stripe.event
    sent = len(fake_stripe.requests)

    response = deliver(client, event, close=False)

    # The client holds the answer; the server has not reached call_on_close yet.
    assert response.status_code == 200
    row = stripe_event(event["id"])
    assert row is not None  # recorded before answering: a crash now loses nothing
    assert (row.processed_at, row.attempts) == (None, 0)
    assert app_gets(fake_stripe, sent) == []  # Stripe not asked yet
    assert db.session.get(Fee, fee_id).state == "due"

    response.close()
    db.session.expire_all()

    row = stripe_event(event["id"])
    assert row.processed_at is not None and row.attempts == 1
    assert app_gets(fake_stripe, sent)  # now it asked Stripe for the session
    assert db.session.get(Fee, fee_id).state == "paid"


# --- 5. out of order and duplicated ---------------------------------------------------------


class World:
    """A small network where money moves: 5 providers opening Stripe accounts, 12 fees, and
    the 50 events Stripe sends about them.

    `live=True` delivers each event the moment it happens on Stripe: the ordered delivery,
    the reference. `live=False` holds them back so the test can deliver them afterwards, in
    any order. Everything else is the same sequence of calls (including what the app does
    without webhooks: the return from onboarding, the return from Checkout), so two worlds
    differ only in when their events arrive.
    """

    def __init__(self, client, fake, *, live: bool):
        self.client, self.fake, self.live = client, fake, live
        self.events: list[dict] = []
        self.exchanges: dict[str, Exchange] = {}
        self.users: dict[str, User] = {}

    def emit(self, type_: str, obj: dict, account: str | None = None) -> None:
        event = self.fake.event(type_, obj, account=account)
        self.events.append(event)
        if self.live:
            assert deliver(self.client, event).status_code == 200

    def member(self, key: str, name: str) -> User:
        user = factories.member(name, email=f"{key}@example.org")
        factories.join(user, self.space)
        self.users[key] = user
        return user

    # Stripe's side -------------------------------------------------------------------------

    def onboard(self, key: str, *, finishes: bool, comes_back: bool) -> None:
        """The provider opens an account and fills Stripe's pages; each change is an
        account.updated. `comes_back`: the return from onboarding asks Stripe at once."""
        user = self.users[key]
        connect.onboarding_url(user.id)
        acct = connect.account_of(user.id).stripe_id
        fake = self.fake
        self.emit(
            "account.updated",
            fake.update_account(acct, capabilities={"card_payments": "pending"}),
            acct,
        )
        self.emit("account.updated", fake.update_account(acct, details_submitted=True), acct)
        if finishes:
            self.emit("account.updated", fake.make_account_ready(acct), acct)
        if comes_back:
            connect.refresh(user.id)

    def fee(self, name: str, provider: str, receiver: str, cents: int) -> Exchange:
        exchange = due_fee(self.users[provider], self.users[receiver], self.space, name, cents)
        self.exchanges[name] = exchange
        return exchange

    def checkout(self, name: str, *, later: bool = False) -> str:
        """The receiver opens Checkout (`later`: two hours on, the previous session gone)."""
        exchange = self.exchanges[name]
        now = utcnow() + timedelta(hours=2) if later else None
        money_checkout.start_checkout(exchange.receiver_id, exchange.id, now=now)
        return fees.of_exchange(exchange.id).checkout_session_id

    def pays(self, session_id: str) -> str:
        session = self.fake.complete_checkout(session_id)
        intent = self.fake.get("payment_intent", session["payment_intent"])
        self.emit("checkout.session.completed", session)
        self.emit("payment_intent.succeeded", intent)
        self.emit("charge.succeeded", self.fake.get("charge", intent["latest_charge"]))
        return intent["latest_charge"]

    def declined(self, session_id: str, message: str) -> None:
        session = self.fake.fail_checkout_payment(session_id, message)
        intent = self.fake.get("payment_intent", session["payment_intent"])
        self.emit("payment_intent.payment_failed", intent)
        self.emit("charge.failed", self.fake.get("charge", intent["latest_charge"]))

    def expires(self, session_id: str) -> None:
        self.emit("checkout.session.expired", self.fake.expire_checkout(session_id))

    def refunded(self, charge_id: str) -> None:
        self.emit("charge.refunded", self.fake.get("charge", charge_id))

    # The story -------------------------------------------------------------------------------

    def build(self) -> World:
        self.space = factories.space("La Ruche")
        coordinator = factories.coordinator(
            self.space, display_name="Coline Coord", email="coord@example.org"
        )
        for i in range(5):
            self.member(f"p{i}", f"Prestataire {i}")
        for i in range(3):
            self.member(f"r{i}", f"Receveur {i}")
        # p0-p2 finish onboarding and come back; p3 finishes but closes the tab (only the
        # webhook tells us); p4 stops halfway and stays pending.
        for key in ("p0", "p1", "p2"):
            self.onboard(key, finishes=True, comes_back=True)
        self.onboard("p3", finishes=True, comes_back=False)
        self.onboard("p4", finishes=False, comes_back=False)
        plan = [  # name, provider, receiver, cents
            ("F0", "p0", "r0", 500),
            ("F1", "p0", "r1", 600),
            ("F2", "p1", "r2", 700),
            ("F3", "p1", "r0", 800),
            ("F4", "p1", "r1", 900),
            ("F5", "p2", "r2", 1000),
            ("F6", "p2", "r0", 1100),
            ("F7", "p2", "r1", 1200),
            ("F8", "p3", "r2", 1300),
            ("F9", "p4", "r0", 1400),
            ("F10", "p0", "r2", 1500),
            ("F11", "p2", "r1", 1600),
        ]
        for name, provider, receiver, cents in plan:
            self.fee(name, provider, receiver, cents)

        self.pays(self.checkout("F0"))  # paid at once
        self.expires(self.checkout("F1"))  # abandoned, then paid on a new session
        self.pays(self.checkout("F1", later=True))
        session = self.checkout("F2")  # declined, then paid on the same session
        self.declined(session, "Your card was declined.")
        self.pays(session)
        session = self.checkout("F3")  # declined twice, never paid
        self.declined(session, "Your card was declined.")
        self.declined(session, "Your card has insufficient funds.")

        f4 = self.exchanges["F4"]  # paid; back from Checkout; disputed; refunded here
        session = self.checkout("F4")
        charge = self.pays(session)
        money_checkout.sync_checkout(session)  # what /echanges/<id>/frais/paye does
        lifecycle.log_time(f4.provider_id, f4.id, minutes=60)
        disputes.dispute(f4.receiver_id, f4.id, "Pas venu")
        fees.refund(coordinator.id, f4.id, "Le travail n'a pas été fait")
        self.refunded(charge)

        charge = self.pays(self.checkout("F5"))  # paid, refunded from Stripe's dashboard
        self.fake.refund_outside(charge)
        self.refunded(charge)
        self.expires(self.checkout("F6"))  # abandoned, nothing more
        session = self.checkout("F7")  # the provider was paid in cash: the session expires
        f7 = self.exchanges["F7"]
        fees.settle_outside(f7.provider_id, f7.id)
        self.emit("checkout.session.expired", self.fake.get("checkout.session", session))
        # F8 (p3 not ready yet when it was attached) stays due.
        f9 = self.exchanges["F9"]  # p4 has no ready account: cash
        fees.settle_outside(f9.provider_id, f9.id)
        charge = self.pays(self.checkout("F10"))  # paid, refunded from the dashboard
        self.fake.refund_outside(charge)
        self.refunded(charge)
        session = self.checkout("F11")  # declined, abandoned, paid on a new session
        self.declined(session, "Your card was declined.")
        self.expires(session)
        self.pays(self.checkout("F11", later=True))
        return self


def final_state(world: World) -> dict:
    """What the people and the money ledger see, without what only says *when*.

    Compared: each fee's row (state, attempt, amounts, what it covers, the failure message,
    which Stripe objects it points at, whether it is paid/refunded/settled/closed and has an
    open Checkout link, who refunded it), each Stripe account (its Stripe object, the three
    flags, its state), how many history steps of each kind each exchange has, how many
    notices of each kind each member has, and the recorded events (each handled once).

    Stripe ids are random in the fake, so each is named by its rank among the fake's objects
    of its kind (both worlds create them in the same order). Members and exchanges are named
    by email and title, not by database id. Timestamps are left out: only their presence is
    a fact of the ledger.

    Notices of a failed payment are returned apart (`failure_notices`): they may
    legitimately differ between deliveries. A payment_intent.payment_failed delivered while
    the payment is still failing is news, and the receiver is told (once per distinct
    reason); the same event delivered after the payment succeeded, or after a second
    failure replaced its reason, is old news, and the handler, reading Stripe's current
    state, ignores it. So a real-time delivery can tell a receiver more than a late one;
    the fee rows end the same either way.
    """
    fake = world.fake
    rank = {
        obj.get("id"): f"{kind}#{i}"
        for kind in ("account", "checkout.session", "payment_intent", "charge", "refund")
        for i, obj in enumerate(fake.objects(kind))
    }
    db.session.expire_all()
    emails = {u.id: u.email for u in db.session.scalars(select(User))}
    titles = {e.id: e.title for e in db.session.scalars(select(Exchange))}
    fee_rows = {
        titles[f.exchange_id]: {
            "state": f.state,
            "attempt": f.checkout_attempt,
            "amount": f.amount_cents,
            "commons": f.commons_cents,
            "covers": f.covers,
            "failure": f.failure_message,
            "session": rank.get(f.checkout_session_id),
            "intent": rank.get(f.payment_intent_id),
            "charge": rank.get(f.charge_id),
            "refund": rank.get(f.refund_id),
            "open link": f.checkout_url is not None,
            "link expiry": f.checkout_expires_at is not None,
            "paid": f.paid_at is not None,
            "refunded": f.refunded_at is not None,
            "settled": f.settled_at is not None,
            "closed": f.closed_at is not None,
            "refunded by": emails.get(f.refunded_by_id),
            "parties": (emails[f.provider_id], emails[f.receiver_id]),
        }
        for f in db.session.scalars(select(Fee))
    }
    accounts = {
        emails[a.user_id]: (
            rank[a.stripe_id],
            a.details_submitted,
            a.charges_enabled,
            a.payouts_enabled,
            a.state,
            a.links_made,
        )
        for a in db.session.scalars(select(StripeAccount))
    }
    steps = Counter(
        (titles[e.exchange_id], e.kind, emails.get(e.actor_id))
        for e in db.session.scalars(select(ExchangeEvent))
    )
    told = Counter((emails[n.user_id], n.kind) for n in db.session.scalars(select(Notification)))
    failure_notices = Counter({key: n for key, n in told.items() if key[1] == "fee_payment_failed"})
    events = Counter(
        (e.type, e.processed_at is not None, e.attempts, e.last_error)
        for e in db.session.scalars(select(StripeEvent))
    )
    return {
        "fees": fee_rows,
        "accounts": accounts,
        "steps": steps,
        "notices": told - failure_notices,
        "events": events,
        "failure_notices": failure_notices,
    }


def _assert_effects_once(state: dict) -> None:
    fees_ = state["fees"]
    assert {name: row["state"] for name, row in fees_.items()} == {
        "F0": "paid",
        "F1": "paid",
        "F2": "paid",
        "F3": "due",
        "F4": "refunded",
        "F5": "refunded",
        "F6": "due",
        "F7": "settled",
        "F8": "due",
        "F9": "settled",
        "F10": "refunded",
        "F11": "paid",
    }
    for name, row in fees_.items():
        paid = row["state"] in ("paid", "refunded")
        assert state["steps"][(name, "fee_paid", row["parties"][1])] == int(paid), name
        assert state["steps"][(name, "fee_refunded", row["refunded by"])] == int(
            row["state"] == "refunded"
        ), name
        assert row["paid"] == paid and bool(row["intent"]) == paid and bool(row["charge"]) == paid
        assert row["refunded"] == (row["state"] == "refunded")
    # The failure seen after the success is old news: F2 and F11 were paid in the end.
    assert fees_["F2"]["failure"] == fees_["F11"]["failure"] == ""
    assert fees_["F3"]["failure"] == "Your card has insufficient funds."
    assert (fees_["F1"]["attempt"], fees_["F11"]["attempt"]) == (2, 2)
    assert not fees_["F6"]["open link"] and fees_["F3"]["open link"]
    assert fees_["F4"]["refunded by"] == "coord@example.org" and fees_["F4"]["refund"]
    assert fees_["F5"]["refunded by"] is None  # refunded on Stripe's dashboard
    provider_paid = Counter(row["parties"][0] for row in fees_.values() if row["paid"])
    for email, n in provider_paid.items():
        assert state["notices"][(email, "fee_paid")] == n, email
    assert {email: acc[4] for email, acc in state["accounts"].items()} == {
        "p0@example.org": "ready",
        "p1@example.org": "ready",
        "p2@example.org": "ready",
        "p3@example.org": "ready",  # only the webhook said so
        "p4@example.org": "pending",
    }
    for i, n in enumerate([1, 1, 1, 1, 0]):
        assert state["notices"][(f"p{i}@example.org", "stripe_ready")] == n
    # 50 events, every one handled once (duplicates were recognised, never handled again).
    assert sum(state["events"].values()) == 50
    assert all(
        done and attempts == 1 and not error for (_, done, attempts, error) in state["events"]
    )


@pytest.mark.parametrize("seed", [11, 2024])
def test_shuffled_triple_delivery_ends_like_one_ordered_delivery(app, client, fake_stripe, seed):
    ordered = World(client, fake_stripe, live=True).build()
    assert len(ordered.events) == 50
    expected = final_state(ordered)
    _assert_effects_once(expected)

    # A second, identical world, from scratch: empty tables, a fresh fake, the same story.
    db.session.remove()
    _empty_tables()
    fake_stripe.reset()
    held = World(client, fake_stripe, live=False).build()
    assert [e["type"] for e in held.events] == [e["type"] for e in ordered.events]
    deliveries = held.events * 3
    random.Random(seed).shuffle(deliveries)
    answers = Counter(deliver(client, event).status_code for event in deliveries)
    assert answers == {200: 150}
    got = final_state(held)
    _assert_effects_once(got)

    for part in ("fees", "accounts", "steps", "notices", "events"):
        assert got[part] == expected[part], part
    # Told in real time: F2's first refusal (before it was paid), F3's two different
    # reasons, F11's refusal before its new session. Told late: F3's last reason; F2's
    # refusal is ignored (its intent succeeded since).
    assert expected["failure_notices"] == {
        ("r2@example.org", "fee_payment_failed"): 1,
        ("r0@example.org", "fee_payment_failed"): 2,
        ("r1@example.org", "fee_payment_failed"): 1,
    }
    late = got["failure_notices"]
    assert late[("r0@example.org", "fee_payment_failed")] == 1
    assert late[("r2@example.org", "fee_payment_failed")] == 0
    # F11's refusal, on a session abandoned (its intent cancelled) before the fee was paid on
    # a new one, is old news whatever the order.
    assert late[("r1@example.org", "fee_payment_failed")] == 0


def test_failure_seen_after_the_payment_succeeded_is_old_news(client, fake_stripe, pair):
    space, provider, receiver = pair
    ready_account(fake_stripe, provider)
    exchange = due_fee(provider, receiver, space, "Réparer un vélo")
    money_checkout.start_checkout(receiver.id, exchange.id)
    session_id = fees.of_exchange(exchange.id).checkout_session_id
    declined = fake_stripe.fail_checkout_payment(session_id, "Your card was declined.")
    failed = fake_stripe.event(
        "payment_intent.payment_failed",
        fake_stripe.get("payment_intent", declined["payment_intent"]),
    )
    completed = fake_stripe.event(
        "checkout.session.completed", fake_stripe.complete_checkout(session_id)
    )

    deliver(client, completed)
    deliver(client, failed)  # the refusal arrives after the success

    fee = fees.of_exchange(exchange.id)
    assert fee.state == "paid"
    assert fee.failure_message == ""
    assert notices(receiver, "fee_payment_failed") == 0
    assert stripe_event(failed["id"]).processed_at is not None


def test_failure_seen_while_current_is_told_then_cleared_by_the_payment(client, fake_stripe, pair):
    space, provider, receiver = pair
    ready_account(fake_stripe, provider)
    exchange = due_fee(provider, receiver, space, "Réparer un vélo")
    money_checkout.start_checkout(receiver.id, exchange.id)
    session_id = fees.of_exchange(exchange.id).checkout_session_id
    declined = fake_stripe.fail_checkout_payment(session_id, "Your card was declined.")
    intent = fake_stripe.get("payment_intent", declined["payment_intent"])

    deliver(client, fake_stripe.event("payment_intent.payment_failed", intent))
    assert fees.of_exchange(exchange.id).failure_message == "Your card was declined."
    assert notices(receiver, "fee_payment_failed") == 1

    completed = fake_stripe.complete_checkout(session_id)
    deliver(client, fake_stripe.event("checkout.session.completed", completed))
    fee = fees.of_exchange(exchange.id)
    assert (fee.state, fee.failure_message) == ("paid", "")
    assert notices(receiver, "fee_payment_failed") == 1


def test_refusal_on_an_abandoned_session_is_old_news(client, fake_stripe, pair):
    space, provider, receiver = pair
    ready_account(fake_stripe, provider)
    exchange = due_fee(provider, receiver, space, "Réparer un vélo")
    money_checkout.start_checkout(receiver.id, exchange.id)
    first = fees.of_exchange(exchange.id).checkout_session_id
    declined = fake_stripe.fail_checkout_payment(first, "Your card was declined.")
    failed = fake_stripe.event(
        "payment_intent.payment_failed",
        fake_stripe.get("payment_intent", declined["payment_intent"]),
    )
    fake_stripe.expire_checkout(first)  # the receiver gave up; the intent is canceled
    money_checkout.start_checkout(receiver.id, exchange.id, now=utcnow() + timedelta(hours=2))
    second = fees.of_exchange(exchange.id).checkout_session_id
    completed = fake_stripe.event(
        "checkout.session.completed", fake_stripe.complete_checkout(second)
    )

    deliver(client, failed)  # late, but before the news of the success
    deliver(client, completed)

    assert fees.of_exchange(exchange.id).state == "paid"
    assert notices(receiver, "fee_payment_failed") == 0


# --- 6. a refund seen before the payment ----------------------------------------------------


def test_refund_seen_before_the_payment_leaves_one_paid_and_one_refunded_step(
    client, fake_stripe, paid_on_stripe
):
    exchange, fee_id, completed, provider, receiver = paid_on_stripe
    intent = fake_stripe.get("payment_intent", completed["data"]["object"]["payment_intent"])
    charge = fake_stripe.refund_outside(intent["latest_charge"])
    refunded = fake_stripe.event("charge.refunded", charge)

    deliver(client, refunded)
    deliver(client, completed)

    fee = db.session.get(Fee, fee_id)
    assert fee.state == "refunded"
    assert fee.paid_at is not None and fee.refunded_at is not None
    assert (fee.payment_intent_id, fee.charge_id) == (intent["id"], intent["latest_charge"])
    assert history(exchange.id, "fee_paid") == 1
    assert history(exchange.id, "fee_refunded") == 1
    assert notices(provider, "fee_paid") == 1
    assert (notices(provider, "fee_refunded"), notices(receiver, "fee_refunded")) == (1, 1)


# --- 7. account.updated ---------------------------------------------------------------------


def test_account_updated_tells_the_provider_once_when_ready(client, fake_stripe, pair):
    provider = pair.provider
    connect.onboarding_url(provider.id)
    acct = connect.account_of(provider.id).stripe_id

    halfway = fake_stripe.update_account(acct, details_submitted=True)
    deliver(client, fake_stripe.event("account.updated", halfway, account=acct))
    assert connect.state_of(provider.id) == "pending"
    assert notices(provider, "stripe_ready") == 0

    ready = fake_stripe.make_account_ready(acct)
    deliver(client, fake_stripe.event("account.updated", ready, account=acct))
    deliver(client, fake_stripe.event("account.updated", ready, account=acct))  # another change

    account = connect.account_of(provider.id)
    assert account.state == "ready"
    assert (account.charges_enabled, account.payouts_enabled, account.details_submitted) == (
        True,
        True,
        True,
    )
    assert notices(provider, "stripe_ready") == 1


def test_account_updated_for_an_account_we_do_not_know_is_ignored(client, fake_stripe, pair):
    # An account opened on the platform by something else than Archipel.
    other = fake_stripe.client().v1.accounts.create({"type": "express", "country": "FR"})
    event = fake_stripe.event(
        "account.updated", fake_stripe.make_account_ready(other.id), account=other.id
    )
    before = snapshot()

    response = deliver(client, event)

    assert response.status_code == 200
    row = stripe_event(event["id"])
    assert row.processed_at is not None and row.attempts == 1 and row.last_error == ""
    assert changed_tables(before, snapshot()) == ["stripe_events"]
    assert count(StripeAccount) == 0


# --- 8. a failure while handling is kept and tried again ------------------------------------


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there now: connection refused


def test_handling_failure_is_kept_and_process_events_retries_it(
    app, client, fake_stripe, paid_on_stripe
):
    exchange, fee_id, event, provider, _ = paid_on_stripe
    app.config["STRIPE_API_BASE"] = _closed_port_url()  # Stripe unreachable

    response = deliver(client, event)

    assert response.status_code == 200  # recorded: Stripe need not send it again
    row = stripe_event(event["id"])
    assert (row.processed_at, row.attempts) == (None, 1)
    assert row.last_error.startswith("PaymentUnavailable")
    assert db.session.get(Fee, fee_id).state == "due"

    runner = app.test_cli_runner()
    result = runner.invoke(args=["stripe", "process-events"])
    assert result.exit_code != 0  # still unreachable: cron says so
    assert "0 Stripe events handled, 1 to try again," in result.output
    db.session.expire_all()
    row = stripe_event(event["id"])
    assert (row.processed_at, row.attempts) == (None, 2)
    assert row.last_error

    app.config["STRIPE_API_BASE"] = fake_stripe.url  # Stripe answers again
    result = runner.invoke(args=["stripe", "process-events"])
    assert result.exit_code == 0, result.output
    assert "1 Stripe events handled, 0 to try again," in result.output
    db.session.expire_all()
    row = stripe_event(event["id"])
    assert row.processed_at is not None and row.attempts == 3 and row.last_error == ""
    assert db.session.get(Fee, fee_id).state == "paid"
    assert history(exchange.id, "fee_paid") == 1
    assert notices(provider, "fee_paid") == 1

    # A late duplicate from Stripe, and another run: nothing more.
    assert deliver(client, event).status_code == 200
    result = runner.invoke(args=["stripe", "process-events"])
    assert result.exit_code == 0
    assert "0 Stripe events handled, 0 to try again," in result.output
    assert history(exchange.id, "fee_paid") == 1


def test_redelivery_of_an_event_whose_handling_failed_handles_it(
    app, client, fake_stripe, paid_on_stripe
):
    exchange, fee_id, event, provider, _ = paid_on_stripe
    app.config["STRIPE_API_BASE"] = _closed_port_url()
    deliver(client, event)
    assert stripe_event(event["id"]).attempts == 1

    app.config["STRIPE_API_BASE"] = fake_stripe.url
    assert deliver(client, event).status_code == 200  # resent from Stripe's dashboard

    row = stripe_event(event["id"])
    assert count(StripeEvent) == 1
    assert row.processed_at is not None and row.attempts == 2 and row.last_error == ""
    assert db.session.get(Fee, fee_id).state == "paid"
    assert history(exchange.id, "fee_paid") == 1
    assert notices(provider, "fee_paid") == 1


def test_lost_answers_on_posts_do_not_touch_webhook_handling(client, fake_stripe, paid_on_stripe):
    # fail_next loses the answers of POSTs only; handling an event only reads (GET), so a
    # pending fail_next changes nothing here (it is for the idempotency tests of the POSTs).
    fee_id, event = paid_on_stripe.fee_id, paid_on_stripe.event
    fake_stripe.fail_next(5)
    deliver(client, event)
    assert stripe_event(event["id"]).processed_at is not None
    assert db.session.get(Fee, fee_id).state == "paid"


# --- 9. events we do not handle -------------------------------------------------------------


def test_event_type_we_do_not_handle_is_recorded_and_done(client, fake_stripe, paid_on_stripe):
    fee_id, completed = paid_on_stripe.fee_id, paid_on_stripe.event
    intent_id = completed["data"]["object"]["payment_intent"]
    event = fake_stripe.event(
        "payment_intent.created", fake_stripe.get("payment_intent", intent_id)
    )
    before, sent = snapshot(), len(fake_stripe.requests)

    response = deliver(client, event)

    assert response.status_code == 200
    row = stripe_event(event["id"])
    assert (row.type, row.object_id) == ("payment_intent.created", intent_id)
    assert row.processed_at is not None and row.attempts == 1 and row.last_error == ""
    assert changed_tables(before, snapshot()) == ["stripe_events"]
    assert fake_stripe.requests[sent:] == []
    assert db.session.get(Fee, fee_id).state == "due"


def test_process_events_finds_a_payment_whose_events_were_all_lost(
    app, fake_stripe, paid_on_stripe
):
    """Stripe gives up on an endpoint that fails for days: the cron asks Stripe about every
    fee still due whose Checkout Session we know."""
    exchange, fee_id, _event, provider, _ = paid_on_stripe  # the event never arrives
    result = app.test_cli_runner().invoke(args=["stripe", "process-events"])
    assert result.exit_code == 0, result.output
    assert "1 fees found paid on Stripe" in result.output
    db.session.expire_all()
    assert db.session.get(Fee, fee_id).state == "paid"
    assert history(exchange.id, "fee_paid") == 1 and notices(provider, "fee_paid") == 1


def test_process_events_says_when_events_wait_for_a_person(
    app, client, fake_stripe, paid_on_stripe
):
    from exchange.services.money import stripe_events

    _exchange, _fee_id, event, _provider, _ = paid_on_stripe
    app.config["STRIPE_API_BASE"] = _closed_port_url()
    deliver(client, event)
    row = stripe_event(event["id"])
    row.attempts = stripe_events.MAX_ATTEMPTS
    db.session.commit()
    app.config["STRIPE_API_BASE"] = fake_stripe.url
    result = app.test_cli_runner().invoke(args=["stripe", "process-events"])
    assert result.exit_code == 1
    assert "1 given up" in result.output
    db.session.expire_all()
    assert stripe_event(event["id"]).processed_at is None  # left for a person to look at


# --- 10. the payer's bank: inquiries and chargebacks ------------------------------------------


class Disputed(NamedTuple):
    exchange: Exchange
    fee_id: int
    charge_id: str
    admin: User


@pytest.fixture
def paid_and_known(client, fake_stripe, paid_on_stripe):
    """A fee paid on Checkout and recorded (its checkout.session.completed delivered), in a
    network with one admin, who holds the network's Stripe account."""
    admin = factories.member("Ada Admin", email="ada@example.org", admin=True)
    deliver(client, paid_on_stripe.event)
    fee = db.session.get(Fee, paid_on_stripe.fee_id)
    assert fee.state == "paid"
    return Disputed(paid_on_stripe.exchange, fee.id, fee.charge_id, admin)


def steps(exchange_id: int) -> list[str]:
    """The exchange's history steps about the payer's bank, in order."""
    return list(
        db.session.scalars(
            select(ExchangeEvent.kind)
            .where(
                ExchangeEvent.exchange_id == exchange_id,
                ExchangeEvent.kind.like("fee_dispute_%"),
            )
            .order_by(ExchangeEvent.id)
        )
    )


def admin_notices(admin) -> list[dict]:
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == admin.id, Notification.kind == "fee_dispute_admin")
        .order_by(Notification.id)
    )
    return [{**n.data, "link": n.link} for n in rows]


def test_a_chargeback_tells_the_provider_and_the_admins_once_and_keeps_the_fee_paid(
    client, fake_stripe, paid_and_known
):
    exchange, fee_id, charge_id, admin = paid_and_known
    opened = fake_stripe.open_dispute(charge_id)
    event = fake_stripe.event("charge.dispute.created", opened)

    for _ in range(3):
        assert deliver(client, event).status_code == 200
    deliver(client, fake_stripe.event("charge.dispute.funds_withdrawn", opened))

    fee = db.session.get(Fee, fee_id)
    assert (fee.state, fee.dispute_id, fee.dispute_status) == ("paid", opened["id"], "open")
    assert fee.dispute_cents == 1200 and fee.held_by_the_bank
    assert fee.disputed_at is not None and fee.dispute_closed_at is None
    assert steps(exchange.id) == ["fee_dispute_open"]
    assert notices(fee.provider, "fee_dispute_open") == 1
    assert notices(fee.receiver, "fee_dispute_open") == 0  # their bank asked: they know
    # The admins are told where to look, the exchange named by its number only.
    (told,) = admin_notices(admin)
    assert told["link"] == f"/caisse-commune/argent?frais={fee_id}#frais-{fee_id}"
    assert (told["step"], told["number"], told["amount_cents"]) == ("open", exchange.id, 1200)
    assert "title" not in told and exchange.title not in json.dumps(told)
    assert stripe_event(event["id"]).object_id == opened["id"]


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_a_chargeback_closing_is_recorded_once_and_never_reopens(
    client, fake_stripe, paid_and_known, outcome
):
    exchange, fee_id, charge_id, admin = paid_and_known
    opened = fake_stripe.open_dispute(charge_id)
    deliver(client, fake_stripe.event("charge.dispute.created", opened))
    reviewed = fake_stripe.update_dispute(opened["id"], "under_review")
    deliver(client, fake_stripe.event("charge.dispute.updated", reviewed))
    closed = fake_stripe.update_dispute(opened["id"], outcome)
    deliver(client, fake_stripe.event("charge.dispute.closed", closed))
    # A late copy of the first snapshot under a new event id: Stripe says closed, nothing
    # moves back.
    deliver(client, fake_stripe.event("charge.dispute.updated", opened))

    fee = db.session.get(Fee, fee_id)
    assert fee.dispute_status == outcome and fee.dispute_closed_at is not None
    assert fee.state == "paid" and fee.charged_back == (outcome == "lost")
    assert fee.held_by_the_bank == (outcome == "lost")
    assert steps(exchange.id) == ["fee_dispute_open", f"fee_dispute_{outcome}"]
    assert notices(fee.provider, f"fee_dispute_{outcome}") == 1
    assert [n["step"] for n in admin_notices(admin)] == ["open", outcome]


@pytest.mark.parametrize("seed", [3, 77])
def test_a_chargeback_delivered_before_the_payment_and_shuffled_ends_the_same(
    client, fake_stripe, paid_on_stripe, seed
):
    """The payment's and the dispute's events, three times each in any order, while the bank
    decides and after: paid once, disputed once, lost once."""
    admin = factories.member("Ada Admin", email="ada@example.org", admin=True)
    exchange, fee_id, completed, provider, _ = paid_on_stripe
    shuffle = random.Random(seed).shuffle
    intent = fake_stripe.get("payment_intent", completed["data"]["object"]["payment_intent"])
    opened = fake_stripe.open_dispute(intent["latest_charge"])
    while_open = [
        completed,
        fake_stripe.event("charge.dispute.created", opened),
        fake_stripe.event("charge.dispute.funds_withdrawn", opened),
    ]
    first = while_open * 3
    shuffle(first)
    for event in first:
        assert deliver(client, event).status_code == 200
    assert db.session.get(Fee, fee_id).dispute_status == "open"

    reviewed = fake_stripe.update_dispute(opened["id"], "under_review")
    decided = [
        fake_stripe.event("charge.dispute.updated", reviewed),
        fake_stripe.event(
            "charge.dispute.closed", fake_stripe.update_dispute(opened["id"], "lost")
        ),
    ]
    later = (while_open + decided) * 3
    shuffle(later)
    for event in later:
        assert deliver(client, event).status_code == 200

    fee = db.session.get(Fee, fee_id)
    assert (fee.state, fee.dispute_status) == ("paid", "lost")
    assert history(exchange.id, "fee_paid") == 1
    assert steps(exchange.id) == ["fee_dispute_open", "fee_dispute_lost"]
    assert notices(provider, "fee_paid") == 1
    assert notices(provider, "fee_dispute_open") == notices(provider, "fee_dispute_lost") == 1
    assert [n["step"] for n in admin_notices(admin)] == ["open", "lost"]
    assert count(StripeEvent) == 5 and count(StripeEvent, StripeEvent.processed_at.is_(None)) == 0


def test_a_status_seen_late_walks_through_the_steps_it_skipped(client, fake_stripe, paid_and_known):
    """Stripe already says lost when the first event is handled: the chargeback's opening and
    its end are both in the history, in that order."""
    exchange, fee_id, charge_id, admin = paid_and_known
    opened = fake_stripe.open_dispute(charge_id)
    fake_stripe.update_dispute(opened["id"], "lost")

    deliver(client, fake_stripe.event("charge.dispute.created", opened))

    assert steps(exchange.id) == ["fee_dispute_open", "fee_dispute_lost"]
    assert [n["step"] for n in admin_notices(admin)] == ["open", "lost"]
    assert db.session.get(Fee, fee_id).dispute_closed_at is not None


def test_an_inquiry_is_only_questions_and_may_turn_into_a_chargeback(
    client, fake_stripe, paid_and_known
):
    exchange, fee_id, charge_id, admin = paid_and_known
    asked = fake_stripe.open_dispute(charge_id, status="warning_needs_response")
    deliver(client, fake_stripe.event("charge.dispute.created", asked))
    fee = db.session.get(Fee, fee_id)
    assert fee.dispute_status == "inquiry" and not fee.held_by_the_bank
    assert notices(fee.provider, "fee_dispute_inquiry") == 1

    escalated = fake_stripe.update_dispute(asked["id"], "needs_response")
    deliver(client, fake_stripe.event("charge.dispute.updated", escalated))
    deliver(client, fake_stripe.event("charge.dispute.created", asked))  # a stale snapshot

    fee = db.session.get(Fee, fee_id)
    assert fee.dispute_status == "open" and fee.held_by_the_bank
    assert steps(exchange.id) == ["fee_dispute_inquiry", "fee_dispute_open"]
    assert [n["step"] for n in admin_notices(admin)] == ["inquiry", "open"]


@pytest.mark.parametrize("status", ["warning_closed", "prevented"])
def test_questions_that_end_without_a_chargeback_close_the_matter(
    client, fake_stripe, paid_and_known, status
):
    exchange, fee_id, charge_id, _ = paid_and_known
    asked = fake_stripe.open_dispute(charge_id, status="warning_under_review")
    deliver(client, fake_stripe.event("charge.dispute.created", asked))
    ended = fake_stripe.update_dispute(asked["id"], status)
    deliver(client, fake_stripe.event("charge.dispute.closed", ended))

    fee = db.session.get(Fee, fee_id)
    assert fee.dispute_status == "closed" and not fee.held_by_the_bank and not fee.charged_back
    assert steps(exchange.id) == ["fee_dispute_inquiry", "fee_dispute_closed"]


def test_a_status_stripe_adds_later_holds_the_charge_like_a_chargeback(
    client, fake_stripe, paid_and_known
):
    exchange, fee_id, charge_id, _ = paid_and_known
    unknown = fake_stripe.open_dispute(charge_id, status="some_new_status")
    deliver(client, fake_stripe.event("charge.dispute.created", unknown))
    assert db.session.get(Fee, fee_id).dispute_status == "open"
    assert steps(exchange.id) == ["fee_dispute_open"]


def test_a_chargeback_after_questions_that_ended_is_a_new_dispute(
    client, fake_stripe, paid_and_known
):
    exchange, fee_id, charge_id, _ = paid_and_known
    asked = fake_stripe.open_dispute(charge_id, status="warning_needs_response")
    fake_stripe.update_dispute(asked["id"], "warning_closed")
    deliver(client, fake_stripe.event("charge.dispute.closed", asked))
    chargeback = fake_stripe.open_dispute(charge_id, amount=700)
    deliver(client, fake_stripe.event("charge.dispute.created", chargeback))
    # The old questions' events, delivered late, change nothing.
    deliver(client, fake_stripe.event("charge.dispute.created", asked))

    fee = db.session.get(Fee, fee_id)
    assert (fee.dispute_id, fee.dispute_status, fee.dispute_cents) == (
        chargeback["id"],
        "open",
        700,
    )
    assert fee.dispute_closed_at is None
    assert steps(exchange.id) == [
        "fee_dispute_inquiry",
        "fee_dispute_closed",
        "fee_dispute_open",
    ]


def test_questions_turning_into_a_chargeback_under_a_new_id_record_the_chargeback(
    client, fake_stripe, paid_and_known
):
    """Heard in this order: the questions, then a chargeback under another id before the
    questions' end; then, late, the questions' own events. The chargeback stays."""
    exchange, fee_id, charge_id, admin = paid_and_known
    asked = fake_stripe.open_dispute(charge_id, status="warning_needs_response")
    deliver(client, fake_stripe.event("charge.dispute.created", asked))
    ended = fake_stripe.update_dispute(asked["id"], "warning_closed")
    chargeback = fake_stripe.open_dispute(charge_id)
    deliver(client, fake_stripe.event("charge.dispute.created", chargeback))
    deliver(client, fake_stripe.event("charge.dispute.closed", ended))

    fee = db.session.get(Fee, fee_id)
    assert (fee.dispute_id, fee.dispute_status) == (chargeback["id"], "open")
    assert fee.held_by_the_bank
    assert steps(exchange.id) == ["fee_dispute_inquiry", "fee_dispute_open"]
    assert [n["step"] for n in admin_notices(admin)] == ["inquiry", "open"]


def test_an_admin_who_is_a_party_is_told_as_a_party_only(client, fake_stripe, pair):
    space, provider, receiver = pair
    for person in (provider, receiver):
        person.is_admin = True
    db.session.commit()
    ready_account(fake_stripe, provider)
    exchange = due_fee(provider, receiver, space, "Réparer un vélo")
    money_checkout.start_checkout(receiver.id, exchange.id)
    session = fake_stripe.complete_checkout(fees.of_exchange(exchange.id).checkout_session_id)
    deliver(client, fake_stripe.event("checkout.session.completed", session))
    charge = fake_stripe.get("payment_intent", session["payment_intent"])["latest_charge"]
    deliver(client, fake_stripe.event("charge.dispute.created", fake_stripe.open_dispute(charge)))

    assert notices(provider, "fee_dispute_open") == 1
    assert admin_notices(provider) == admin_notices(receiver) == []


def test_a_dispute_on_a_charge_that_is_not_a_fee_is_recorded_and_ignored(
    client, fake_stripe, paid_and_known
):
    """Something else sold on the network's Stripe account (no fee_id in its metadata)."""
    fee_id = paid_and_known.fee_id
    session = fake_stripe.client().v1.checkout.sessions.create(
        {
            "mode": "payment",
            "success_url": "https://ailleurs.example/ok",
            "line_items": [
                {
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": 3000,
                        "product_data": {"name": "Adhésion"},
                    },
                    "quantity": 1,
                }
            ],
        }
    )
    intent = fake_stripe.complete_checkout(session.id)["payment_intent"]
    stranger = fake_stripe.open_dispute(fake_stripe.get("payment_intent", intent)["latest_charge"])
    before = snapshot()

    event = fake_stripe.event("charge.dispute.created", stranger)
    deliver(client, event)

    assert changed_tables(before, snapshot()) == ["stripe_events"]
    row = stripe_event(event["id"])
    assert row.processed_at is not None and row.last_error == ""
    assert db.session.get(Fee, fee_id).dispute_id is None
