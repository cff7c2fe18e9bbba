"""A member looks after their own account: the password, and the sessions it opened."""

from __future__ import annotations

from typing import cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, select, update

from exchange.services.community import passwords
from exchange.services.community.accounts import session_id
from exchange.services.community.spaces import user_of
from exchange.services.errors import InvalidInput, NotFound
from exchange.services.notify import notifications
from models import LoginSession, User, db
from models.base import utcnow


def change_password(user_id: int, session_token: str | None, current: str, new: str) -> User:
    """The member sets a new password, the current one first: every other session of theirs
    ends (a device left logged in elsewhere is logged out), this one stays, and an email tells
    them, so that a change they did not make does not go unnoticed."""
    user = user_of(user_id)
    if not passwords.verify_password(user.password_hash, current or ""):
        raise InvalidInput(_l("Ce n'est pas votre mot de passe actuel."), field="current_password")
    passwords.check_strength(new or "", [user.email, user.display_name])
    if passwords.verify_password(user.password_hash, new):
        raise InvalidInput(
            _l("C'est déjà votre mot de passe : choisissez-en un autre."), field="password"
        )
    user.password_hash = passwords.hash_password(new)
    kept = session_id(session_token) if session_token else ""
    db.session.execute(
        update(LoginSession)
        .where(
            LoginSession.user_id == user.id,
            LoginSession.revoked_at.is_(None),
            LoginSession.id != kept,
        )
        .values(revoked_at=utcnow())
    )
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
