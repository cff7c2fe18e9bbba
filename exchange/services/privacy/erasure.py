"""A member leaves (GDPR art. 17): what they wrote is erased, who they were is gone, and the
ledger stays exact.

Their name becomes "Ancien membre n° N", their address one that reaches nobody, their
password unusable; bio, contact, skills, photo, listings' texts, messages in exchanges and
in conversations (the other side keeps the conversation, with "Ancien membre n° N" and its
own messages), feedback comments and replies, report texts, blocks, notifications, sessions
and emails waiting for them are erased. Every transfer they took part in stays (the ledger is append-only, its reasons
with it): the other side's history and `flask ledger verify` are untouched. A balance left on
the account is settled with the common pot by one closure transfer, so that the sum stays 0.
Exchanges still open are cancelled and the other side told; fee records stay for the accounts,
without the text that said what they covered. The act is logged, with the admin's reason when
an admin did it on request. One transaction: all of it or nothing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from exchange.services.community import photos
from exchange.services.community.settings import with_password
from exchange.services.community.spaces import user_of
from exchange.services.errors import Conflict, Forbidden, InvalidInput
from exchange.services.ledger import transfers
from exchange.services.moderation import audit, rights
from exchange.services.notify import notifications
from exchange.services.privacy import export
from models import (
    Account,
    Block,
    DataExport,
    Exchange,
    ExchangeEvent,
    Fee,
    Feedback,
    Listing,
    ListingTerm,
    LoginSession,
    Membership,
    Message,
    Notification,
    OutboxEmail,
    Participant,
    Report,
    User,
    db,
    listing_skills,
)
from models.base import utcnow
from models.exchanges import OPEN_STATES

WITHDRAWN = "Annonce retirée"  # the title left on the listings of a member who left
UNUSABLE = "!"


def former_name(user_id: int) -> str:
    return f"Ancien membre n° {user_id}"


def former_address(user_id: int) -> str:
    # .invalid is reserved (RFC 6761): no mail server anywhere accepts it.
    return f"ancien-membre-{user_id}@archipel.invalid"


def balance_left(user_id: int) -> int:
    """The minutes a closure would settle with the pot (what the page says will happen)."""
    return db.session.scalar(select(Account.balance).where(Account.user_id == user_id)) or 0


def leave(user_id: int, password: str) -> None:
    """The member deletes their own account, their password first."""
    user = with_password(user_id, password)
    _erase(user, actor_id=user.id, reason="")


def erase_on_request(admin_id: int, member_id: int, reason: str) -> None:
    """An admin deletes a member's account at their request (a letter, a phone call), saying
    why in the log."""
    admin = rights.actor(admin_id)
    if not admin.is_admin:
        raise Forbidden()
    reason = rights.required(reason, _l("Dites à quelle demande vous répondez : c'est consigné."))
    member = user_of(member_id)
    _erase(member, actor_id=admin.id, reason=reason)


def _erase(user: User, *, actor_id: int, reason: str) -> None:
    transfers.begin_write()  # SQLite: nobody writes between the checks and the commit
    # PostgreSQL: the member's row, locked and read again, so that a double click or the member
    # and an admin at the same instant erase once and close the account with one transfer.
    user = db.session.scalars(
        select(User)
        .where(User.id == user.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if user.erased_at is not None:
        raise Conflict(_l("Ce compte a déjà été supprimé."))
    if user.is_admin and _admins() == 1:
        raise InvalidInput(
            _l("Vous êtes le dernier administrateur : nommez-en un autre avant de partir.")
        )
    name = former_name(user.id)
    old_photo, old_email = user.photo, user.email
    _close_account(user, actor_id)
    _cancel_open_exchanges(user, name)
    _erase_texts(user.id)
    _forget_person(user, name)
    audit.record(
        actor_id,
        "member_erased",
        reason=reason,
        subject_user_id=user.id,
        target_type="member",
        target_id=user.id,
        name=name,
        by_themselves=actor_id == user.id,
    )
    exports = list(db.session.scalars(select(DataExport.key).where(DataExport.user_id == user.id)))
    db.session.execute(delete(DataExport).where(DataExport.user_id == user.id))
    db.session.execute(delete(OutboxEmail).where(OutboxEmail.to_address == old_email))
    transfers.commit()
    # The files go once nothing names them (a store that fails leaves orphans, logged).
    photos.forget(user.id, old_photo)
    for key in exports:
        if key:
            export.drop(key)


def _admins() -> int:
    return (
        db.session.scalar(
            select(func.count(User.id)).where(User.is_admin.is_(True), User.erased_at.is_(None))
        )
        or 0
    )


def _close_account(user: User, actor_id: int) -> None:
    """What is left on the account goes to the pot, or what is owed comes from it."""
    account = transfers.account_of(user.id)
    if account.balance == 0:
        return
    pot = transfers.pot()
    giving = account.balance > 0
    transfers.transfer(
        kind="closure",
        from_account=account.id if giving else pot.id,
        to_account=pot.id if giving else account.id,
        minutes=abs(account.balance),
        reason="Clôture du compte d'un membre parti",
        author_id=actor_id,
        within_limits=False,
    )


def _cancel_open_exchanges(user: User, name: str) -> None:
    now = utcnow()
    mine = or_(Exchange.provider_id == user.id, Exchange.receiver_id == user.id)
    for ex in db.session.scalars(select(Exchange).where(mine, Exchange.state.in_(OPEN_STATES))):
        ex.state, ex.closed_at, ex.updated_at = "cancelled", now, now
        db.session.add(ExchangeEvent(exchange_id=ex.id, actor_id=user.id, kind="cancelled"))
        other = ex.receiver if ex.provider_id == user.id else ex.provider
        notifications.notify(
            other, "exchange_cancelled", link=f"/echanges/{ex.id}", member=name, title=ex.title
        )


def _erase_texts(user_id: int) -> None:
    """Everything the member wrote, in a few statements whatever their history's length."""
    mine = or_(Exchange.provider_id == user_id, Exchange.receiver_id == user_id)
    listings = select(Listing.id).where(Listing.author_id == user_id)
    statements = [
        update(Listing)
        .where(Listing.author_id == user_id)
        .values(
            title=WITHDRAWN,
            summary="",
            details="",
            next_steps="",
            search_text="",
            edit_requested="",
            status="closed",
        ),
        delete(ListingTerm).where(ListingTerm.listing_id.in_(listings)),
        delete(listing_skills).where(listing_skills.c.listing_id.in_(listings)),
        update(Exchange).where(Exchange.initiator_id == user_id).values(message=""),
        # A dispute is raised by the side that did not log the time.
        update(Exchange)
        .where(mine, Exchange.logged_by_id != user_id, Exchange.dispute_reason != "")
        .values(dispute_reason=""),
        update(ExchangeEvent).where(ExchangeEvent.actor_id == user_id).values(message=""),
        update(Feedback).where(Feedback.author_id == user_id).values(comment=""),
        update(Feedback).where(Feedback.subject_id == user_id).values(reply=""),
        update(Report).where(Report.reporter_id == user_id).values(text=""),
        update(Fee)
        .where(or_(Fee.provider_id == user_id, Fee.receiver_id == user_id))
        .values(covers=""),
        update(Membership)
        .where(Membership.user_id == user_id)
        .values(status="left", role="member", message=""),
        update(Message).where(Message.author_id == user_id).values(body="", erased_at=utcnow()),
        update(Participant)
        .where(Participant.user_id == user_id)
        .values(unread=0, notification_id=None),
        delete(Block).where(or_(Block.blocker_id == user_id, Block.blocked_id == user_id)),
        delete(Notification).where(Notification.user_id == user_id),
        delete(LoginSession).where(LoginSession.user_id == user_id),
    ]
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False))


def _forget_person(user: User, name: str) -> None:
    user.display_name = name
    user.email = former_address(user.id)
    user.password_hash = UNUSABLE
    user.email_confirmed_at = None  # out of the directory, the profiles and the pickers
    user.erased_at = utcnow()
    user.is_admin = False
    user.locale = None
    user.bio = user.city = user.languages = user.contact = user.search_text = ""
    user.suspension_reason = ""
    user.photo = None
    user.skills = []
