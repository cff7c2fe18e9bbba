"""Stripe's webhook events: checked, recorded once by their id, handled after the answer.

`receive` verifies the signature (five minutes of tolerance) and records the event in its own
short transaction: a duplicate id is recognised by the unique row and changes nothing more.
`handle` runs after the response has left (and again from `flask stripe process-events` for
anything that failed): it asks Stripe for the object's current state, so the events' order
does not matter.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from exchange.adapters import stripe_api
from exchange.services.money import bank_disputes, checkout, connect
from models import Fee, StripeEvent, db
from models.base import utcnow

log = logging.getLogger(__name__)

# What each event type asks us to look at again.
HANDLERS = {
    "checkout.session.completed": checkout.sync_checkout,
    "checkout.session.async_payment_succeeded": checkout.sync_checkout,
    "checkout.session.expired": checkout.sync_checkout,
    "payment_intent.payment_failed": checkout.sync_intent,
    "payment_intent.succeeded": checkout.sync_intent,
    "charge.refunded": checkout.sync_charge,
    "charge.dispute.created": bank_disputes.sync_dispute,
    "charge.dispute.updated": bank_disputes.sync_dispute,
    "charge.dispute.closed": bank_disputes.sync_dispute,
    "charge.dispute.funds_withdrawn": bank_disputes.sync_dispute,
    "charge.dispute.funds_reinstated": bank_disputes.sync_dispute,
    "account.updated": connect.sync,
}
# After this many failed tries an event waits for a person (its error is kept).
MAX_ATTEMPTS = 8


class BadSignature(Exception):
    """Not from Stripe, or too old: answered 400, nothing written."""


def receive(payload: bytes, signature: str | None) -> StripeEvent | None:
    """Check and record one delivery: the event's row when it is still to handle (new, or an
    earlier delivery's handling failed), None when it was handled already."""
    try:
        event = stripe_api.construct_event(payload, signature)
    except (stripe_api.BadSignature, AttributeError, TypeError, KeyError) as e:
        # A bad or old signature; or a signed body that is not an event (JSON but no object).
        raise BadSignature(str(e)) from e
    try:
        object_id = str(event.data.object.to_dict().get("id") or "")
        row = StripeEvent(
            event_id=str(event.id),
            type=str(event.type),
            object_id=object_id,
            livemode=bool(event.livemode),
        )
    except (AttributeError, KeyError, TypeError) as e:
        raise BadSignature("not an event") from e
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # delivered before (maybe at the same instant, elsewhere)
        db.session.rollback()
        known = db.session.scalar(select(StripeEvent).where(StripeEvent.event_id == str(event.id)))
        return known if known is not None and known.processed_at is None else None
    return row


def handle(row_id: int) -> bool:
    """Do what the event asks, once; a failure is kept for the next try. True when done."""
    row = db.session.get(StripeEvent, row_id)
    if row is None or row.processed_at is not None:
        return True
    handler = HANDLERS.get(row.type)
    error = ""
    if handler is not None and row.object_id:
        try:
            handler(row.object_id)
        except Exception as e:  # kept on the row, tried again later
            db.session.rollback()
            log.warning("Stripe event %s (%s) failed: %s", row.event_id, row.type, e)
            error = f"{type(e).__name__}: {e}"[:500]
    row = db.session.get_one(StripeEvent, row_id)
    row.attempts += 1
    row.last_error = error
    if not error:
        row.processed_at = utcnow()
    db.session.commit()
    return not error


def stuck() -> int:
    """Events given up on after MAX_ATTEMPTS tries: for a person to look at (their error kept)."""
    given_up = StripeEvent.processed_at.is_(None), StripeEvent.attempts >= MAX_ATTEMPTS
    return db.session.scalar(select(func.count()).select_from(StripeEvent).where(*given_up)) or 0


def reconcile(limit: int = 200) -> int:
    """Ask Stripe about every fee still due whose Checkout Session we know: a payment whose
    events were all lost is found this way. How many fees were paid by it."""
    session_ids = list(
        db.session.scalars(
            select(Fee.checkout_session_id)
            .where(Fee.state == "due", Fee.checkout_session_id.is_not(None))
            .order_by(Fee.id)
            .limit(limit)
        )
    )
    db.session.rollback()
    paid = 0
    for session_id in session_ids:
        if session_id is None:  # the query asked for none: for the type checker
            continue
        try:
            fee = checkout.sync_checkout(session_id)
        except Exception as e:  # kept for the next run
            db.session.rollback()
            log.warning("Reconciling Checkout Session %s failed: %s", session_id, e)
            continue
        paid += fee is not None and fee.state == "paid"
    return paid


def handle_pending(limit: int = 200) -> tuple[int, int]:
    """Handle events still waiting (a crash after the answer, Stripe unreachable): (done, failed)."""
    ids = list(
        db.session.scalars(
            select(StripeEvent.id)
            .where(StripeEvent.processed_at.is_(None), StripeEvent.attempts < MAX_ATTEMPTS)
            .order_by(StripeEvent.id)
            .limit(limit)
        )
    )
    db.session.rollback()
    done = sum(1 for row_id in ids if handle(row_id))
    return done, len(ids) - done
