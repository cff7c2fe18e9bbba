"""Fees: the small money part a provider may attach to an exchange (materials, travel, a
room), paid by the receiver through Stripe Checkout, or settled outside Archipel.

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
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
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
from exchange.services.ledger import rules, transfers
from exchange.services.moderation import audit, rights
from exchange.services.money import amounts, connect
from exchange.services.notify import notifications
from models import Exchange, Fee, User, db
from models.base import utcnow
from models.payments import DISPUTE_RANK

log = logging.getLogger(__name__)

MIN_CENTS = 50  # Stripe's smallest charge in euros
MAX_COVERS = 200
# A Checkout Session lives an hour (Stripe asks for at least 30 minutes); an expired one is
# replaced by the next attempt.
CHECKOUT_LIFETIME = timedelta(hours=1)
# A session with less time left than this is not offered again: the next attempt replaces it.
MARGIN = timedelta(minutes=5)
STRIPE_MIN_LIFETIME = timedelta(minutes=30)
# Exchange states after which an unpaid fee has nothing left to pay for.
CALLED_OFF = ("declined", "cancelled", "expired")


# ---------------------------------------------------------------------------- reading


def of_exchange(exchange_id: int) -> Fee | None:
    return db.session.scalar(select(Fee).where(Fee.exchange_id == exchange_id))


def _lock(*where) -> Fee | None:
    """The fee, read fresh and locked until the commit (one decision at a time)."""
    transfers.begin_write()
    return db.session.scalar(
        select(Fee).where(*where).with_for_update().execution_options(populate_existing=True)
    )


def _locked(exchange_id: int) -> Fee:
    fee = _lock(Fee.exchange_id == exchange_id)
    if fee is None:
        raise NotFound()
    return fee


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
    _history(exchange, actor, "fee_attached", covers)
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
        _ask_for_refund(fee)


# ---------------------------------------------------------------------------- paying


def start_checkout(actor_id: int, exchange_id: int, now: datetime | None = None) -> str:
    """The receiver pays: the address of a Stripe Checkout Session for this fee, a destination
    charge to the provider's account with the commons share as the application fee. A double
    click, a retry or a return to the page reuses the open session."""
    actor = rights.actor(actor_id)
    fee = _locked(exchange_id)
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
            _expire_session(fee)
        # The attempt is written down before Stripe is asked: a retry of the same attempt sends
        # the same parameters (its expiry included) with the same key, and gets the same session.
        fee.checkout_attempt += 1
        fee.checkout_started_at = now
        fee.checkout_session_id = fee.checkout_url = fee.checkout_expires_at = None
        db.session.commit()
        fee = _locked(exchange_id)
        if fee.state != "due":  # settled or paid in the meantime by another way in
            raise wrong_state(fee)
    try:
        session = stripe_api.open_checkout(
            _checkout(fee, account.stripe_id, fee.checkout_started_at)
        )
    except stripe_api.StripeFailure as e:
        db.session.rollback()
        log.warning("Checkout Session for fee %s failed: %s", fee.id, e)
        if not e.lost:  # refused: the next try is a new attempt, under a new key
            fee = _locked(exchange_id)
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
    fee = _fee_of(session.get("metadata"))
    if fee is None:
        return None
    if session.get("status") == "complete" and session.get("payment_status") == "paid":
        _advance(fee, "paid", intent=intent)
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
    fee = _fee_of(intent.get("metadata"))
    if fee is None:
        return None
    error = intent.get("last_payment_error") or {}
    if intent.get("status") == "succeeded":
        _advance(fee, "paid", intent=intent)
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
    fee = _fee_of((intent or {}).get("metadata"))
    if fee is None:
        return None
    if charge.get("refunded"):
        _advance(fee, "refunded", intent=intent, actor=fee.refunded_by)
    elif charge.get("paid") and charge.get("status") == "succeeded":
        _advance(fee, "paid", intent=intent)
    db.session.commit()
    return fee


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
        intent = stripe_api.payment_intent(intent_id) if intent_id else None
    except stripe_api.StripeFailure as e:
        raise payment_failure(e.lost) from e
    fee = _fee_of((intent or {}).get("metadata"))
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
        _advance(fee, "paid", intent=intent)
    now = utcnow()
    if fee.dispute_id is None:
        created = dispute.get("created")
        fee.dispute_id = dispute["id"]
        fee.disputed_at = datetime.fromtimestamp(created, UTC) if created else now
    fee.dispute_cents = int(dispute.get("amount") or fee.amount_cents)
    for step in DISPUTE_PATH.get(dispute.get("status"), ("open",)):
        if fee.dispute_status is None or DISPUTE_RANK[step] > DISPUTE_RANK[fee.dispute_status]:
            fee.dispute_status = step
            if DISPUTE_RANK[step] == DISPUTE_RANK["closed"]:
                fee.dispute_closed_at = now
            _history(fee.exchange, None, f"fee_dispute_{step}", "")
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


def _fee_of(metadata: dict | None) -> Fee | None:
    """The fee a Stripe object was made for, locked; None (the transaction ended) when it
    names none of ours."""
    raw = (metadata or {}).get("fee_id")
    fee = _lock(Fee.id == int(raw)) if raw and str(raw).isdigit() else None
    if fee is None:
        db.session.rollback()
    return fee


def _advance(
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
        _history(fee.exchange, fee.receiver, "fee_paid", "")
        tell(fee.provider, "fee_paid", fee, fee.receiver)
        if fee.exchange.state in CALLED_OFF and target == "paid":
            _ask_for_refund(fee)
    if target == "refunded":
        fee.state = "refunded"
        fee.refunded_at = now
        fee.refunded_by_id = fee.refunded_by_id or (actor.id if actor else None)
        fee.closed_at = now
        _history(fee.exchange, actor, "fee_refunded", "")
        for party in (fee.provider, fee.receiver):
            tell(party, "fee_refunded", fee, actor)
    fee.updated_at = now


# ---------------------------------------------------------------------------- closing


def settle_outside(actor_id: int, exchange_id: int) -> Fee:
    """The provider says the fee was paid outside Archipel (cash, transfer). An open Checkout
    Session is expired first, so the receiver cannot pay a second time."""
    actor = rights.actor(actor_id)
    fee = _locked(exchange_id)
    if actor.id not in (fee.provider_id, fee.receiver_id):
        raise NotFound()
    if actor.id != fee.provider_id:
        raise Forbidden(_l("C'est à la personne qui reçoit l'argent de dire qu'il est réglé."))
    if fee.state != "due":
        raise wrong_state(fee)
    if fee.checkout_url:
        _expire_session(fee)
    now = utcnow()
    fee.state = "settled"
    fee.settled_at = fee.closed_at = fee.updated_at = now
    fee.checkout_url = fee.checkout_expires_at = None
    _history(fee.exchange, actor, "fee_settled", "")
    tell(fee.receiver, "fee_settled", fee, actor)
    db.session.commit()
    return fee


def _expire_session(fee: Fee) -> None:
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


def refund(actor_id: int, exchange_id: int, reason: str) -> Fee:
    """A coordinator resolving a dispute gives a paid fee back, once: the charge is refunded,
    the transfer to the provider and the commons share reversed. Logged with its reason."""
    actor = rights.actor(actor_id)
    fee = _locked(exchange_id)
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
        _advance(fee, "refunded", actor=actor)
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
    fee = _locked(exchange_id)
    fee.refund_attempt += 1
    db.session.commit()


# ---------------------------------------------------------------------------- helpers


def _ask_for_refund(fee: Fee) -> None:
    """A fee paid on an exchange that was called off: the coordinators who could resolve it
    are asked to give it back (they see the exchange and its refund form)."""
    for steward in stewards.of_exchange(fee.exchange):
        tell(steward, "fee_to_refund", fee, None)


def _held_by_the_bank() -> Conflict:
    return Conflict(
        _l(
            "La banque du payeur conteste ce paiement : c'est elle qui le rend, pas un remboursement."
        )
    )


def wrong_state(fee: Fee) -> Conflict:
    messages = {
        "due": _l("Ces frais attendent d'être réglés."),
        "paid": _l("Ces frais sont déjà payés."),
        "refunded": _l("Ces frais ont été remboursés."),
        "settled": _l("Ces frais ont été réglés hors d'Archipel."),
        "withdrawn": _l("Ces frais ont été retirés avec l'échange."),
    }
    return Conflict(messages[fee.state])


def _history(exchange: Exchange, actor: User | None, kind: str, message: str) -> None:
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
