"""A provider's Stripe account (Stripe Connect, Express): opened on their first wish to be
paid online, filled in on Stripe's own onboarding pages, and kept current from what Stripe
says (the return from onboarding, `account.updated` events).

States a member sees: none (not connected), pending (opened, Stripe still needs something),
ready (Stripe lets it take charges and pay out).
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from exchange.adapters import stripe_api
from exchange.services.errors import Conflict, Forbidden, payment_failure
from exchange.services.ledger import transfers
from exchange.services.moderation import rights
from exchange.services.money import amounts
from exchange.services.notify import notifications
from models import StripeAccount, User, db
from models.base import utcnow

log = logging.getLogger(__name__)


def account_of(user_id: int) -> StripeAccount | None:
    """The member's account in the mode of the keys in use (test or live)."""
    return db.session.scalar(
        select(StripeAccount).where(
            StripeAccount.user_id == user_id, StripeAccount.livemode.is_(stripe_api.livemode())
        )
    )


def state_of(user_id: int) -> str:
    account = account_of(user_id)
    return account.state if account else "none"


def states_of(user_ids) -> dict[int, str]:
    """Each member's state, in one query (lists of members, the money ledger)."""
    ids = set(user_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        select(StripeAccount).where(
            StripeAccount.user_id.in_(ids), StripeAccount.livemode.is_(stripe_api.livemode())
        )
    )
    found = {row.user_id: row.state for row in rows}
    return {user_id: found.get(user_id, "none") for user_id in ids}


def onboarding_url(user_id: int) -> str:
    """Where to send the member to open, or finish opening, their Stripe account.

    The account is created once (idempotency key user-<id>-account); each onboarding link is
    single-use and short-lived, so each visit makes the next one (user-<id>-link-<n>).
    """
    user = rights.actor(user_id)
    if not amounts.online_fees_enabled():
        raise Conflict(_l("Les frais en ligne sont désactivés sur ce réseau."))
    if not user.email_confirmed:
        raise Forbidden(_l("Confirmez d'abord votre adresse e-mail."))
    account = account_of(user.id) or _open_account(user)
    try:
        url = stripe_api.onboarding_link(
            account.stripe_id,
            user.id,
            account.links_made + 1,
            refresh_url=notifications.external_url("payments.connect_refresh"),
            return_url=notifications.external_url("payments.connect_return"),
        )
    except stripe_api.StripeFailure as e:
        db.session.rollback()
        log.warning("Stripe onboarding link for member %s failed: %s", user.id, e)
        raise payment_failure(e.lost) from e
    transfers.begin_write()
    account = db.session.get_one(StripeAccount, account.id, with_for_update=True)
    account.links_made += 1
    db.session.commit()
    return url


def _open_account(user: User) -> StripeAccount:
    """Create the member's Express account at Stripe (once: user-<id>-account) and keep it at
    once, before anything else can fail; a double click finds the row the first one wrote."""
    try:
        created = stripe_api.open_account(user.id, user.email)
    except stripe_api.StripeFailure as e:
        db.session.rollback()
        log.warning("Stripe account for member %s failed: %s", user.id, e)
        raise payment_failure(e.lost) from e
    transfers.begin_write()
    account = StripeAccount(
        user_id=user.id, livemode=stripe_api.livemode(), stripe_id=created["id"], links_made=0
    )
    _apply(account, created)
    db.session.add(account)
    try:
        db.session.commit()
    except IntegrityError:  # the same request, twice at once: the other one kept it
        db.session.rollback()
        kept = account_of(user.id)
        if kept is None:
            raise
        return kept
    return account


def has_account(user_id: int) -> bool:
    return account_of(user_id) is not None


def refresh(user_id: int) -> str:
    """Ask Stripe how the member's account stands now (back from onboarding)."""
    account = account_of(user_id)
    if account is None:
        return "none"
    sync(account.stripe_id)
    return state_of(user_id)


def sync(stripe_id: str) -> StripeAccount | None:
    """Fetch the account from Stripe and keep what it says; tell the member once it is ready."""
    try:
        current = stripe_api.account(stripe_id)
    except stripe_api.StripeFailure as e:
        raise payment_failure(e.lost) from e
    transfers.begin_write()
    account = db.session.scalar(
        select(StripeAccount).where(StripeAccount.stripe_id == stripe_id).with_for_update()
    )
    if account is None:  # an account opened elsewhere on the platform: not ours to follow
        db.session.rollback()
        return None
    was = account.state
    _apply(account, current)
    if was != "ready" and account.state == "ready":
        notifications.notify(
            db.session.get_one(User, account.user_id),
            "stripe_ready",
            link=notifications.path("members.profile", user_id=account.user_id),
        )
    db.session.commit()
    return account


def _apply(account: StripeAccount, current: dict) -> None:
    account.charges_enabled = bool(current.get("charges_enabled"))
    account.payouts_enabled = bool(current.get("payouts_enabled"))
    account.details_submitted = bool(current.get("details_submitted"))
    account.transfers_active = (current.get("capabilities") or {}).get("transfers") == "active"
    account.updated_at = utcnow()
