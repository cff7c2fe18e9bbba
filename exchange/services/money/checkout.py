"""Paying a fee online: the receiver's Stripe Checkout Session (one per attempt, reused while
open), and what Stripe says of a session, a payment intent or a charge, applied forward."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from exchange.adapters import stripe_api
from exchange.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    payment_failure,
)
from exchange.services.moderation import rights
from exchange.services.money import amounts, connect
from exchange.services.money.fee_steps import advance, fee_of, locked, tell, wrong_state
from exchange.services.notify import notifications
from models import Fee, db
from models.base import utcnow

log = logging.getLogger(__name__)

# A Checkout Session lives an hour (Stripe asks for at least 30 minutes); an expired one is
# replaced by the next attempt.
CHECKOUT_LIFETIME = timedelta(hours=1)


# A session with less time left than this is not offered again: the next attempt replaces it.
MARGIN = timedelta(minutes=5)


STRIPE_MIN_LIFETIME = timedelta(minutes=30)


def start_checkout(actor_id: int, exchange_id: int, now: datetime | None = None) -> str:
    """The receiver pays: the address of a Stripe Checkout Session for this fee, a destination
    charge to the provider's account with the commons share as the application fee. A double
    click, a retry or a return to the page reuses the open session."""
    actor = rights.actor(actor_id)
    fee = locked(exchange_id)
    if actor.id not in (fee.provider_id, fee.receiver_id):
        raise NotFound()
    if actor.id != fee.receiver_id:
        raise Forbidden(_l("C'est à la personne qui reçoit de payer ces frais."))
    if fee.state != "due":
        raise wrong_state(fee)
    if not amounts.online_fees_enabled():
        raise Conflict(_l("Les frais en ligne sont désactivés sur ce réseau."))
    account = connect.account_of(fee.provider_id)
    if account is None or account.state != "ready":
        raise Conflict(
            _l(
                "%(name)s n'a pas encore de compte de paiement prêt : réglez ces frais "
                "directement avec cette personne, ou revenez plus tard.",
                name=fee.provider.display_name,
            )
        )
    now = now or utcnow()
    if fee.checkout_url and fee.checkout_expires_at and fee.checkout_expires_at > now + MARGIN:
        db.session.rollback()
        return fee.checkout_url
    if not _attempt_open(fee, now):
        if fee.checkout_url:  # a session about to expire: closed at Stripe before the next one
            expire_session(fee)
        # The attempt is written down before Stripe is asked: a retry of the same attempt sends
        # the same parameters (its expiry included) with the same key, and gets the same session.
        fee.checkout_attempt += 1
        fee.checkout_started_at = now
        fee.checkout_session_id = fee.checkout_url = fee.checkout_expires_at = None
        db.session.commit()
        fee = locked(exchange_id)
        if fee.state != "due":  # settled or paid in the meantime by another way in
            raise wrong_state(fee)
    try:
        session = stripe_api.open_checkout(
            _checkout(fee, account.stripe_id, fee.checkout_started_at or now)
        )
    except stripe_api.StripeFailure as e:
        db.session.rollback()
        log.warning("Checkout Session for fee %s failed: %s", fee.id, e)
        if not e.lost:  # refused: the next try is a new attempt, under a new key
            fee = locked(exchange_id)
            fee.checkout_started_at = None
            db.session.commit()
        raise payment_failure(e.lost) from e
    fee.checkout_session_id = session["id"]
    fee.checkout_url = session["url"]
    fee.checkout_expires_at = datetime.fromtimestamp(session["expires_at"], UTC)
    fee.failure_message = ""
    fee.updated_at = now
    db.session.commit()
    return session["url"]


def _attempt_open(fee: Fee, now: datetime) -> bool:
    """An attempt whose session Stripe has not given us yet, that may still be asked for with
    the same parameters (Stripe wants a session to live at least 30 minutes from its making)."""
    return (
        fee.checkout_attempt > 0
        and fee.checkout_session_id is None
        and fee.checkout_started_at is not None
        and fee.checkout_started_at + CHECKOUT_LIFETIME - STRIPE_MIN_LIFETIME > now + MARGIN
    )


def _checkout(fee: Fee, destination: str, now: datetime) -> stripe_api.Checkout:
    receiver = fee.receiver
    with force_locale(receiver.locale or "fr"):
        name = str(_l("Frais : %(covers)s", covers=fee.covers))
    return stripe_api.Checkout(
        fee_id=fee.id,
        exchange_id=fee.exchange_id,
        attempt=fee.checkout_attempt,
        amount_cents=fee.amount_cents,
        commons_cents=fee.commons_cents,
        name=name,
        description=fee.exchange.title,
        destination=destination,
        payer_email=receiver.email,
        locale="en" if receiver.locale == "en" else "fr",
        expires_at=now + CHECKOUT_LIFETIME,
        success_url=notifications.external_url(
            "payments.checkout_return", exchange_id=fee.exchange_id
        ),
        cancel_url=notifications.external_url("exchanges.show", exchange_id=fee.exchange_id),
    )


def sync_checkout(session_id: str) -> Fee | None:
    """Apply what Stripe says of a Checkout Session now: paid, or expired (a new one will be
    made on the next attempt)."""
    try:
        session = stripe_api.checkout_session(session_id)
        intent = None
        if session.get("payment_status") == "paid" and session.get("payment_intent"):
            intent = stripe_api.payment_intent(session["payment_intent"])
    except stripe_api.StripeFailure as e:
        raise payment_failure(e.lost) from e
    fee = fee_of(session.get("metadata"))
    if fee is None:
        return None
    if session.get("status") == "complete" and session.get("payment_status") == "paid":
        advance(fee, "paid", intent=intent)
    elif session.get("status") == "expired" and fee.checkout_session_id == session.get("id"):
        fee.checkout_url = fee.checkout_expires_at = None
        fee.updated_at = utcnow()
    db.session.commit()
    return fee


def sync_intent(intent_id: str) -> Fee | None:
    """A payment failed: keep Stripe's reason for the receiver, unless the intent has since
    succeeded or was cancelled (the failure is old news) or the fee moved on."""
    try:
        intent = stripe_api.payment_intent(intent_id)
    except stripe_api.StripeFailure as e:
        raise payment_failure(e.lost) from e
    fee = fee_of(intent.get("metadata"))
    if fee is None:
        return None
    error = intent.get("last_payment_error") or {}
    if intent.get("status") == "succeeded":
        advance(fee, "paid", intent=intent)
    elif (
        fee.state == "due"
        # Still waiting for a card: a cancelled intent (its session expired) is old news.
        and intent.get("status") == "requires_payment_method"
        and error.get("message")
        and fee.failure_message != error["message"]
    ):
        fee.failure_message = str(error["message"])[:500]
        fee.updated_at = utcnow()
        tell(fee.receiver, "fee_payment_failed", fee, None)
    db.session.commit()
    return fee


def sync_charge(charge_id: str) -> Fee | None:
    """A charge was refunded (from a dispute here, or from Stripe's dashboard)."""
    try:
        charge = stripe_api.charge(charge_id)
        intent = None
        if charge.get("payment_intent"):
            intent = stripe_api.payment_intent(charge["payment_intent"])
    except stripe_api.StripeFailure as e:
        raise payment_failure(e.lost) from e
    fee = fee_of((intent or {}).get("metadata"))
    if fee is None:
        return None
    if charge.get("refunded"):
        advance(fee, "refunded", intent=intent, actor=fee.refunded_by)
    elif charge.get("paid") and charge.get("status") == "succeeded":
        advance(fee, "paid", intent=intent)
    db.session.commit()
    return fee


def expire_session(fee: Fee) -> None:
    if fee.checkout_session_id is None:  # no session was opened: nothing to close
        return
    try:
        session = stripe_api.checkout_session(fee.checkout_session_id)
        if session.get("status") == "open":
            session = stripe_api.expire_checkout(
                fee.checkout_session_id, fee.id, fee.checkout_attempt
            )
    except stripe_api.StripeFailure as e:
        db.session.rollback()
        raise payment_failure(e.lost) from e
    if session.get("status") == "complete":
        db.session.rollback()
        sync_checkout(session["id"])  # paid meanwhile: record it now
        raise Conflict(_l("Ces frais viennent d'être payés en ligne."))
