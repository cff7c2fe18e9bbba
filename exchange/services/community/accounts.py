"""Sign-up, email confirmation, log-in sessions and password reset."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import cast

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import IntegrityError

from exchange.services.community import passwords, tokens
from exchange.services.errors import (
    AccountSuspended,
    EmailNotConfirmed,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
)
from exchange.services.notify import notifications
from exchange.text import fold, one_line, squash
from models import LoginSession, User, db
from models.base import utcnow


def normalise_email(email: str) -> str:
    """The address as accounts are looked up by: one line, no control characters, lower case.
    The rate limit per account keys on it too, so `al\x01ice@…` is counted as `alice@…`."""
    return one_line(email).lower()


def by_email(email: str) -> User | None:
    """The account of this address, whatever its case or stray control characters."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_identity(display_name: str, email: str) -> tuple[str, str]:
    display_name = squash(display_name)
    if not display_name or len(display_name) > 80:
        raise InvalidInput(_l("Indiquez votre nom (80 caractères au plus)."), field="display_name")
    return display_name, checked_email(email)


def checked_email(email: str) -> str:
    """The address as accounts keep it, or InvalidInput on the `email` field."""
    email = normalise_email(email)
    local, _at, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or any(c.isspace() for c in email):
        raise InvalidInput(_l("Cette adresse e-mail n'est pas valide."), field="email")
    return email


def register(*, display_name: str, email: str, password: str, locale: str = "fr") -> User | None:
    """Create a member whose address still needs confirming, and email them the link.

    When the address already has an account, its owner gets an email saying so instead, and the
    answer is the same: the sign-up form never tells a stranger which addresses are members.
    Returns the new member, or None when the address was taken.
    """
    display_name, email = _check_identity(display_name, email)
    passwords.check_strength(password, [email, display_name])
    password_hash = passwords.hash_password(password)  # in both cases, so both take as long
    existing = by_email(email)
    if existing is None:
        user = User(
            email=email,
            display_name=display_name,
            password_hash=password_hash,
            locale=locale,
            search_text=fold(display_name),
        )
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # the same address signed up a moment ago (double click)
            db.session.rollback()
            existing = by_email(email)
        else:
            _queue_confirmation(user)
            db.session.commit()
            return user
    if existing is not None:
        notifications.queue_email(
            existing,
            "account_exists",
            name=existing.display_name,
            login=notifications.external_url("auth.login"),
            reset=notifications.external_url("auth.forgot_password"),
        )
        db.session.commit()
    return None


def create_admin(*, email: str, display_name: str, password: str) -> User:
    """A network admin, confirmed at once (the first one comes from the command line)."""
    display_name, email = _check_identity(display_name, email)
    user = by_email(email)
    if user is None:
        passwords.check_strength(password, [email, display_name])
        user = User(
            email=email,
            display_name=display_name,
            password_hash=passwords.hash_password(password),
            email_confirmed_at=utcnow(),
            locale="fr",
            search_text=fold(display_name),
        )
        db.session.add(user)
    user.is_admin = True
    db.session.commit()
    return user


def _queue_confirmation(user: User) -> None:
    token = tokens.make("confirm", {"uid": user.id, "email": user.email})
    notifications.queue_email(
        user,
        "confirm_email",
        name=user.display_name,
        link=notifications.external_url("auth.confirm_email", token=token),
    )


def resend_confirmation(email: str) -> None:
    """Send the confirmation link again; says nothing about whether the address exists."""
    user = by_email(email)
    if user and not user.email_confirmed:
        _queue_confirmation(user)
        db.session.commit()


def check_confirmation_token(token: str) -> User:
    """The member a confirmation link belongs to (the link itself changes nothing)."""
    payload = tokens.read("confirm", token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise InvalidToken()
    return user


def confirm_email(token: str, *, user_agent: str = "") -> User:
    """Mark the address as confirmed. Confirming twice is harmless.

    The first time, the link also logs the member in (`session_token` set): they just chose
    their password, and their first steps are what they came for. Later, the link only leads
    to the log-in page: one who finds it in a mailbox cannot open the account with it."""
    user = check_confirmation_token(token)
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
        if user.is_suspended:
            db.session.commit()
        else:
            start_session(user, user_agent=user_agent)  # commits both
    return user


def authenticate(email: str, password: str) -> User:
    """The member with this address and password, or InvalidCredentials (same time either way).

    Reads only: `log_in` is the use case that opens a session.
    """
    user = by_email(email)
    if user is None:
        passwords.burn_time(password or "")
        raise InvalidCredentials()
    if not passwords.verify_password(user.password_hash, password or ""):
        raise InvalidCredentials()
    if not user.email_confirmed:
        raise EmailNotConfirmed()
    if user.is_suspended:
        raise AccountSuspended(
            _l(
                "Votre compte est suspendu par la coordination : %(reason)s",
                reason=user.suspension_reason,
            )
        )
    return user


def log_in(email: str, password: str, *, remember: bool = False, user_agent: str = "") -> User:
    """Check the credentials and open a log-in session, in one transaction.

    The returned member carries the new session's token (`session_token`) for the cookies.
    """
    user = authenticate(email, password)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    start_session(user, remember=remember, user_agent=user_agent)
    return user


def session_id(token: str) -> str:
    """The row id of the session a cookie's token opens: only its hash is kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, remember: bool = False, user_agent: str = "") -> str:
    """Open a log-in session and return the token its cookies carry."""
    token = secrets.token_urlsafe(32)
    lifetime = current_app.config[
        "REMEMBER_COOKIE_DURATION" if remember else "PERMANENT_SESSION_LIFETIME"
    ]
    db.session.add(
        LoginSession(
            id=session_id(token),
            user_id=user.id,
            remember=remember,
            expires_at=utcnow() + lifetime,
            user_agent=(user_agent or "")[:200],
        )
    )
    db.session.commit()
    user.session_token = token
    return token


def end_session(token: str | None) -> None:
    """Revoke the session: its cookies, even copied elsewhere, stop working now."""
    if not token:
        return
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.id == session_id(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()


def end_all_sessions(user_id: int, *, but: str | None = None) -> None:
    """Revoke every live session of the member, in the caller's transaction; `but`: the
    token of one to keep (the member's own, when they change their password)."""
    db.session.execute(
        update(LoginSession)
        .where(
            LoginSession.user_id == user_id,
            LoginSession.revoked_at.is_(None),
            LoginSession.id != (session_id(but) if but else ""),
        )
        .values(revoked_at=utcnow())
    )


def user_for_session(token: str | None) -> User | None:
    """The member of a live session, or None for a revoked, expired or unknown one."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.id == session_id(token),
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > utcnow(),
            User.suspended_at.is_(None),
        )
    ).scalar_one_or_none()
    if row is not None:
        row.session_token = token
    return row


def request_password_reset(email: str) -> None:
    """Email a reset link when the address is known; the answer is the same when it is not."""
    user = by_email(email)
    if user is None:
        return
    token = tokens.make("reset", {"uid": user.id, "h": password_fingerprint(user.password_hash)})
    notifications.queue_email(
        user,
        "reset_password",
        name=user.display_name,
        link=notifications.external_url("auth.reset_password", token=token),
    )
    db.session.commit()


def password_fingerprint(password_hash: str) -> str:
    # Ties the link to the current password: once used (or the password changed), it is dead.
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def check_reset_token(token: str) -> User:
    payload = tokens.read("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or payload.get("h") != password_fingerprint(user.password_hash):
        raise InvalidToken()
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from an emailed link; every open session of the member ends."""
    user = check_reset_token(token)
    passwords.check_strength(new_password, [user.email, user.display_name])
    user.password_hash = passwords.hash_password(new_password)
    # Following the emailed link proves the address too.
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
    end_all_sessions(user.id)
    db.session.commit()
    return user


def purge_sessions(older_than_days: int = 30) -> int:
    """Delete log-in sessions that ended (expired or revoked) more than N days ago."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    result = cast(
        CursorResult,
        db.session.execute(
            delete(LoginSession).where(
                (LoginSession.expires_at < cutoff) | (LoginSession.revoked_at < cutoff)
            )
        ),
    )
    db.session.commit()
    return result.rowcount or 0
