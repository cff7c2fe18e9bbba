"""Fees through the browser (issue 6, points 3, 4, 5, 7, 9): a provider's Stripe account on
the profile, the fee fields on the exchange's page, paying on Checkout, settling outside
Archipel, a coordinator's refund, and the money ledger every member reads.

Online fees are on through the `fake_stripe` fixture (the real stripe library talking to the
fake Stripe on localhost); the tests that say "fees off" run on TestConfig, which has no keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import flask_babel
import pytest
from sqlalchemy import func, select

from exchange.services.exchanges import disputes, lifecycle
from exchange.services.ledger import rules, transfers
from exchange.services.money import bank_disputes, checkout, connect, fees
from models import Exchange, Fee, ModerationAction, Space, StripeAccount, User, db
from tests import factories
from tests.conftest import AuthActions

FEE_FIELDS = ('name="fee_amount"', 'name="fee_covers"')


# --------------------------------------------------------------------------- the people


@dataclass
class People:
    provider: User  # gives the time, asks the fee
    receiver: User  # receives the time, pays the fee
    outsider: User  # a member of the same space, party to nothing
    coordinator: User  # coordinates the space: may resolve a dispute, refund a paid fee
    space: Space


@pytest.fixture
def people(app) -> People:
    space = factories.space("La Ruche")
    provider = factories.member("Paule Prête", "paule@example.org")
    receiver = factories.member("Rémi Reçoit", "remi@example.org")
    outsider = factories.member("Olga Ailleurs", "olga@example.org")
    for person in (provider, receiver, outsider):
        factories.join(person, space)
    coordinator = factories.coordinator(space, display_name="Colette Coord")
    return People(provider, receiver, outsider, coordinator, space)


def browser(app, user: User | None = None):
    """A client of its own, logged in as `user` (anonymous without one)."""
    client = app.test_client()
    if user is not None:
        assert AuthActions(client).login(user).status_code == 302
    return client


def text(response) -> str:
    """The page as a reader sees it, the no-break spaces of French amounts as plain spaces."""
    return response.text.replace("\xa0", " ").replace("\u202f", " ")


def form_with_action(html: str, action: str) -> str:
    """The <form> posting to `action` ('' when the page has none)."""
    for match in re.finditer(r"<form\b[^>]*>.*?</form>", html, flags=re.S):
        if f'action="{action}"' in match.group(0).split(">", 1)[0]:
            return match.group(0)
    return ""


def field_error(response, field: str) -> str:
    """The message shown beside a field ('' when none)."""
    match = re.search(rf'id="{field}-error">(.*?)</p>', text(response), flags=re.S)
    return match.group(1).strip() if match else ""


def fee_state_shown(page: str) -> str:
    """The state the exchange's fee box shows ('' without a fee box)."""
    match = re.search(r'id="frais".*?<span class="state fee-\w+">([^<]*)<', page, flags=re.S)
    return match.group(1) if match else ""


def follow(client, response) -> str:
    """The page a redirect leads to (its flashed message included)."""
    assert response.status_code in (302, 303), (response.status_code, text(response)[:1000])
    return text(client.get(response.headers["Location"]))


def proposed(p: People) -> Exchange:
    """The receiver answers a new offer of the provider's (one open exchange per offer)."""
    offer = factories.listing(p.provider, p.space, "Réparer un vélo")
    return lifecycle.propose(p.receiver.id, offer.id, message="Samedi ?", foreseen_minutes=60)


def accepted(p: People, fee_cents: int | None = None, covers: str = "") -> Exchange:
    made = proposed(p)
    lifecycle.accept(p.provider.id, made.id, "Oui", fee_cents=fee_cents, fee_covers=covers)
    return made


def ready_account(fake, user: User) -> StripeAccount:
    connect.onboarding_url(user.id)
    account = connect.account_of(user.id)
    fake.make_account_ready(account.stripe_id)
    connect.sync(account.stripe_id)
    return connect.account_of(user.id)


def fee_of(exchange_id: int) -> Fee | None:
    db.session.expire_all()
    return fees.of_exchange(exchange_id)


def exchange_row(exchange_id: int) -> Exchange:
    db.session.expire_all()
    return db.session.get(Exchange, exchange_id)


def paid(fake, p: People, exchange_id: int) -> Fee:
    """The receiver pays the fee on Checkout, and we know it (as the return page does)."""
    checkout.start_checkout(p.receiver.id, exchange_id)
    fee = fee_of(exchange_id)
    fake.complete_checkout(fee.checkout_session_id)
    checkout.sync_checkout(fee.checkout_session_id)
    fee = fee_of(exchange_id)
    assert fee.state == "paid"
    return fee


def fee_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Fee))


def stripe_posts(fake, path: str) -> list:
    return [r for r in fake.requests if r.method == "POST" and r.path == path]


# --------------------------------------------------------------------------- the fee fields


def test_the_provider_accepting_sees_the_fee_fields_and_the_receiver_waiting_does_not(
    app, people, fake_stripe
):
    made = proposed(people)
    accept = f"/echanges/{made.id}/accepter"
    mine = form_with_action(text(browser(app, people.provider).get(f"/echanges/{made.id}")), accept)
    assert "Participation aux frais" in mine and all(f in mine for f in FEE_FIELDS)
    assert "plafonnée à 50,00 € par échange" in mine
    theirs = text(browser(app, people.receiver).get(f"/echanges/{made.id}"))
    assert form_with_action(theirs, accept) == ""  # the proposer waits for the answer
    assert not any(f in theirs for f in FEE_FIELDS)


def test_a_receiver_accepting_an_offer_of_help_never_sees_the_fee_fields(app, people, fake_stripe):
    request = factories.listing(people.receiver, people.space, "Déménager un piano", kind="request")
    made = lifecycle.propose(people.provider.id, request.id, message="Moi !", foreseen_minutes=90)
    assert (made.provider_id, made.receiver_id) == (people.provider.id, people.receiver.id)
    page = text(browser(app, people.receiver).get(f"/echanges/{made.id}"))
    accept = form_with_action(page, f"/echanges/{made.id}/accepter")
    assert accept and 'name="message"' in accept  # the receiver answers…
    assert not any(f in page for f in FEE_FIELDS)  # …without a fee
    assert "Participation aux frais" not in page


def test_the_provider_sees_the_fee_fields_on_the_log_form_and_the_receiver_does_not(
    app, people, fake_stripe
):
    made = accepted(people)
    log = f"/echanges/{made.id}/temps"
    mine = form_with_action(text(browser(app, people.provider).get(f"/echanges/{made.id}")), log)
    assert "Participation aux frais" in mine and all(f in mine for f in FEE_FIELDS)
    theirs = text(browser(app, people.receiver).get(f"/echanges/{made.id}"))
    form = form_with_action(theirs, log)
    assert 'name="minutes"' in form  # either side logs the time…
    assert not any(f in theirs for f in FEE_FIELDS)  # …only the provider asks a fee
    assert "Participation aux frais" not in theirs


def test_with_fees_off_nobody_sees_the_fee_fields(app, people):
    waiting, going = proposed(people), accepted(people)
    for person in (people.provider, people.receiver):
        client = browser(app, person)
        for made in (waiting, going):
            page = text(client.get(f"/echanges/{made.id}"))
            assert not any(f in page for f in FEE_FIELDS)
            assert "Participation aux frais" not in page


def test_once_a_fee_is_attached_the_fields_are_gone(app, people, fake_stripe):
    made = proposed(people)
    client = browser(app, people.provider)
    answer = client.post(
        f"/echanges/{made.id}/accepter",
        data={"message": "Oui", "fee_amount": "12,50", "fee_covers": "Chambre à air"},
    )
    assert answer.status_code == 302
    fee = fee_of(made.id)
    assert (fee.amount_cents, fee.covers, fee.state) == (1250, "Chambre à air", "due")
    page = text(client.get(f"/echanges/{made.id}"))
    assert 'name="minutes"' in form_with_action(page, f"/echanges/{made.id}/temps")
    assert not any(f in page for f in FEE_FIELDS)
    assert "12,50 €" in page and "Chambre à air" in page  # shown, no more asked
    # A second fee, forged past the page, is refused and leaves the first as it was.
    again = client.post(
        f"/echanges/{made.id}/temps",
        data={"minutes": "1 h", "performed_on": "", "note": "", "fee_amount": "5"},
    )
    assert again.status_code == 400
    assert exchange_row(made.id).state == "accepted"
    assert fee_count() == 1 and fee_of(made.id).amount_cents == 1250


# Where each form starts from: the step's address, its other fields, the exchange's state.
FORMS = {
    "accept": ("accepter", {"message": "Oui"}, "proposed"),
    "log": ("temps", {"minutes": "1 h", "performed_on": "", "note": "Fait"}, "accepted"),
}
# Fees refused by the form itself (not an amount: douze, negative), and by the service (the
# rules of a fee: the others, refused after the step was made in the session, which the page
# must not show).
BAD_FEES = {
    "douze": ({"fee_amount": "douze", "fee_covers": "Matériel"}, "fee_amount", "montant en euros"),
    "negative": ({"fee_amount": "-3", "fee_covers": "Matériel"}, "fee_amount", "montant en euros"),
    "under-stripe-minimum": (
        {"fee_amount": "0,10", "fee_covers": "Matériel"},
        "fee_amount",
        "d'au moins 0,50 €",
    ),
    "over-the-cap": (
        {"fee_amount": "50,01", "fee_covers": "Matériel"},
        "fee_amount",
        "plafonnés à 50,00 € par échange",
    ),
    "amount-without-covers": (
        {"fee_amount": "12", "fee_covers": "  "},
        "fee_covers",
        "Dites ce que couvrent ces frais",
    ),
}


def _starting(form: str, p: People) -> Exchange:
    return proposed(p) if FORMS[form][2] == "proposed" else accepted(p)


def _send(client, form: str, made: Exchange, fee: dict, query: str = ""):
    step, data, _state = FORMS[form]
    return client.post(f"/echanges/{made.id}/{step}{query}", data={**data, **fee})


def _unchanged(form: str, made: Exchange, events: int) -> None:
    row = exchange_row(made.id)
    assert row.state == FORMS[form][2]
    assert row.minutes is None and len(row.events) == events
    assert fee_count() == 0


@pytest.mark.parametrize("bad", sorted(BAD_FEES))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_wrong_fee_is_refused_with_400_and_nothing_is_written(
    app, people, fake_stripe, form, bad
):
    made = _starting(form, people)
    events = len(exchange_row(made.id).events)
    response = _send(browser(app, people.provider), form, made, BAD_FEES[bad][0])
    assert response.status_code == 400
    _unchanged(form, made, events)


@pytest.mark.parametrize("bad", sorted(BAD_FEES))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_wrong_fee_is_shown_beside_its_field_on_the_same_form(
    app, people, fake_stripe, form, bad
):
    made = _starting(form, people)
    fee, field, message = BAD_FEES[bad]
    response = _send(browser(app, people.provider), form, made, fee)
    assert response.status_code == 400
    sent_again = form_with_action(text(response), f"/echanges/{made.id}/{FORMS[form][0]}")
    assert f'id="{field}-error"' in sent_again
    assert message in field_error(response, field)


@pytest.mark.parametrize("bad", ["douze", "under-stripe-minimum", "over-the-cap"])
@pytest.mark.parametrize("how", ["?lang=en", "member's locale"])
def test_in_english_a_wrong_fee_is_a_400_with_the_field_error_not_a_500(
    app, people, fake_stripe, how, bad
):
    query = how if how.startswith("?") else ""
    if not query:
        people.provider.locale = "en"
        db.session.commit()
    made = proposed(people)
    events = len(exchange_row(made.id).events)
    response = _send(browser(app, people.provider), "accept", made, BAD_FEES[bad][0], query)
    assert response.status_code == 400
    assert '<html lang="en">' in response.text
    _unchanged("accept", made, events)
    assert field_error(response, "fee_amount")


# --------------------------------------------------------------------------- before confirming


def test_the_receiver_sees_the_fee_before_confirming_and_confirming_moves_credits_not_money(
    app, people, fake_stripe
):
    made = accepted(people, 1250, "Chambre à air")
    lifecycle.log_time(people.provider.id, made.id, minutes=60)
    client = browser(app, people.receiver)
    page = text(client.get(f"/echanges/{made.id}"))
    fee_box = page[page.index('id="frais"') :]
    assert "12,50 €" in fee_box and "Chambre à air" in fee_box
    assert fee_state_shown(page) == "À régler"
    assert "Confirmer le temps ne la paie pas : elle se règle à part." in page
    assert form_with_action(page, f"/echanges/{made.id}/confirmer")

    assert client.post(f"/echanges/{made.id}/confirmer").status_code == 302
    assert exchange_row(made.id).state == "confirmed"
    assert transfers.account_of(people.provider.id).balance == 60
    assert transfers.account_of(people.receiver.id).balance == -60
    assert fee_of(made.id).state == "due"  # time moved; the money is still to settle
    assert fee_state_shown(text(client.get(f"/echanges/{made.id}"))) == "À régler"


# --------------------------------------------------------------------------- paying


def test_the_receiver_pays_on_checkout_and_a_second_click_reuses_the_session(
    app, people, fake_stripe
):
    ready_account(fake_stripe, people.provider)
    made = accepted(people, 1250, "Chambre à air")
    client = browser(app, people.receiver)
    page = text(client.get(f"/echanges/{made.id}"))
    assert form_with_action(page, f"/echanges/{made.id}/frais/payer")
    assert "Payer 12,50 € en ligne" in page

    first = client.post(f"/echanges/{made.id}/frais/payer")
    assert first.status_code == 303
    assert first.headers["Location"].startswith(f"{fake_stripe.url}/c/pay/cs_test_")
    second = client.post(f"/echanges/{made.id}/frais/payer")
    assert (second.status_code, second.headers["Location"]) == (303, first.headers["Location"])
    (session,) = fake_stripe.objects("checkout.session")
    assert session["url"] == first.headers["Location"] and session["amount_total"] == 1250
    assert len(stripe_posts(fake_stripe, "/v1/checkout/sessions")) == 1
    assert fee_of(made.id).state == "due"  # paid when Stripe says so, not on the way out


def test_the_provider_cannot_pay_their_own_fee(app, people, fake_stripe):
    ready_account(fake_stripe, people.provider)
    made = accepted(people, 1250, "Chambre à air")
    client = browser(app, people.provider)
    assert not form_with_action(
        text(client.get(f"/echanges/{made.id}")), f"/echanges/{made.id}/frais/payer"
    )
    sent = len(fake_stripe.requests)
    response = client.post(f"/echanges/{made.id}/frais/payer")
    assert response.status_code == 403
    assert "C'est à la personne qui reçoit de payer ces frais." in text(response)
    fee = fee_of(made.id)
    assert (fee.state, fee.checkout_session_id, fee.checkout_attempt) == ("due", None, 0)
    assert len(fake_stripe.requests) == sent


@pytest.mark.parametrize("account", ["none", "pending"])
def test_with_the_provider_not_ready_paying_says_so_and_asks_nothing_of_stripe(
    app, people, fake_stripe, account
):
    if account == "pending":
        connect.onboarding_url(people.provider.id)  # opened, onboarding not finished
    made = accepted(people, 1250, "Chambre à air")
    client = browser(app, people.receiver)
    page = text(client.get(f"/echanges/{made.id}"))
    assert not form_with_action(page, f"/echanges/{made.id}/frais/payer")
    assert "Paule Prête n'a pas encore de compte de paiement prêt" in page
    sent = len(fake_stripe.requests)
    response = client.post(f"/echanges/{made.id}/frais/payer")
    assert urlsplit(response.headers["Location"]).path == f"/echanges/{made.id}"
    assert "Paule Prête n'a pas encore de compte de paiement prêt" in follow(client, response)
    assert len(fake_stripe.requests) == sent
    assert fee_of(made.id).checkout_session_id is None


def test_back_from_checkout_the_page_says_paid(app, people, fake_stripe):
    ready_account(fake_stripe, people.provider)
    made = accepted(people, 1250, "Chambre à air")
    client = browser(app, people.receiver)
    client.post(f"/echanges/{made.id}/frais/payer")
    session_id = fee_of(made.id).checkout_session_id
    fake_stripe.complete_checkout(session_id)

    back = client.get(f"/echanges/{made.id}/frais/paye?session_id={session_id}")
    page = follow(client, back)
    assert "Paiement reçu : merci. Les frais sont réglés." in page
    assert fee_state_shown(page) == "Payée en ligne"
    fee = fee_of(made.id)
    assert fee.state == "paid" and fee.paid_at is not None and fee.charge_id
    assert not form_with_action(page, f"/echanges/{made.id}/frais/payer")


@pytest.mark.parametrize("session_id", ["cs_test_a1autre", ""])
def test_back_from_checkout_with_another_session_changes_nothing(
    app, people, fake_stripe, session_id
):
    ready_account(fake_stripe, people.provider)
    made = accepted(people, 1250, "Chambre à air")
    client = browser(app, people.receiver)
    client.post(f"/echanges/{made.id}/frais/payer")
    fake_stripe.complete_checkout(fee_of(made.id).checkout_session_id)
    sent = len(fake_stripe.requests)

    back = client.get(f"/echanges/{made.id}/frais/paye?session_id={session_id}")
    assert urlsplit(back.headers["Location"]).path == f"/echanges/{made.id}"
    page = follow(client, back)
    assert "Paiement reçu" not in page
    assert fee_of(made.id).state == "due"
    assert len(fake_stripe.requests) == sent  # nothing asked of Stripe for a stranger's session


def test_with_fees_turned_off_since_the_receiver_is_told_to_settle_directly(
    app, people, fake_stripe
):
    ready_account(fake_stripe, people.provider)
    made = accepted(people, 1250, "Chambre à air")
    app.config.update(STRIPE_SECRET_KEY=None)  # the network takes a key away: fees are off
    client = browser(app, people.receiver)
    page = text(client.get(f"/echanges/{made.id}"))
    assert "Les frais en ligne sont désactivés sur ce réseau : réglez-la directement" in page
    assert not form_with_action(page, f"/echanges/{made.id}/frais/payer")
    sent = len(fake_stripe.requests)
    response = client.post(f"/echanges/{made.id}/frais/payer")
    assert "Les frais en ligne sont désactivés sur ce réseau." in follow(client, response)
    assert len(fake_stripe.requests) == sent
    assert fee_of(made.id).checkout_session_id is None


# --------------------------------------------------------------------------- settling outside


def test_the_provider_marks_the_fee_settled_outside_archipel(app, people, fake_stripe):
    made = accepted(people, 1250, "Chambre à air")
    client = browser(app, people.provider)
    page = text(client.get(f"/echanges/{made.id}"))
    button = form_with_action(page, f"/echanges/{made.id}/frais/regle")
    assert "Réglée hors d'Archipel" in button

    response = client.post(f"/echanges/{made.id}/frais/regle")
    page = follow(client, response)
    assert "Frais marqués comme réglés hors d'Archipel." in page
    assert fee_state_shown(page) == "Réglée hors d'Archipel"
    assert not form_with_action(page, f"/echanges/{made.id}/frais/regle")
    fee = fee_of(made.id)
    assert fee.state == "settled" and fee.settled_at is not None
    receiver_page = text(browser(app, people.receiver).get(f"/echanges/{made.id}"))
    assert fee_state_shown(receiver_page) == "Réglée hors d'Archipel"


def test_settling_outside_closes_an_open_checkout(app, people, fake_stripe):
    ready_account(fake_stripe, people.provider)
    made = accepted(people, 1250, "Chambre à air")
    browser(app, people.receiver).post(f"/echanges/{made.id}/frais/payer")
    session_id = fee_of(made.id).checkout_session_id
    assert browser(app, people.provider).post(f"/echanges/{made.id}/frais/regle").status_code == 302
    assert fee_of(made.id).state == "settled"
    assert fake_stripe.get("checkout.session", session_id)["status"] == "expired"


def test_the_receiver_cannot_mark_the_fee_settled(app, people, fake_stripe):
    made = accepted(people, 1250, "Chambre à air")
    client = browser(app, people.receiver)
    assert not form_with_action(
        text(client.get(f"/echanges/{made.id}")), f"/echanges/{made.id}/frais/regle"
    )
    response = client.post(f"/echanges/{made.id}/frais/regle")
    assert response.status_code == 403
    fee = fee_of(made.id)
    assert (fee.state, fee.settled_at) == ("due", None)


# --------------------------------------------------------------------------- refunding


@pytest.fixture
def disputed_and_paid(app, people, fake_stripe):
    """A fee paid online, then the time disputed by the receiver."""
    ready_account(fake_stripe, people.provider)
    made = accepted(people, 1250, "Chambre à air")
    paid(fake_stripe, people, made.id)
    lifecycle.log_time(people.provider.id, made.id, minutes=120)
    disputes.dispute(people.receiver.id, made.id, "Une heure, pas deux")
    return made


def _refund_acts() -> list[ModerationAction]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ModerationAction).where(ModerationAction.action == "fee_refunded")
        )
    )


def test_a_coordinator_refunds_a_paid_fee_on_a_disputed_exchange(
    app, people, fake_stripe, disputed_and_paid
):
    made = disputed_and_paid
    client = browser(app, people.coordinator)
    page = text(client.get(f"/echanges/{made.id}"))
    form = form_with_action(page, f"/echanges/{made.id}/frais/rembourser")
    assert "Rembourser 12,50 €" in form and 'name="reason"' in form
    for party in (people.provider, people.receiver):  # never the parties'
        party_page = text(browser(app, party).get(f"/echanges/{made.id}"))
        assert not form_with_action(party_page, f"/echanges/{made.id}/frais/rembourser")

    response = client.post(
        f"/echanges/{made.id}/frais/rembourser", data={"reason": "Le matériel n'a pas servi"}
    )
    page = follow(client, response)
    assert "Remboursement demandé à Stripe et consigné au journal" in page
    assert fee_state_shown(page) == "Remboursée"
    fee = fee_of(made.id)
    assert fee.state == "refunded" and fee.refunded_by_id == people.coordinator.id
    (refund,) = fake_stripe.objects("refund")
    assert (refund["id"], refund["amount"], refund["status"]) == (fee.refund_id, 1250, "succeeded")
    assert fake_stripe.refund_options(refund["id"]) == {
        "reverse_transfer": True,
        "refund_application_fee": True,
    }
    (act,) = _refund_acts()
    assert (act.actor_id, act.reason, act.target_id) == (
        people.coordinator.id,
        "Le matériel n'a pas servi",
        made.id,
    )
    assert exchange_row(made.id).state == "disputed"  # the time is another decision


def test_a_refund_without_a_reason_is_refused_and_changes_nothing(
    app, people, fake_stripe, disputed_and_paid
):
    made = disputed_and_paid
    client = browser(app, people.coordinator)
    sent = len(fake_stripe.requests)
    response = client.post(f"/echanges/{made.id}/frais/rembourser", data={"reason": "  "})
    assert "Dites pourquoi : les deux personnes recevront ce message." in follow(client, response)
    fee = fee_of(made.id)
    assert (fee.state, fee.refund_id) == ("paid", None)
    assert fake_stripe.objects("refund") == [] and len(fake_stripe.requests) == sent
    assert _refund_acts() == []


def test_a_second_refund_says_already_refunded_and_asks_stripe_nothing(
    app, people, fake_stripe, disputed_and_paid
):
    made = disputed_and_paid
    client = browser(app, people.coordinator)
    reason = {"reason": "Le matériel n'a pas servi"}
    assert client.post(f"/echanges/{made.id}/frais/rembourser", data=reason).status_code == 302
    again = client.post(f"/echanges/{made.id}/frais/rembourser", data=reason)
    assert "Ces frais ont déjà été remboursés." in follow(client, again)
    assert len(fake_stripe.objects("refund")) == 1
    assert len(stripe_posts(fake_stripe, "/v1/refunds")) == 1
    assert len(_refund_acts()) == 1


def chargeback(fake, exchange_id: int, status: str = "needs_response") -> str:
    dispute = fake.open_dispute(fee_of(exchange_id).charge_id)
    if status != "needs_response":
        fake.update_dispute(dispute["id"], status)
    bank_disputes.sync_dispute(dispute["id"])
    return dispute["id"]


def ledger_row(page: str, fee_id: int) -> str:
    row = page[page.index(f'id="frais-{fee_id}"') :]
    return row[: row.index("</tr>")]


def test_while_a_chargeback_is_open_everyone_concerned_sees_it_and_nobody_refunds(
    app, people, fake_stripe, disputed_and_paid
):
    made = disputed_and_paid
    chargeback(fake_stripe, made.id)
    refund_action = f"/echanges/{made.id}/frais/rembourser"

    for person in (people.provider, people.receiver, people.coordinator):
        page = text(browser(app, person).get(f"/echanges/{made.id}"))
        box = page[page.index('id="frais"') : page.index("</section>", page.index('id="frais"'))]
        assert "Banque du payeur" in box and "Conteste le paiement" in box
        mine = person.id == people.receiver.id
        assert ("Votre banque conteste" if mine else "La banque de Rémi Reçoit conteste") in box
        assert "Stripe a repris 12,50 € en attendant sa décision" in box
        assert fee_state_shown(page) == "Payée en ligne"
        assert "Litige bancaire : la banque du payeur a repris la somme" in page  # the history
        assert not form_with_action(page, refund_action)

    client = browser(app, people.coordinator)
    response = client.post(refund_action, data={"reason": "Le matériel n'a pas servi"})
    assert "La banque du payeur conteste ce paiement" in follow(client, response)
    assert stripe_posts(fake_stripe, "/v1/refunds") == [] and _refund_acts() == []


def test_an_open_chargeback_shows_in_the_ledger_to_its_parties_and_the_admins_only(
    app, people, fake_stripe, disputed_and_paid
):
    made = disputed_and_paid
    admin = factories.member("Adam Réseau", admin=True)
    chargeback(fake_stripe, made.id)
    fee = fee_of(made.id)
    for person, sees in (
        (people.provider, True),
        (people.receiver, True),
        (admin, True),
        (people.outsider, False),
        (people.coordinator, False),
    ):
        row = ledger_row(text(browser(app, person).get("/caisse-commune/argent")), fee.id)
        assert ("Litige bancaire" in row) == sees, person.display_name
        assert "Payée en ligne" in row


def test_money_the_bank_gave_back_shows_in_the_ledger_totals_its_month_and_the_csv(
    app, people, fake_stripe, disputed_and_paid
):
    made = disputed_and_paid
    chargeback(fake_stripe, made.id, "lost")
    fee = fee_of(made.id)

    page = text(browser(app, people.outsider).get("/caisse-commune/argent"))
    totals = page[page.index('id="totals-title"') : page.index('id="fees-title"')]
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", totals))
    assert (facts["Payé en ligne"], facts["Rendu par la banque"]) == ("12,50 €", "12,50 €")
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', totals)
    (cells,) = re.findall(r"<tr>\s*<th scope=\"row\"[^>]*>[^<]+</th>(.*?)</tr>", totals, re.S)
    month = dict(zip(headers[1:], re.findall(r">([^<]+)</td>", cells), strict=True))
    assert (month["Payé"], month["Rendu par la banque"], month["Remboursé"]) == (
        "12,50 €",
        "12,50 €",
        "0,00 €",
    )
    row = ledger_row(page, fee.id)
    assert "Payée en ligne" in row and "Rendue par la banque" in row  # everyone's: money moved
    csv_text = browser(app, people.outsider).get("/caisse-commune/argent.csv").text
    header, line = csv_text.removeprefix("\ufeff").splitlines()
    assert header.split(";")[-3:] == ["Litige bancaire", "Rendu par la banque le", "Référence"]
    assert line.split(";")[-3] == "A rendu la somme au payeur"


def test_a_ledger_where_no_bank_gave_money_back_does_not_mention_it(app, people, three_fees):
    page = text(browser(app, people.outsider).get("/caisse-commune/argent"))
    assert "Rendu par la banque" not in page and "Litige" not in page


def test_a_link_to_a_fee_opens_the_ledger_page_that_lists_it(app, people, three_fees, monkeypatch):
    from exchange.services.money import records as money_ledger

    monkeypatch.setattr(money_ledger, "PER_PAGE", 1)
    oldest = fee_of(three_fees["paid"].id)  # the first attached: the last page
    client = browser(app, people.outsider)
    answer = client.get(f"/caisse-commune/argent?frais={oldest.id}")
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/caisse-commune/argent?page=3#frais-{oldest.id}"
    page = client.get(answer.headers["Location"]).text
    assert f'id="frais-{oldest.id}"' in page
    # Its pagination goes back to page 2, not to the fee again.
    assert 'rel="prev" href="/caisse-commune/argent?page=2"' in page
    for odd in ("abc", "-1", "99999999999", "0", "%C2%B2", str(oldest.id + 100)):
        answer = client.get(f"/caisse-commune/argent?frais={odd}")
        assert answer.status_code == 302, odd
        assert urlsplit(answer.headers["Location"]).query == "page=1", odd


@pytest.mark.parametrize(
    "query", ["page=%C2%B2", "endpoint=x&page=2", "_method=POST&page=2", "_anchor=x&page=2"]
)
def test_an_odd_query_string_on_the_ledger_is_no_error(app, people, three_fees, monkeypatch, query):
    from exchange.services.money import records as money_ledger

    monkeypatch.setattr(money_ledger, "PER_PAGE", 1)
    answer = browser(app, people.outsider).get(f"/caisse-commune/argent?{query}")
    assert answer.status_code == 200 and 'class="pagination"' in answer.text
    assert "endpoint=" not in answer.text and "_method=" not in answer.text


# --------------------------------------------------------------------------- my Stripe account


def _payments_section(page: str) -> str:
    start = page.find('id="paiements"')
    return "" if start < 0 else page[start : page.find("</aside>", start)]


def test_my_profile_connects_my_stripe_account_and_follows_onboarding(app, people, fake_stripe):
    me = people.provider
    client = browser(app, me)
    section = _payments_section(text(client.get(f"/membres/{me.id}")))
    assert "Paiements en ligne" in section and "Non connecté" in section
    assert "Connecter mon compte Stripe" in form_with_action(section, "/compte/paiements/connecter")

    started = client.post("/compte/paiements/connecter")
    assert started.status_code == 303
    (account,) = fake_stripe.objects("account")
    assert started.headers["Location"].startswith(f"{fake_stripe.url}/setup/e/{account['id']}/")
    assert connect.state_of(me.id) == "pending"

    back = client.get("/compte/paiements/retour")
    assert urlsplit(back.headers["Location"]).path == f"/membres/{me.id}"
    page = follow(client, back)
    assert "votre compte de paiement est en attente" in page
    section = _payments_section(page)
    assert "En attente de Stripe" in section
    assert "Reprendre l'inscription sur Stripe" in section

    fake_stripe.make_account_ready(account["id"])
    page = follow(client, client.get("/compte/paiements/retour"))
    assert "Votre compte de paiement est prêt" in page
    section = _payments_section(page)
    assert "Prêt à recevoir des paiements" in section
    assert not form_with_action(section, "/compte/paiements/connecter")
    assert connect.state_of(me.id) == "ready"


def test_stripes_refresh_link_makes_a_fresh_onboarding_link(app, people, fake_stripe):
    client = browser(app, people.provider)
    first = client.post("/compte/paiements/connecter").headers["Location"]
    fresh = client.get("/compte/paiements/relancer")
    assert fresh.status_code == 303 and fresh.headers["Location"] != first
    assert len(fake_stripe.objects("account")) == 1  # the same account, a new link


def test_another_members_profile_shows_their_state_without_the_button(app, people, fake_stripe):
    ready_account(fake_stripe, people.provider)
    section = _payments_section(
        text(browser(app, people.receiver).get(f"/membres/{people.provider.id}"))
    )
    assert "Prêt à recevoir des paiements" in section
    assert not form_with_action(section, "/compte/paiements/connecter")
    section = _payments_section(
        text(browser(app, people.provider).get(f"/membres/{people.receiver.id}"))
    )
    assert "Non connecté" in section
    assert not form_with_action(section, "/compte/paiements/connecter")


def test_a_visitor_sees_no_payment_state(app, people, fake_stripe):
    ready_account(fake_stripe, people.provider)
    page = text(browser(app).get(f"/membres/{people.provider.id}"))
    assert "Paiements en ligne" not in page and "Prêt à recevoir" not in page


def test_with_fees_off_there_is_no_payment_section_and_connecting_says_fees_are_off(app, people):
    client = browser(app, people.provider)
    page = text(client.get(f"/membres/{people.provider.id}"))
    assert "Paiements en ligne" not in page and "Connecter mon compte Stripe" not in page
    started = client.post("/compte/paiements/connecter")
    assert urlsplit(started.headers["Location"]).path == f"/membres/{people.provider.id}"
    assert "Les frais en ligne sont désactivés sur ce réseau." in follow(client, started)
    assert db.session.scalar(select(func.count()).select_from(StripeAccount)) == 0


# --------------------------------------------------------------------------- the money ledger


def test_the_money_ledger_needs_a_log_in(app):
    for path in ("/caisse-commune/argent", "/caisse-commune/argent.csv"):
        response = browser(app).get(path)
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/connexion"


@pytest.fixture
def three_fees(app, people, fake_stripe):
    """A fee paid online (10 % to the commons), one settled outside, one still due."""
    admin = factories.member("Adam Réseau", admin=True)
    current = rules.current()
    rules.update(
        admin.id,
        credit_floor=current.credit_floor,
        credit_ceiling=current.credit_ceiling,
        welcome_grant=current.welcome_grant,
        commons_bp=1000,
        reason="Pour les communs",
    )
    ready_account(fake_stripe, people.provider)
    online = accepted(people, 2000, "Location de la salle")
    paid(fake_stripe, people, online.id)
    outside = accepted(people, 800, "Trajet en train")
    fees.settle_outside(people.provider.id, outside.id)
    due = accepted(people, 1250, "Chambre à air")
    return {"paid": online, "settled": outside, "due": due}


def _in_the_networks_words(app, function, value, fmt):
    with app.test_request_context():
        return getattr(flask_babel, function)(value, fmt)


def test_the_money_ledger_shows_every_fee_and_the_months_totals(app, people, three_fees):
    page = text(browser(app, people.provider).get("/caisse-commune/argent"))
    assert "Les frais en ligne sont désactivés" not in page
    table = page[page.index("money-fees") :]
    for name, covers, amount, state in (
        ("paid", "Location de la salle", "20,00 €", "Payée en ligne"),
        ("settled", "Trajet en train", "8,00 €", "Réglée hors d'Archipel"),
        ("due", "Chambre à air", "12,50 €", "À régler"),
    ):
        fee = fee_of(three_fees[name].id)
        row = table[table.index(f'href="/echanges/{fee.exchange_id}"') :]
        row = row[: row.index("</tr>")]
        assert _in_the_networks_words(app, "format_date", fee.created_at, "short") in table
        for shown in (covers, amount, state, "Paule Prête", "Rémi Reçoit"):
            assert shown in row, (name, shown)
    totals = page[page.index('id="totals-title"') : page.index('id="fees-title"')]
    assert "Payé en ligne" in totals and "20,00 €" in totals
    assert "Réglé hors d'Archipel" in totals and "8,00 €" in totals
    assert "Donné aux communs" in totals and "2,00 €" in totals
    assert "1 participation" in totals  # the one still due
    month = _in_the_networks_words(
        app, "format_date", fee_of(three_fees["paid"].id).paid_at, "MMMM y"
    )
    months = page[page.index("money-months") :]
    assert month in months


def test_someone_else_sees_the_exchange_as_its_number_not_its_title(app, people, three_fees):
    page = text(browser(app, people.outsider).get("/caisse-commune/argent"))
    for made in three_fees.values():
        assert f"n° {made.id}" in page
        assert f'href="/echanges/{made.id}"' not in page
    assert "Réparer un vélo" not in page  # the exchanges' title
    assert "Location de la salle" in page and "Paule Prête" in page  # the money is everyone's


def test_the_money_ledger_downloads_as_csv(app, people, three_fees):
    response = browser(app, people.outsider).get("/caisse-commune/argent.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    header, *rows = body[1:].splitlines()
    assert header.split(";")[:4] == [
        "Date",
        "Échange",
        "Ce que couvrent les frais",
        "Montant (euros)",
    ]
    assert len(rows) == 3 and all(row.count(";") == header.count(";") for row in rows)
    paid_row = next(r.split(";") for r in rows if "Location de la salle" in r)
    assert paid_row[1:7] == [
        str(three_fees["paid"].id),
        "Location de la salle",
        "20.00",
        "2000",
        "2.00",
        "Payée en ligne",
    ]
    assert "Réparer un vélo" not in body


def test_the_pot_links_to_the_money_ledger(app, people):
    page = text(browser(app, people.outsider).get("/caisse-commune"))
    assert 'href="/caisse-commune/argent"' in page


def test_with_fees_off_the_money_ledger_says_so(app, people):
    response = browser(app, people.outsider).get("/caisse-commune/argent")
    assert response.status_code == 200
    page = text(response)
    assert "Les frais en ligne sont désactivés sur ce réseau" in page
    assert "Aucune participation aux frais pour le moment." in page
