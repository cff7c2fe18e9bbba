"""Stripe, through the official library: one client per call site, from the app's config.

STRIPE_API_BASE points the library elsewhere (the tests' fake Stripe on localhost); it is
Stripe's own address otherwise. Every POST the application makes passes an idempotency key
derived from our own records, and the library retries network errors with that same key, so
a lost answer never makes a second object.
"""

from __future__ import annotations

import stripe
from flask import current_app

# Retries of a failed connection or a 409/5xx, with the same idempotency key.
NETWORK_RETRIES = 2
# Seconds before a call is given up (the library's own default is 80): a member is waiting,
# and a gunicorn worker is killed after 30.
TIMEOUT = 10


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


def post_options(key: str) -> dict:
    """The request options of a POST: always our own idempotency key, derived from our rows
    (with STRIPE_KEY_PREFIX, so two installations sharing one Stripe account never meet)."""
    return {"idempotency_key": (current_app.config.get("STRIPE_KEY_PREFIX") or "") + key}


def lost(error: Exception) -> bool:
    """Stripe may or may not have done it (no answer): the same key must be used again."""
    return isinstance(error, stripe.APIConnectionError | stripe.RateLimitError) or (
        isinstance(error, stripe.StripeError) and (error.http_status or 0) >= 500
    )


def webhook_secrets() -> list[str]:
    """STRIPE_WEBHOOK_SECRET, which may name several secrets separated by commas: Stripe signs
    the platform's endpoint and the connected accounts' endpoint with one secret each."""
    raw = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    return [secret.strip() for secret in raw.split(",") if secret.strip()]


def construct_event(payload: bytes, signature: str | None) -> stripe.Event:
    """The event, if signed with one of our secrets less than five minutes ago; raises
    stripe.SignatureVerificationError (or ValueError for a body that is not JSON) otherwise."""
    error: Exception = stripe.SignatureVerificationError("no webhook secret", signature)
    for secret in webhook_secrets():
        try:
            return stripe.Webhook.construct_event(payload, signature, secret, tolerance=300)
        except stripe.SignatureVerificationError as e:
            error = e
    raise error


Error = stripe.StripeError
SignatureError = stripe.SignatureVerificationError
