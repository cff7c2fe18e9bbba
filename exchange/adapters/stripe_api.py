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


def client() -> stripe.StripeClient:
    config = current_app.config
    base = config.get("STRIPE_API_BASE")
    return stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        base_addresses={"api": base} if base else None,
        max_network_retries=NETWORK_RETRIES,
    )


def post_options(key: str) -> dict:
    """The request options of a POST: always our own idempotency key."""
    return {"idempotency_key": key}


def construct_event(payload: bytes, signature: str | None) -> stripe.Event:
    """The event, if its signature is ours and less than five minutes old; raises
    stripe.SignatureVerificationError (or ValueError for a body that is not JSON) otherwise."""
    return stripe.Webhook.construct_event(
        payload, signature, current_app.config["STRIPE_WEBHOOK_SECRET"], tolerance=300
    )


Error = stripe.StripeError
SignatureError = stripe.SignatureVerificationError
