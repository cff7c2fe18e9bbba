"""Stripe, behind one gateway: every call to the official library is made here.

The services say what they want in their own words (open a checkout for this fee, refund it,
open this member's account) and get plain dicts back; this module builds the requests, derives
every POST's idempotency key from our own records (with STRIPE_KEY_PREFIX, so two installations
sharing one Stripe account never meet), lets the library retry network errors with that same
key, and turns the library's errors into its own: `StripeFailure`, `lost` when no answer came
back (the same key must be used again), and `BadSignature` for a webhook not from Stripe.

STRIPE_API_BASE points the library elsewhere (the tests' fake Stripe on localhost); it is
Stripe's own address otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import stripe
from flask import current_app

# Retries of a failed connection or a 409/5xx, with the same idempotency key.
NETWORK_RETRIES = 2
# Seconds before a call is given up (the library's own default is 80): a member is waiting,
# and a gunicorn worker is killed after 30.
TIMEOUT = 10


class StripeFailure(Exception):
    """Stripe refused (`lost` False: a new try is a new request, under a new key), or did not
    answer (`lost` True: it may have done it, the same key must be used again). `code` is
    Stripe's error code when it gave one."""

    def __init__(self, message: str, *, lost: bool, code: str | None = None):
        super().__init__(message)
        self.lost = lost
        self.code = code


class BadSignature(Exception):
    """A webhook not signed by Stripe with one of our secrets, too old, or not JSON."""


@dataclass(frozen=True)
class Checkout:
    """What a fee's Checkout Session asks the payer for, in our words."""

    fee_id: int
    exchange_id: int
    attempt: int  # the fee's checkout attempt: one session (and one key) per attempt
    amount_cents: int
    commons_cents: int  # kept by the network's account as the application fee
    name: str  # the line the payer reads, in their language
    description: str
    destination: str  # the provider's connected account
    payer_email: str
    locale: str
    expires_at: datetime
    success_url: str  # Stripe appends the session's id
    cancel_url: str


def client() -> stripe.StripeClient:
    config = current_app.config
    base = config.get("STRIPE_API_BASE")
    return stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        base_addresses={"api": base} if base else None,
        max_network_retries=NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
    )


def livemode() -> bool:
    """Live keys or test keys: accounts made with one are unknown to the other."""
    return (current_app.config.get("STRIPE_SECRET_KEY") or "").startswith(("sk_live", "rk_live"))


def _post(key: str) -> stripe.RequestOptions:
    return {"idempotency_key": (current_app.config.get("STRIPE_KEY_PREFIX") or "") + key}


# Each request's parameters are a plain dict built here (`params: Any`): the library types them
# as TypedDicts of its own, one per call, which a dict literal does not match.


def _lost(error: stripe.StripeError) -> bool:
    return isinstance(error, stripe.APIConnectionError | stripe.RateLimitError) or (
        (error.http_status or 0) >= 500
    )


@contextmanager
def _calling() -> Iterator[None]:
    try:
        yield
    except stripe.StripeError as e:
        raise StripeFailure(str(e), lost=_lost(e), code=getattr(e, "code", None)) from e


# ---------------------------------------------------------------------------- payments


def open_checkout(checkout: Checkout) -> dict:
    """A Checkout Session for the fee's attempt (the same attempt asked again gets the same
    session): a card payment to the provider's account, the commons share kept."""
    metadata = {"fee_id": str(checkout.fee_id), "exchange_id": str(checkout.exchange_id)}
    intent: dict = {"transfer_data": {"destination": checkout.destination}, "metadata": metadata}
    if checkout.commons_cents:
        intent["application_fee_amount"] = checkout.commons_cents
    params: Any = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "eur",
                    "unit_amount": checkout.amount_cents,
                    "product_data": {
                        "name": checkout.name[:250],
                        "description": checkout.description,
                    },
                },
            }
        ],
        "payment_intent_data": intent,
        # A card pays at once; slower methods would leave the fee in between for days.
        "payment_method_types": ["card"],
        "metadata": metadata,
        "client_reference_id": f"fee-{checkout.fee_id}",
        "customer_email": checkout.payer_email,
        "locale": checkout.locale,
        "expires_at": int(checkout.expires_at.timestamp()),
        "success_url": checkout.success_url + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": checkout.cancel_url,
    }
    key = f"fee-{checkout.fee_id}-checkout-{checkout.attempt}"
    with _calling():
        return client().v1.checkout.sessions.create(params, options=_post(key)).to_dict()


def checkout_session(session_id: str) -> dict:
    with _calling():
        return client().v1.checkout.sessions.retrieve(session_id).to_dict()


def expire_checkout(session_id: str, fee_id: int, attempt: int) -> dict:
    """Close an open session (the next attempt gets a new one)."""
    with _calling():
        return (
            client()
            .v1.checkout.sessions.expire(
                session_id, options=_post(f"fee-{fee_id}-expire-{attempt}")
            )
            .to_dict()
        )


def payment_intent(intent_id: str) -> dict:
    """A payment intent with its latest charge (whose time is when the money moved)."""
    with _calling():
        return (
            client().v1.payment_intents.retrieve(intent_id, {"expand": ["latest_charge"]}).to_dict()
        )


def charge(charge_id: str) -> dict:
    with _calling():
        return client().v1.charges.retrieve(charge_id).to_dict()


def dispute(dispute_id: str) -> dict:
    with _calling():
        return client().v1.disputes.retrieve(dispute_id).to_dict()


def refund(fee_id: int, payment_intent_id: str, attempt: int) -> dict:
    """Give a fee back in full: the transfer to the provider and the commons share reversed.
    Keys: fee-<id>-refund, then fee-<id>-refund-<n> after Stripe refused n times."""
    key = f"fee-{fee_id}-refund" + (f"-{attempt}" if attempt else "")
    params: Any = {
        "payment_intent": payment_intent_id,
        "reverse_transfer": True,
        "refund_application_fee": True,
        "metadata": {"fee_id": str(fee_id)},
    }
    with _calling():
        return client().v1.refunds.create(params, options=_post(key)).to_dict()


# ---------------------------------------------------------------------------- accounts


def open_account(user_id: int, email: str) -> dict:
    """The member's Express account, created once (key user-<id>-account)."""
    params: Any = {
        "type": "express",
        "country": current_app.config["STRIPE_ACCOUNT_COUNTRY"],
        "email": email,
        "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
        "metadata": {"user_id": str(user_id)},
    }
    with _calling():
        return (
            client().v1.accounts.create(params, options=_post(f"user-{user_id}-account")).to_dict()
        )


def onboarding_link(stripe_id: str, user_id: int, number: int, refresh_url: str, return_url: str):
    """The URL of a single-use onboarding link, the member's `number`th (user-<id>-link-<n>)."""
    params: Any = {
        "account": stripe_id,
        "refresh_url": refresh_url,
        "return_url": return_url,
        "type": "account_onboarding",
    }
    with _calling():
        link = client().v1.account_links.create(
            params, options=_post(f"user-{user_id}-link-{number}")
        )
    return link.url


def account(stripe_id: str) -> dict:
    with _calling():
        return client().v1.accounts.retrieve(stripe_id).to_dict()


# ---------------------------------------------------------------------------- webhooks


def webhook_secrets() -> list[str]:
    """STRIPE_WEBHOOK_SECRET, which may name several secrets separated by commas: Stripe signs
    the platform's endpoint and the connected accounts' endpoint with one secret each."""
    raw = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    return [secret.strip() for secret in raw.split(",") if secret.strip()]


def construct_event(payload: bytes, signature: str | None) -> stripe.Event:
    """The event, if signed with one of our secrets less than five minutes ago; BadSignature
    otherwise (a body that is not JSON included)."""
    error: Exception = stripe.SignatureVerificationError("no webhook secret", signature)
    for secret in webhook_secrets():
        try:
            return stripe.Webhook.construct_event(payload, signature, secret, tolerance=300)
        except (stripe.SignatureVerificationError, ValueError) as e:
            error = e
    raise BadSignature(str(error)) from error
