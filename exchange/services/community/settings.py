"""A member looks after their own account: the password, and the sessions it opened."""

from __future__ import annotations

from typing import cast

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError

from exchange.services.community import accounts, members, passwords, tokens
from exchange.services.community.spaces import user_of
from exchange.services.errors import Conflict, InvalidInput, InvalidToken, NotFound
from exchange.services.notify import notifications
from models import LoginSession, User, db
from models.base import utcnow


def with_password(user_id: int, current: str) -> User:
    """The member, once they typed their current password: a session left open somewhere is
    not enough to change what guards the account."""
    user = user_of(user_id)
    if not passwords.verify_password(user.password_hash, current or ""):
        raise InvalidInput(_l("Ce n'est pas votre mot de passe actuel."), field="current_password")
    return user


def change_password(user_id: int, session_token: str | None, current: str, new: str) -> User:
    """The member sets a new password, the current one first: every other session of theirs
    ends (a device left logged in elsewhere is logged out), this one stays, and an email tells
    them, so that a change they did not make does not go unnoticed."""
    user = with_password(user_id, current)
    passwords.check_strength(new or "", [user.email, user.display_name])
    if passwords.verify_password(user.password_hash, new):
        raise InvalidInput(
            _l("C'est déjà votre mot de passe : choisissez-en un autre."), field="password"
        )
    user.password_hash = passwords.hash_password(new)
    accounts.end_all_sessions(user.id, but=session_token)
    notifications.queue_email(
        user,
        "password_changed",
        name=user.display_name,
        link=notifications.external_url("auth.forgot_password"),
    )
    db.session.commit()
    return user


def live_sessions(user_id: int, limit: int = 50) -> list[LoginSession]:
    """The member's sessions still open (not ended, not expired), the newest first."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(
                LoginSession.user_id == user_id,
                LoginSession.revoked_at.is_(None),
                LoginSession.expires_at > utcnow(),
            )
            .order_by(LoginSession.created_at.desc(), LoginSession.id)
            .limit(limit)
        )
    )


def end_session(user_id: int, row_id: str) -> None:
    """The member ends one of their own sessions (a phone lost, a shared computer): its
    cookies stop working at once. Another member's, or one already ended: NotFound."""
    ended = cast(
        CursorResult,
        db.session.execute(
            update(LoginSession)
            .where(
                LoginSession.id == row_id,
                LoginSession.user_id == user_id,
                LoginSession.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
        ),
    ).rowcount
    if ended != 1:
        db.session.rollback()
        raise NotFound(_l("Cette session est déjà fermée."))
    db.session.commit()


def end_other_sessions(user_id: int, session_token: str | None) -> int:
    """The member ends every session of theirs but this one (a phone lost, a doubt); how many
    ended."""
    others = (
        db.session.scalar(
            select(func.count(LoginSession.id)).where(
                LoginSession.user_id == user_id,
                LoginSession.revoked_at.is_(None),
                LoginSession.id != (accounts.session_id(session_token) if session_token else ""),
            )
        )
        or 0
    )
    accounts.end_all_sessions(user_id, but=session_token)
    db.session.commit()
    return others


def request_email_change(user_id: int, current: str, new_email: str) -> str:
    """The member asks to move their account to another address, the current password first.
    Nothing changes until the link sent to the new address is followed; the old address is
    told at once. An address another account holds gets a notice instead of a link, and the
    answer is the same: this form does not tell which addresses are members. Returns the
    address as it will be kept."""
    user = with_password(user_id, current)
    email = accounts.checked_email(new_email or "")
    if email == user.email:
        raise InvalidInput(_l("C'est déjà votre adresse."), field="email")
    holder = accounts.by_email(email)
    if holder is not None:
        notifications.queue_email(holder, "email_taken", name=holder.display_name)
    else:
        # Tied to the password too: a member who changes it kills a change they did not ask.
        fingerprint = accounts.password_fingerprint(user.password_hash)
        token = tokens.make(
            "email_change", {"uid": user.id, "old": user.email, "new": email, "h": fingerprint}
        )
        link = notifications.external_url("members.confirm_email_change", token=token)
        notifications.queue_email(
            user, "email_change_confirm", to=email, name=user.display_name, link=link
        )
    notifications.queue_email(
        user,
        "email_change_notice",
        name=user.display_name,
        new=email,
        reset=notifications.external_url("auth.forgot_password"),
    )
    db.session.commit()
    return email


def check_email_change(token: str) -> tuple[User, str]:
    """The member and the address a change link moves them to (the link itself changes
    nothing); InvalidToken once used, expired, or overtaken by another change."""
    payload = tokens.read("email_change", token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if (
        user is None
        or user.email != payload.get("old")
        or payload.get("h") != accounts.password_fingerprint(user.password_hash)
        or not payload.get("new")
    ):
        raise InvalidToken()
    return user, payload["new"]


def confirm_email_change(token: str) -> User:
    """Follow the link sent to the new address: the account moves to it, now confirmed."""
    user, email = check_email_change(token)
    if accounts.by_email(email) is not None:
        raise Conflict(_l("Un autre compte utilise cette adresse depuis votre demande."))
    user.email = email
    user.email_confirmed_at = utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # taken between the check and the commit
        db.session.rollback()
        raise Conflict(_l("Un autre compte utilise cette adresse depuis votre demande.")) from None
    return user


def set_language(user_id: int, locale: str) -> User:
    """The language of the member's pages and emails (French or English)."""
    if locale not in members.LANGUAGES:
        raise InvalidInput(_l("Choisissez le français ou l'anglais."), field="locale")
    user = user_of(user_id)
    user.locale = locale
    db.session.commit()
    return user
