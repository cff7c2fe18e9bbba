"""Fees: the small money part a provider may attach to an exchange (materials, travel, a
room), paid by the receiver through Stripe Checkout, or settled outside Archipel. Attaching,
withdrawing, settling and refunding are here; paying online is in `checkout`, the payer's
bank's disputes in `bank_disputes`, and what every step shares in `fee_steps`.

Money never touches time credits: credits move on confirmation whatever a fee's state, and
nothing here reads or writes the time ledger.

Stripe is the truth about money. We never trust an event's order or contents: each event
only names an object, whose current state is fetched from Stripe and applied forward
(due → paid → refunded, see models.payments.FEE_RANK). Each step's effects (the exchange's
history, the notices) happen once, on the step itself, and a fee that jumps ahead (a refund
seen before its payment) walks through the steps it skipped, so any order of deliveries
leaves the same rows.

Every POST to Stripe carries an idempotency key derived from the fee's id: a retry, a double
click or a restart reuses the object Stripe already made.
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.adapters import stripe_api
from exchange.services.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PaymentRefused,
    payment_failure,
)
from exchange.services.exchanges import stewards
from exchange.services.ledger import rules
from exchange.services.moderation import audit, rights
from exchange.services.money import amounts
from exchange.services.money.checkout import expire_session
from exchange.services.money.fee_steps import (
    CALLED_OFF,
    advance,
    ask_for_refund,
    history,
    locked,
    tell,
    wrong_state,
)
from models import Exchange, Fee, User, db
from models.base import utcnow

log = logging.getLogger(__name__)

MIN_CENTS = 50  # Stripe's smallest charge in euros
MAX_COVERS = 200


# ---------------------------------------------------------------------------- reading


def of_exchange(exchange_id: int) -> Fee | None:
    return db.session.scalar(select(Fee).where(Fee.exchange_id == exchange_id))


def can_refund(viewer, fee: Fee) -> bool:
    """A coordinator who may resolve the exchange's dispute, once the fee is paid and the
    exchange is contested, was resolved, or was called off; not while the payer's bank
    holds the charge."""
    return _may_decide_refund(viewer, fee) and not fee.held_by_the_bank


def _may_decide_refund(viewer, fee: Fee) -> bool:
    exchange = fee.exchange
    in_question = (
        exchange.state == "disputed" or exchange.resolved_by_id is not None
    ) or exchange.state in CALLED_OFF
    return fee.state == "paid" and in_question and stewards.can_resolve(viewer, exchange)


# ---------------------------------------------------------------------------- attaching


def attach(
    exchange: Exchange, actor: User, amount_cents: int | None, covers: str | None
) -> Fee | None:
    """The provider attaches a fee while accepting or logging the time (inside the caller's
    transaction, the exchange locked). Nothing asked, nothing attached."""
    covers = (covers or "").strip()[:MAX_COVERS]
    if amount_cents is None and not covers:
        return None
    if not amounts.online_fees_enabled():
        raise InvalidInput(
            _l("Les frais en ligne sont désactivés sur ce réseau."), field="fee_amount"
        )
    if actor.id != exchange.provider_id:
        raise Forbidden(
            _l("Seule la personne qui donne son temps peut joindre des frais."), field="fee_amount"
        )
    if of_exchange(exchange.id) is not None:
        raise Conflict(_l("Des frais sont déjà joints à cet échange."), field="fee_amount")
    network = rules.current()
    cap = network.fee_cap_cents
    if amount_cents is None:
        raise InvalidInput(_l("Indiquez le montant des frais, en euros."), field="fee_amount")
    if amount_cents < MIN_CENTS:
        raise InvalidInput(
            _l("Les frais en ligne sont d'au moins %(min)s.", min=amounts.euros_text(MIN_CENTS)),
            field="fee_amount",
        )
    if amount_cents > cap:
        raise InvalidInput(
            _l("Les frais sont plafonnés à %(cap)s par échange.", cap=amounts.euros_text(cap)),
            field="fee_amount",
        )
    if not covers:
        raise InvalidInput(
            _l("Dites ce que couvrent ces frais : matériel, déplacement, salle…"),
            field="fee_covers",
        )
    fee = Fee(
        exchange=exchange,
        provider=exchange.provider,
        receiver=exchange.receiver,
        amount_cents=amount_cents,
        commons_cents=amounts.commons_share(amount_cents, network.commons_bp),
        covers=covers,
        state="due",
        checkout_attempt=0,
    )
    db.session.add(fee)
    db.session.flush()
    history(exchange, actor, "fee_attached", covers)
    tell(exchange.receiver, "fee_attached", fee, actor)
    return fee


def withdraw(exchange: Exchange) -> None:
    """The exchange was called off: an unpaid fee has nothing left to pay for; a paid one is
    for a coordinator to give back (in the caller's transaction)."""
    fee = of_exchange(exchange.id)
    if fee is not None and fee.state == "due":
        fee.state = "withdrawn"
        fee.closed_at = fee.updated_at = utcnow()
    elif fee is not None and fee.state == "paid":
        ask_for_refund(fee)


# ---------------------------------------------------------------------------- paying


# ---------------------------------------------------------------------------- closing


def settle_outside(actor_id: int, exchange_id: int) -> Fee:
    """The provider says the fee was paid outside Archipel (cash, transfer). An open Checkout
    Session is expired first, so the receiver cannot pay a second time."""
    actor = rights.actor(actor_id)
    fee = locked(exchange_id)
    if actor.id not in (fee.provider_id, fee.receiver_id):
        raise NotFound()
    if actor.id != fee.provider_id:
        raise Forbidden(_l("C'est à la personne qui reçoit l'argent de dire qu'il est réglé."))
    if fee.state != "due":
        raise wrong_state(fee)
    if fee.checkout_url:
        expire_session(fee)
    now = utcnow()
    fee.state = "settled"
    fee.settled_at = fee.closed_at = fee.updated_at = now
    fee.checkout_url = fee.checkout_expires_at = None
    history(fee.exchange, actor, "fee_settled", "")
    tell(fee.receiver, "fee_settled", fee, actor)
    db.session.commit()
    return fee


def refund(actor_id: int, exchange_id: int, reason: str) -> Fee:
    """A coordinator resolving a dispute gives a paid fee back, once: the charge is refunded,
    the transfer to the provider and the commons share reversed. Logged with its reason."""
    actor = rights.actor(actor_id)
    fee = locked(exchange_id)
    if actor.id in (fee.provider_id, fee.receiver_id):
        raise NotFound()
    if fee.state == "refunded" or fee.refund_id:
        raise Conflict(_l("Ces frais ont déjà été remboursés."))
    if not _may_decide_refund(actor, fee):
        if fee.state != "paid":
            raise wrong_state(fee)
        raise Forbidden(_l("Un remboursement se décide en tranchant une contestation."))
    if fee.held_by_the_bank:
        raise _held_by_the_bank()
    reason = rights.required(
        reason, _l("Dites pourquoi : les deux personnes recevront ce message.")
    )
    if fee.payment_intent_id is None:  # never paid through Stripe: nothing to give back
        raise wrong_state(fee)
    try:
        made = stripe_api.refund(fee.id, fee.payment_intent_id, fee.refund_attempt)
    except stripe_api.StripeFailure as e:
        db.session.rollback()
        log.warning("Refund of fee %s failed: %s", fee.id, e)
        if not e.lost:  # refused: a later try is a new request, under a new key
            _next_refund_attempt(exchange_id)
        if e.code == "charge_disputed":  # its webhook is still on its way
            raise _held_by_the_bank() from e
        raise payment_failure(e.lost) from e
    if made.get("status") not in ("succeeded", "pending"):  # failed, cancelled: nothing given
        db.session.rollback()
        _next_refund_attempt(exchange_id)
        raise PaymentRefused()
    fee.refund_id = made.get("id")
    fee.refunded_by_id = actor.id
    if made.get("status") == "succeeded":
        advance(fee, "refunded", actor=actor)
    else:  # pending: charge.refunded will say when it is done
        fee.updated_at = utcnow()
    audit.record(
        actor.id,
        "fee_refunded",
        reason=reason,
        space_id=stewards.log_space(actor, fee.exchange),
        subject_user_id=fee.provider_id,
        target_type="exchange",
        target_id=fee.exchange_id,
        amount_cents=fee.amount_cents,
        receiver_id=fee.receiver_id,
        covers=fee.covers,
    )
    db.session.commit()
    return fee


def _next_refund_attempt(exchange_id: int) -> None:
    fee = locked(exchange_id)
    fee.refund_attempt += 1
    db.session.commit()


# ---------------------------------------------------------------------------- helpers


def _held_by_the_bank() -> Conflict:
    return Conflict(
        _l(
            "La banque du payeur conteste ce paiement : c'est elle qui le rend, pas un remboursement."
        )
    )
