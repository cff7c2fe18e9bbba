"""A fee paid online, in a real browser, with the real stripe library and the fake Stripe.

Nadia repairs bikes. From her profile she connects her Stripe account: the button takes her to
(fake) Stripe's onboarding page; once Stripe says the account is complete she comes back
through Archipel's return address and her profile reads "Prêt à recevoir des paiements".
Hugo proposes an exchange on her offer; she accepts it with a fee of "12,50" covering
"Chambre à air", and later logs the hour she gave. Before confirming, Hugo reads the fee on the
exchange page, pays it with "Payer 12,50 € en ligne", lands on Stripe's Checkout page, pays
there and is sent back: the page says "Payée en ligne", with no second button to pay. He then
confirms the time (credits and money never mix). The money ledger (/caisse-commune/argent)
lists the fee with its parties and counts it in the month's totals.

The accept form, the exchange page Hugo sees, the money ledger and the profile's payment
section are saved at 1280 px and as a 390 px phone sees them (checked to fit its width).

The walk runs under the site's own Content-Security-Policy: with fees on, its form-action lets
the two buttons' redirects reach Stripe's pages (here the fake's), which Chromium checks and a
test client cannot; `test_stripe_buttons_lead_to_stripe_under_the_sites_csp` keeps it so.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator

import pytest
import requests
from babel.dates import format_date
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from exchange.services.exchanges import lifecycle
from exchange.services.money import checkout, connect, fees, records
from models import StripeEvent, db
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import account_menu, assert_fits_phone, header, log_in, next_step
from tests.browser.helpers import words as text
from tests.conftest import WEBHOOK_SECRET
from tests.stripe_fake import sign

pytestmark = pytest.mark.browser

PROVIDER = {"name": "Nadia Benali", "email": "nadia.benali@example.org"}
RECEIVER = {"name": "Hugo Lambert", "email": "hugo.lambert@example.org"}
SPACE = "L'Atelier des Canaux"

TITLE = "Réparer une crevaison et régler vos freins"
PROPOSAL = "Bonjour Nadia, ma roue arrière est à plat depuis dimanche. Jeudi soir ?"
ACCEPT_WORD = "Jeudi 18 h à l'atelier : j'apporte une chambre à air neuve."
COVERS = "Chambre à air"


EUROS = text("12,50 €")
# The fee's facts once attached ("12,50 €" with its spaces made plain by `fee_facts`).
DUE = {"Montant": "12,50 €", "Ce qu'elle couvre": COVERS, "État": "À régler"}


@pytest.fixture
def person(browser: Browser) -> Iterator[Callable[[], Page]]:
    """`person()`: a page in a fresh desktop context (1280×900), its own cookies."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def fee_box(page: Page):
    """The exchange page's "Participation aux frais" section."""
    return page.get_by_role("region", name="Participation aux frais")


def fee_facts(page: Page) -> dict[str, str]:
    """The fee's facts as a person reads them: {label: value}."""
    facts = fee_box(page).locator("dl.facts")
    return dict(
        zip(
            [t.strip() for t in facts.locator("dt").all_inner_texts()],
            [" ".join(d.split()) for d in facts.locator("dd").all_inner_texts()],
            strict=True,
        )
    )


def _pair():
    """Nadia, her offer, and Hugo, members of the same space."""
    atelier = factories.space(SPACE, city="Nantes")
    provider = factories.member(
        display_name=PROVIDER["name"], email=PROVIDER["email"], city="Nantes"
    )
    receiver = factories.member(
        display_name=RECEIVER["name"], email=RECEIVER["email"], city="Nantes"
    )
    for member in (provider, receiver):
        factories.join(member, atelier)
    offer = factories.listing(
        provider,
        atelier,
        TITLE,
        summary="Démontage, rustine ou chambre neuve, réglage des patins : avec vous.",
        estimated_minutes=60,
    )
    return provider, receiver, offer


def test_fee_attached_on_accepting_is_paid_on_checkout_and_shows_in_the_money_ledger(
    live_server, fake_stripe, person, phone, screenshot
):
    _pair()
    db.session.commit()  # nothing left open while the server works on the same database

    # --- Nadia connects her Stripe account from her profile.
    nadia = person()
    log_in(nadia, live_server.url, PROVIDER)
    account_menu(nadia).get_by_role("link", name=PROVIDER["name"]).click()
    profile_url = nadia.url
    payments = nadia.locator("#paiements")
    expect(payments).to_have_text("Paiements en ligne")
    expect(nadia.get_by_text("Non connecté", exact=True)).to_be_visible()
    screenshot(nadia, "B-profile-not-connected")
    screenshot(phone(nadia, profile_url), "phone-B-profile-not-connected")
    nadia.get_by_role("button", name="Connecter mon compte Stripe").click()
    expect(nadia.get_by_role("heading", name="Fake Stripe onboarding")).to_be_visible()
    assert nadia.url.startswith(fake_stripe.url + "/setup/e/acct_"), nadia.url
    (account,) = fake_stripe.objects("account")
    assert account["type"] == "express" and account["email"] == PROVIDER["email"]
    assert account["id"] in nadia.url
    # She fills in Stripe's forms; Stripe then sends her back to Archipel's return address.
    fake_stripe.make_account_ready(account["id"])
    nadia.goto(live_server.url + "/compte/paiements/retour")
    expect(nadia).to_have_url(profile_url)
    expect(
        nadia.get_by_text(
            "Votre compte de paiement est prêt : vous pouvez recevoir des frais en ligne."
        )
    ).to_be_visible()
    expect(nadia.get_by_text("Prêt à recevoir des paiements", exact=True)).to_be_visible()
    expect(nadia.get_by_role("button", name="Connecter mon compte Stripe")).to_have_count(0)
    screenshot(nadia, "B-profile-ready")
    screenshot(phone(nadia, profile_url + "#paiements"), "phone-B-profile-ready")

    # --- Hugo proposes an exchange from her offer.
    hugo = person()
    log_in(hugo, live_server.url, RECEIVER)
    hugo.goto(live_server.url + "/annonces")
    hugo.get_by_role("link", name=TITLE).click()
    hugo.get_by_role("link", name="Proposer un échange").click()
    hugo.get_by_label("Votre message").fill(PROPOSAL)
    hugo.get_by_role("button", name="Envoyer la proposition").click()
    expect(hugo.get_by_text(f"Proposition envoyée à {PROVIDER['name']}.")).to_be_visible()
    exchange_url = hugo.url
    assert re.fullmatch(re.escape(live_server.url) + r"/echanges/\d+", exchange_url)
    expect(fee_box(hugo)).to_have_count(0)  # no fee yet

    # --- Nadia accepts with a fee of 12,50 € for the inner tube.
    nadia.goto(exchange_url)
    expect(nadia.get_by_text(f"{RECEIVER['name']} attend votre réponse.")).to_be_visible()
    fields = next_step(nadia).get_by_role("group", name="Participation aux frais")
    expect(fields).to_contain_text(text("plafonnée à 50,00 € par échange"))
    nadia.get_by_label("Un mot pour l'autre personne (facultatif)").fill(ACCEPT_WORD)
    nadia.get_by_label("Montant, en euros").fill("12,50")
    nadia.get_by_label("Ce qu'elle couvre").fill(COVERS)
    screenshot(nadia, "B-accept-with-fee")
    small = phone(nadia, exchange_url)
    small.get_by_label("Montant, en euros").fill("12,50")
    small.get_by_label("Ce qu'elle couvre").fill(COVERS)
    screenshot(small, "phone-B-accept-with-fee")
    assert_fits_phone(small)
    small.context.close()  # not sent: the desktop form is the one she sends
    nadia.get_by_role("button", name="Accepter").click()
    expect(
        nadia.get_by_text("Échange accepté. Une fois le temps donné, l'un de vous le déclare.")
    ).to_be_visible()
    assert fee_facts(nadia) == DUE, fee_facts(nadia)
    # Her side: she may say it was paid otherwise; no button to pay her own fee.
    expect(fee_box(nadia).get_by_role("button", name="Réglée hors d'Archipel")).to_be_visible()
    expect(fee_box(nadia).get_by_role("button", name=re.compile("^Payer"))).to_have_count(0)
    # The hour given, she logs it (no second fee can be attached).
    expect(nadia.get_by_label("Montant, en euros")).to_have_count(0)
    nadia.get_by_label("Temps réellement donné").fill("1 h")
    nadia.get_by_role("button", name="Déclarer le temps").click()
    expect(nadia.get_by_text("Temps déclaré, à confirmer", exact=True)).to_be_visible()

    # --- Before confirming, Hugo reads the fee, and that confirming does not pay it.
    hugo.reload()
    expect(next_step(hugo)).to_contain_text(text(f"{PROVIDER['name']} a déclaré 1 h."))
    expect(next_step(hugo).get_by_role("button", name=text("Confirmer 1 h"))).to_be_visible()
    expect(next_step(hugo)).to_contain_text(
        text(
            "Une participation aux frais de 12,50 € est jointe (Chambre à air). "
            "Confirmer le temps ne la paie pas : elle se règle à part."
        )
    )
    assert fee_facts(hugo) == DUE, fee_facts(hugo)
    expect(fee_box(hugo)).to_contain_text(f"{PROVIDER['name']} la reçoit directement.")
    pay = fee_box(hugo).get_by_role("button", name=text("Payer 12,50 € en ligne"))
    expect(pay).to_be_visible()
    screenshot(hugo, "A-exchange-fee-to-pay")
    screenshot(phone(hugo, exchange_url), "phone-A-exchange-fee-to-pay")

    # --- He pays on Stripe's Checkout page.
    pay.click()
    expect(hugo.get_by_role("heading", name="Fake Stripe Checkout")).to_be_visible()
    (session,) = fake_stripe.objects("checkout.session")
    assert hugo.url == f"{fake_stripe.url}/c/pay/{session['id']}"
    assert (session["amount_total"], session["currency"], session["status"]) == (
        1250,
        "eur",
        "open",
    )
    assert (
        fake_stripe.payment_intent_data(session["id"])["transfer_data"]["destination"]
        == (account["id"])
    )
    fake_stripe.complete_checkout(session["id"])
    # Stripe sends the browser to the success URL, the session's id in it.
    success = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
    assert success == f"{exchange_url}/frais/paye?session_id={session['id']}"
    hugo.goto(success)
    expect(hugo).to_have_url(exchange_url)
    expect(hugo.get_by_text("Paiement reçu : merci. Les frais sont réglés.")).to_be_visible()
    expect(fee_box(hugo).locator(".state")).to_have_text("Payée en ligne")
    assert fee_facts(hugo)["État"].startswith("Payée en ligne · "), fee_facts(hugo)
    expect(hugo.get_by_role("button", name=re.compile("^Payer"))).to_have_count(0)
    expect(next_step(hugo)).not_to_contain_text("Confirmer le temps ne la paie pas")
    screenshot(hugo, "A-exchange-fee-paid")
    # One Checkout Session in all; the time is still his to confirm.
    assert len(fake_stripe.objects("checkout.session")) == 1
    next_step(hugo).get_by_role("button", name=text("Confirmer 1 h")).click()
    expect(hugo.get_by_text("Confirmé", exact=True)).to_be_visible()
    expect(fee_box(hugo).locator(".state")).to_have_text("Payée en ligne")

    # Nadia's side says it too.
    nadia.reload()
    expect(fee_box(nadia).locator(".state")).to_have_text("Payée en ligne")
    expect(fee_box(nadia).get_by_role("button")).to_have_count(0)

    # --- The money ledger, from the common pot's page: the fee and the month's total.
    hugo.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Caisse commune"
    ).click()
    hugo.get_by_role("link", name=re.compile("^Voir l'argent des échanges")).click()
    expect(hugo).to_have_url(live_server.url + "/caisse-commune/argent")
    expect(hugo.get_by_role("heading", level=1, name="Argent des échanges")).to_be_visible()
    totals = hugo.get_by_role("region", name="Totaux", exact=True)
    expect(totals.locator("dl.facts")).to_contain_text(text("Payé en ligne 12,50 €"))
    expect(totals.locator("dl.facts")).to_contain_text(text("Donné aux communs 0,00 €"))
    expect(totals.locator("dl.facts")).to_contain_text(
        text("En attente de règlement 0 participation")
    )
    (month,) = records.totals().months
    months = hugo.get_by_role("region", name="Totaux par mois").locator("tbody tr")
    expect(months).to_have_count(1)
    expect(months.first.locator("th, td")).to_have_text(
        [
            format_date(month.first_day, "MMMM y", locale="fr"),
            "1",
            EUROS,
            text("0,00 €"),
            text("0,00 €"),
            text("0,00 €"),
        ]
    )
    rows = hugo.get_by_role("region", name="Participations aux frais").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("cell")).to_have_text(
        [
            re.compile(r"\d"),
            TITLE,
            COVERS,
            PROVIDER["name"],
            RECEIVER["name"],
            "Payée en ligne",
            EUROS,
            text("0,00 €"),
        ]
    )
    screenshot(hugo, "A-money-ledger")
    screenshot(phone(hugo, hugo.url), "phone-A-money-ledger")


def _deliver(live_server, event: dict) -> None:
    """Stripe posts a signed event to the served app; wait until it has been handled (after
    the answer, as in production)."""
    payload = json.dumps(event)
    answer = requests.post(
        live_server.url + "/webhooks/stripe",
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": sign(payload, WEBHOOK_SECRET),
        },
        timeout=10,
    )
    assert answer.status_code == 200
    for _ in range(100):
        db.session.rollback()
        row = db.session.scalar(select(StripeEvent).where(StripeEvent.event_id == event["id"]))
        if row is not None and row.processed_at is not None:
            assert row.last_error == ""
            return
        time.sleep(0.05)
    raise AssertionError(f"{event['type']} was not handled")


def test_a_bank_dispute_reaches_the_provider_and_the_admin_and_shows_in_the_ledger(
    live_server, fake_stripe, person, phone, screenshot
):
    """Hugo's bank disputes the fee he paid: Nadia reads it from her notice on the exchange
    page; the admin's notice leads to the fee's line in the money ledger, which counts the
    payment as taken back once the bank has decided."""
    provider, receiver, offer = _pair()
    factories.member("Adèle Réseau", email="adele@example.org", admin=True)
    connect.onboarding_url(provider.id)
    fake_stripe.make_account_ready(connect.account_of(provider.id).stripe_id)
    connect.refresh(provider.id)
    exchange = lifecycle.propose(receiver.id, offer.id, message=PROPOSAL, foreseen_minutes=60)
    lifecycle.accept(provider.id, exchange.id, fee_cents=1250, fee_covers=COVERS)
    checkout.start_checkout(receiver.id, exchange.id)
    session_id = fees.of_exchange(exchange.id).checkout_session_id
    db.session.commit()
    paid = fake_stripe.complete_checkout(session_id)
    _deliver(live_server, fake_stripe.event("checkout.session.completed", paid))
    charge = fake_stripe.get("payment_intent", paid["payment_intent"])["latest_charge"]
    dispute = fake_stripe.open_dispute(charge)
    _deliver(live_server, fake_stripe.event("charge.dispute.created", dispute))

    nadia = person()
    log_in(nadia, live_server.url, PROVIDER)
    header(nadia).get_by_role("link", name=re.compile("^Notifications")).click()
    nadia.get_by_role(
        "link", name=re.compile(f"^Litige bancaire : la banque de {RECEIVER['name']}")
    ).click()
    expect(nadia).to_have_url(f"{live_server.url}/echanges/{exchange.id}")
    facts = fee_facts(nadia)
    assert facts["État"].startswith("Payée en ligne · "), facts
    assert facts["Banque du payeur"].startswith("Conteste le paiement · "), facts
    expect(fee_box(nadia)).to_contain_text(
        text(f"La banque de {RECEIVER['name']} conteste ce paiement : Stripe a repris 12,50 €")
    )
    expect(
        nadia.get_by_text("Litige bancaire : la banque du payeur a repris la somme")
    ).to_be_visible()
    screenshot(nadia, "B-exchange-bank-dispute-open")
    screenshot(phone(nadia, nadia.url), "phone-B-exchange-bank-dispute-open")

    lost = fake_stripe.update_dispute(dispute["id"], "lost")
    _deliver(live_server, fake_stripe.event("charge.dispute.closed", lost))

    adele = person()
    log_in(adele, live_server.url, {"name": "Adèle Réseau", "email": "adele@example.org"})
    header(adele).get_by_role("link", name=re.compile("^Notifications")).click()
    adele.get_by_role("link", name=re.compile("^Litige bancaire clos : la banque a rendu")).click()
    fee_id = fees.of_exchange(exchange.id).id
    expect(adele).to_have_url(f"{live_server.url}/caisse-commune/argent?page=1#frais-{fee_id}")
    totals = adele.get_by_role("region", name="Totaux", exact=True)
    expect(totals.locator("dl.facts")).to_contain_text(text("Rendu par la banque 12,50 €"))
    row = adele.locator(f"#frais-{fee_id}")
    expect(row.locator(".state.dispute-lost")).to_have_text("Rendue par la banque")
    expect(row).to_contain_text(f"n° {exchange.id}")  # not her exchange: its number only
    screenshot(adele, "admin-money-ledger-bank-dispute-lost")
    screenshot(phone(adele, adele.url), "phone-admin-money-ledger-bank-dispute-lost")


@pytest.mark.parametrize("button", ["connect", "pay"])
def test_stripe_buttons_lead_to_stripe_under_the_sites_csp(
    live_server, fake_stripe, new_page, button
):
    provider, receiver, offer = _pair()
    if button == "pay":
        connect.onboarding_url(provider.id)
        fake_stripe.make_account_ready(connect.account_of(provider.id).stripe_id)
        connect.refresh(provider.id)
        exchange = lifecycle.propose(receiver.id, offer.id, message=PROPOSAL, foreseen_minutes=60)
        lifecycle.accept(provider.id, exchange.id, fee_cents=1250, fee_covers=COVERS)
    db.session.commit()

    page = new_page()  # the site's own Content-Security-Policy applies
    if button == "connect":
        log_in(page, live_server.url, PROVIDER)
        account_menu(page).get_by_role("link", name=PROVIDER["name"]).click()
        page.get_by_role("button", name="Connecter mon compte Stripe").click()
        expect(page.get_by_role("heading", name="Fake Stripe onboarding")).to_be_visible()
    else:
        log_in(page, live_server.url, RECEIVER)
        page.goto(f"{live_server.url}/echanges/{exchange.id}")
        page.get_by_role("button", name=text("Payer 12,50 € en ligne")).click()
        expect(page.get_by_role("heading", name="Fake Stripe Checkout")).to_be_visible()
