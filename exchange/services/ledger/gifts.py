"""Time that moves outside an exchange: gifts (pay it forward; or recorded by a coordinator for a
member who asked), retributions from the common pot, the welcome grant, and an admin's
corrections."""

from __future__ import annotations

from typing import TypeGuard

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.services.conversations import blocks
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.ledger import limits, transfers
from exchange.services.ledger import rules as network_rules
from exchange.services.moderation import audit, on_behalf, rights
from exchange.services.notify import notifications
from models import Transfer, User, db

MAX_MESSAGE = 1000


def _statement_link() -> str:
    return notifications.path("account.statement")


def _reachable(member: User | None) -> TypeGuard[User]:
    """One the picker may offer (members.partner_suggestions): confirmed, not suspended, in a
    space."""
    return (
        member is not None
        and member.email_confirmed
        and not member.is_suspended
        and bool(member.active_memberships())
    )


def give(
    actor_id: int,
    *,
    minutes: int | None,  # None (an empty field) is refused like any other bad duration
    message: str,
    to_member_id: int | None = None,
    request_key: str | None = None,
    confirmed_large: bool = False,
    for_member_id: int | None = None,
    reason: str = "",
) -> Transfer:
    """Give time to another member, or to the common pot when `to_member_id` is None.

    The form's `request_key` makes the gift once, however often the request is sent. A gift
    above the network's threshold moves only `confirmed_large` (LargeAmountUnconfirmed else).
    With `for_member_id`, a coordinator gives that member's time at the member's request: the
    `reason` is required, the act logged and the member told (`moderation.on_behalf`).
    """
    if for_member_id is None:
        actor = giver = rights.actor(actor_id)
        if not actor.active_memberships():
            raise Forbidden(
                _l("Rejoignez d'abord un lieu du réseau : les dons se font entre membres.")
            )
    else:
        actor, giver, reason = on_behalf.acting_for(actor_id, for_member_id, reason)
        on_behalf.not_to_oneself(actor, to_member_id, "recipient")
    transfers.begin_write()
    if (done := transfers.by_request_key(request_key)) is not None:
        return done
    moved = gift_from(
        giver,
        actor,
        minutes=minutes,
        message=message,
        to_member_id=to_member_id,
        request_key=request_key,
        confirmed_large=confirmed_large,
    )
    if giver is not actor and not moved.replayed:  # a twin request logged it already
        recipient = db.session.get(User, to_member_id) if to_member_id else None
        on_behalf.record(
            actor,
            giver,
            what="gift",
            target_type="transfer",
            target_id=moved.id,
            reason=reason,
            minutes=moved.amount,
            other=recipient.display_name if recipient else "",
            other_id=recipient.id if recipient else None,
        )
    transfers.commit()
    return moved


def gift_from(
    giver: User,
    author: User,
    *,
    minutes: int | None,
    message: str,
    to_member_id: int | None,
    request_key: str | None,
    confirmed_large: bool,
) -> Transfer:
    """The gift of `giver`'s time written by `author` (the giver, or a coordinator the giver
    asked), inside the caller's transaction; the recipient is told, once. The caller has
    called `begin_write` and commits."""
    message = (message or "").strip()[:MAX_MESSAGE]
    recipient = None
    if to_member_id is None:
        to_account = transfers.pot()
    else:
        recipient = db.session.get(User, to_member_id)
        if not _reachable(recipient):
            raise InvalidInput(_l("Choisissez un membre du réseau."), field="recipient")
        if recipient.id == giver.id:
            raise InvalidInput(_l("On ne se donne pas du temps à soi-même."), field="recipient")
        # A gift carries words to its recipient: none from a member they blocked.
        blocks.check_reaches(giver.id, recipient.id, field="recipient")
        to_account = transfers.account_of(recipient.id)
    minutes = limits.check_minutes(minutes)
    from_account = transfers.account_of(giver.id)
    # A gift the limits refuse is said so at once, not after its confirmation.
    limits.check_room(from_account, to_account, minutes, author.id)
    network_rules.check_large(minutes, confirmed_large=confirmed_large)
    moved = transfers.transfer(
        kind="gift",
        from_account=from_account.id,
        to_account=to_account.id,
        minutes=minutes,
        reason=message,
        author_id=author.id,
        request_key=request_key,
    )
    # A twin request that wrote it while this one waited has told the recipient already.
    if recipient is not None and not moved.replayed:
        notifications.notify(
            recipient,
            "gift_received",
            link=_statement_link(),
            member=giver.display_name,
            minutes=minutes,
            message=message,
        )
    return moved


def retribute(
    actor_id: int,
    member_id: int,
    *,
    minutes: int | None,
    reason: str,
    request_key: str | None = None,
) -> Transfer:
    """A coordinator pays a member of their spaces from the pot for a contribution to the
    commons; the reason is required and the act is logged."""
    actor = rights.actor(actor_id)
    member = db.session.get(User, member_id)
    if member is None or not member.email_confirmed:
        raise InvalidInput(_l("Choisissez un membre du réseau."), field="recipient")
    if not rights.can_act_on_member(actor, member) or member.is_suspended:
        raise Forbidden(
            _l("Vous pouvez rétribuer les membres des lieux que vous coordonnez, pas vous-même."),
            field="recipient",
        )
    reason = rights.required(
        reason, _l("Dites pour quelle contribution aux communs : la personne le lira.")
    )
    transfers.begin_write()
    if (done := transfers.by_request_key(request_key)) is not None:
        return done
    moved = transfers.transfer(
        kind="retribution",
        from_account=transfers.pot().id,
        to_account=transfers.account_of(member.id).id,
        minutes=minutes,
        reason=reason,
        author_id=actor.id,
        request_key=request_key,
    )
    if moved.replayed:  # a twin request wrote it while this one waited: logged and told once
        transfers.commit()
        return moved
    audit.record(
        actor.id,
        "pot_retribution",
        reason=reason,
        space_id=rights.member_space(actor, member),
        subject_user_id=member.id,
        target_type="transfer",
        target_id=moved.id,
        minutes=minutes,
    )
    notifications.notify(
        member, "retribution_received", link=_statement_link(), minutes=minutes, reason=reason
    )
    transfers.commit()
    return moved


def grant_welcome(user: User) -> Transfer | None:
    """The welcome grant from the pot, once per member, when the network offers one and the
    pot can afford it (inside the caller's transaction; the caller commits)."""
    minutes = network_rules.current().welcome_grant
    if minutes <= 0:
        return None
    key = f"welcome:{user.id}"
    if transfers.by_request_key(key) is not None:
        return None
    pot = transfers.pot()
    if pot.balance < minutes:
        return None  # an empty pot welcomes with words only; nothing is owed later
    moved = transfers.transfer(
        kind="grant",
        from_account=pot.id,
        to_account=transfers.account_of(user.id).id,
        minutes=minutes,
        reason="welcome",
        author_id=None,
        request_key=key,
    )
    if moved.replayed:  # a twin join granted it while this one waited
        return None
    notifications.notify(user, "welcome_grant", link=_statement_link(), minutes=minutes)
    return moved


def correct(admin_id: int, transfer_id: int, reason: str) -> Transfer:
    """An admin reverses a transfer made by mistake: a new transfer the other way, with a
    reason, logged; the original stays as it was. A transfer is reversed once at most."""
    admin = rights.actor(admin_id)
    if not admin.is_admin:
        raise Forbidden()
    transfers.begin_write()
    original = db.session.get(Transfer, transfer_id)
    if original is None:
        raise NotFound()
    if original.kind == "correction":
        raise Conflict(_l("Une correction ne se corrige pas : faites un nouveau mouvement."))
    if db.session.scalar(select(Transfer.id).where(Transfer.reverses_id == original.id)):
        raise Conflict(_l("Ce mouvement a déjà été corrigé."))
    reason = rights.required(
        reason, _l("Dites pourquoi : les personnes concernées recevront ce message.")
    )
    moved = transfers.transfer(
        kind="correction",
        from_account=original.credit_account_id,
        to_account=original.debit_account_id,
        minutes=original.amount,
        reason=reason,
        author_id=admin.id,
        reverses_id=original.id,
    )
    holders = [
        a.user for a in (original.debit_account, original.credit_account) if a.user is not None
    ]
    audit.record(
        admin.id,
        "transfer_corrected",
        reason=reason,
        subject_user_id=holders[0].id if holders else None,
        target_type="transfer",
        target_id=original.id,
        correction_id=moved.id,
        minutes=original.amount,
    )
    for holder in holders:
        notifications.notify(
            holder,
            "transfer_corrected",
            link=_statement_link(),
            minutes=original.amount,
            reason=reason,
        )
    transfers.commit()
    return moved
