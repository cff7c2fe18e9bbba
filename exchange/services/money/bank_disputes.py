"""The payer's bank questions or disputes a paid fee's charge (Stripe's charge.dispute.*): the
dispute is recorded beside the fee and only moves forward; the provider and the admins are told."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from exchange.adapters import stripe_api
from exchange.services.errors import (
    payment_failure,
)
from exchange.services.exchanges import stewards
from exchange.services.money.fee_steps import advance, fee_of, history, tell
from exchange.services.notify import notifications
from models import Fee, db
from models.base import utcnow
from models.payments import DISPUTE_RANK

log = logging.getLogger(__name__)

# Stripe's dispute statuses, and the steps a fee's dispute walks through to reach each: a
# status seen late (a chargeback lost, before we heard it was opened) takes the steps it
# skipped, each with its effects once. A status we do not know holds the charge, as Stripe
# would (see models.payments.DISPUTE_STATES).
DISPUTE_PATH = {
    "warning_needs_response": ("inquiry",),
    "warning_under_review": ("inquiry",),
    "warning_closed": ("inquiry", "closed"),
    "prevented": ("inquiry", "closed"),
    "needs_response": ("open",),
    "under_review": ("open",),
    "won": ("open", "won"),
    "lost": ("open", "lost"),
}


def sync_dispute(dispute_id: str) -> Fee | None:
    """The payer's bank questions or disputes a charge (charge.dispute.*). With destination
    charges the network's own Stripe account answers it, from Stripe's dashboard: its admins
    and the provider are told of each step, the exchange's history keeps it. The fee's state
    is left as it is; the dispute is recorded beside it and only moves forward."""
    try:
        dispute = stripe_api.dispute(dispute_id)
        intent_id = dispute.get("payment_intent")
        if not intent_id and dispute.get("charge"):
            intent_id = stripe_api.charge(dispute["charge"]).get("payment_intent")
        intent = stripe_api.payment_intent(intent_id) if intent_id else {}
    except stripe_api.StripeFailure as e:
        raise payment_failure(e.lost) from e
    fee = fee_of(intent.get("metadata"))
    if fee is None:
        return None
    if fee.dispute_id not in (None, dispute["id"]):
        if not _replaces(fee, dispute):
            log.warning(
                "Dispute %s on fee %s left aside: %s is %s",
                dispute["id"],
                fee.id,
                fee.dispute_id,
                fee.dispute_status,
            )
            db.session.rollback()
            return fee
        # The bank asked questions, then filed a chargeback under a new id: the newer one.
        fee.dispute_id = fee.dispute_status = fee.dispute_closed_at = None
    if intent.get("status") == "succeeded":  # heard of before the payment itself
        advance(fee, "paid", intent=intent)
    now = utcnow()
    if fee.dispute_id is None:
        created = dispute.get("created")
        fee.dispute_id = dispute["id"]
        fee.disputed_at = datetime.fromtimestamp(created, UTC) if created else now
    fee.dispute_cents = int(dispute.get("amount") or fee.amount_cents)
    for step in DISPUTE_PATH.get(dispute.get("status", ""), ("open",)):
        if fee.dispute_status is None or DISPUTE_RANK[step] > DISPUTE_RANK[fee.dispute_status]:
            fee.dispute_status = step
            if DISPUTE_RANK[step] == DISPUTE_RANK["closed"]:
                fee.dispute_closed_at = now
            history(fee.exchange, None, f"fee_dispute_{step}", "")
            _tell_about_dispute(fee, step)
    fee.updated_at = now
    db.session.commit()
    return fee


def _replaces(fee: Fee, dispute: dict) -> bool:
    """Whether another dispute on the fee's charge takes the place of the one recorded: only
    a newer one, and only over questions (Stripe files one chargeback per charge), so a late
    event about an older dispute never brings it back."""
    created = dispute.get("created")
    newer = created is not None and (
        fee.disputed_at is None or datetime.fromtimestamp(created, UTC) >= fee.disputed_at
    )
    return newer and fee.dispute_status in ("inquiry", "closed")


def _tell_about_dispute(fee: Fee, step: str) -> None:
    """The provider, on the exchange's page. The admins, who answer the bank from Stripe's
    dashboard, on the fee's line in the money ledger: the exchange is named by its number, as
    the ledger names it for anyone but its parties (who are never told as admins)."""
    tell(fee.provider, f"fee_dispute_{step}", fee, fee.receiver, cents=fee.disputed_cents)
    for admin in stewards.active_admins():
        if admin.id in (fee.provider_id, fee.receiver_id):
            continue
        notifications.notify(
            admin,
            "fee_dispute_admin",
            link=notifications.path("payments.money", frais=fee.id) + f"#frais-{fee.id}",
            step=step,
            number=fee.exchange_id,
            member=fee.receiver.display_name,
            amount_cents=fee.disputed_cents,
        )
