"""What every step of a fee shares: reading it locked, moving it forward (due → paid →
refunded) with each step's effects once, its line in the exchange's history, and telling the
people concerned."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.services.errors import (
    Conflict,
    NotFound,
)
from exchange.services.exchanges import stewards
from exchange.services.ledger import transfers
from exchange.services.notify import notifications
from models import Exchange, Fee, User, db
from models.base import utcnow

# Exchange states after which an unpaid fee has nothing left to pay for.
CALLED_OFF = ("declined", "cancelled", "expired")


def lock(*where) -> Fee | None:
    """The fee, read fresh and locked until the commit (one decision at a time)."""
    transfers.begin_write()
    return db.session.scalar(
        select(Fee).where(*where).with_for_update().execution_options(populate_existing=True)
    )


def locked(exchange_id: int) -> Fee:
    fee = lock(Fee.exchange_id == exchange_id)
    if fee is None:
        raise NotFound()
    return fee


def fee_of(metadata: dict | None) -> Fee | None:
    """The fee a Stripe object was made for, locked; None (the transaction ended) when it
    names none of ours."""
    raw = (metadata or {}).get("fee_id")
    fee = lock(Fee.id == int(raw)) if raw and str(raw).isdigit() else None
    if fee is None:
        db.session.rollback()
    return fee


def advance(
    fee: Fee, target: str, *, intent: dict | None = None, actor: User | None = None
) -> None:
    """Move the fee forward to `target`, through "paid" if it skipped it; each step's effects
    happen once, when the step is taken. A fee already there or beyond is left as it is."""
    if not fee.can_move_to(target):
        return
    now = utcnow()
    charge = (intent or {}).get("latest_charge")
    charge = charge if isinstance(charge, dict) else {"id": charge} if charge else {}
    if intent:
        fee.payment_intent_id = fee.payment_intent_id or intent.get("id")
        fee.charge_id = fee.charge_id or charge.get("id")
    if fee.state != "paid" and (target == "paid" or fee.can_move_to("paid")):
        fee.state = "paid"
        # When the card was charged, not when we heard of it: the month it counts in.
        created = charge.get("created")
        fee.paid_at = datetime.fromtimestamp(created, UTC) if created else now
        fee.failure_message = ""
        fee.closed_at = None
        history(fee.exchange, fee.receiver, "fee_paid", "")
        tell(fee.provider, "fee_paid", fee, fee.receiver)
        if fee.exchange.state in CALLED_OFF and target == "paid":
            ask_for_refund(fee)
    if target == "refunded":
        fee.state = "refunded"
        fee.refunded_at = now
        fee.refunded_by_id = fee.refunded_by_id or (actor.id if actor else None)
        fee.closed_at = now
        history(fee.exchange, actor, "fee_refunded", "")
        for party in (fee.provider, fee.receiver):
            tell(party, "fee_refunded", fee, actor)
    fee.updated_at = now


def ask_for_refund(fee: Fee) -> None:
    """A fee paid on an exchange that was called off: the coordinators who could resolve it
    are asked to give it back (they see the exchange and its refund form)."""
    for steward in stewards.of_exchange(fee.exchange):
        tell(steward, "fee_to_refund", fee, None)


def wrong_state(fee: Fee) -> Conflict:
    messages = {
        "due": _l("Ces frais attendent d'être réglés."),
        "paid": _l("Ces frais sont déjà payés."),
        "refunded": _l("Ces frais ont été remboursés."),
        "settled": _l("Ces frais ont été réglés hors d'Archipel."),
        "withdrawn": _l("Ces frais ont été retirés avec l'échange."),
    }
    return Conflict(messages[fee.state])


def history(exchange: Exchange, actor: User | None, kind: str, message: str) -> None:
    exchange.add_step(actor.id if actor else None, kind, message=message)


def tell(user: User, kind: str, fee: Fee, actor: User | None, *, cents: int | None = None) -> None:
    """`cents`: the amount in question when it is not the whole fee (a bank's dispute)."""
    notifications.notify(
        user,
        kind,
        link=notifications.path("exchanges.show", exchange_id=fee.exchange_id),
        title=fee.exchange.title,
        member=actor.display_name if actor else "",
        amount_cents=cents or fee.amount_cents,
        covers=fee.covers,
    )
