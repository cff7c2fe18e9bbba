"""Telling members what happened: an in-app notification and, when it matters, an email.

Emails are written to the outbox in the action's own transaction (services/outbox.py): a
rolled-back action never mails anybody, and a committed one always will.
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from sqlalchemy import func, select

from exchange.services.notify import outbox, preferences
from exchange.services.notify.texts import GENERIC_EMAILS, describe_kind
from models import Notification, User, db
from models.base import utcnow


def path(endpoint: str, **values) -> str:
    """The site-relative address of a page, with or without a request (services, commands)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email: BASE_URL (required in production), else, in development
    and tests only, the host of the current request."""
    base = current_app.config.get("BASE_URL")
    if base:
        # Without a request (a command run by cron) url_for cannot build: the path will do.
        relative = (
            url_for(endpoint, **values) if has_request_context() else path(endpoint, **values)
        )
        return base.rstrip("/") + relative
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context():
        return url_for(endpoint, _external=True, **values)


def queue_email(
    user: User,
    template: str,
    *,
    to: str = "",
    recorded_as: str = "",
    topic: str = "",
    **context,
) -> None:
    """Send `templates/email/<template>.txt` to the member (or, `to`, to an address they are
    moving to) once the transaction commits.

    The message is written now, in the member's language, into the outbox of the open
    transaction; after the commit there is only sending left to do, by a worker. The row
    records `recorded_as` (what kind of email it is) or else the template's name. An email of a
    notification's `topic` carries a footer saying why it came and where to change it, and a
    one-click unsubscribe link for that topic.
    """
    if outbox.muted():
        return
    locale = user.locale or "fr"
    subject, body = render_email(template, locale, context)
    unsubscribe = ""
    if topic and not to:
        unsubscribe = external_url(
            "members.unsubscribe", token=preferences.unsubscribe_token(user.id, topic)
        )
        body = body.rstrip("\n") + "\n\n" + _footer(locale, topic, unsubscribe)
    outbox.add(to or user.email, subject, body, recorded_as or template, unsubscribe)


def notify(
    user: User, kind: str, *, link: str = "", email: bool = True, read: bool = False, **data
) -> Notification | None:
    """Record an in-app notification (and its email) inside the caller's transaction, as the
    member chose for this kind of event (services/notify/preferences.py): in the site only,
    with an email, or not at all (None).

    `read`: kept in the member's list for the record, but nothing new to them (they just did it).
    """
    channel = preferences.channel_for(user, kind)
    if channel == preferences.OFF:
        return None
    notice = Notification(
        user_id=user.id, kind=kind, data=data, link=link, read_at=utcnow() if read else None
    )
    db.session.add(notice)
    if email and channel == preferences.EMAIL:
        name = f"notification_{kind}"  # what the outbox row records, even for a generic one
        # A generic email's sentence is the notification's own: it says it all.
        template = "notification_generic" if kind in GENERIC_EMAILS else name
        queue_email(
            user,
            template,
            recorded_as=name,
            topic=preferences.topic_of(kind),
            link=link,
            kind=kind,
            data=data,
            **data,
        )
    return notice


def _footer(locale: str, topic: str, unsubscribe: str) -> str:
    """Why a notification's email came, where to change it, how to stop it in one click."""
    with force_locale(locale):
        return current_app.jinja_env.get_template("email/_footer.txt").render(
            topic=preferences.BY_KEY[topic].label,
            unsubscribe=unsubscribe,
            settings=external_url("members.notification_settings"),
        )


def render_email(template: str, locale: str, context: dict) -> tuple[str, str]:
    """(subject, body) of an email template; its first line is `Subject: …`.

    Rendered straight from the Jinja environment: an email depends on its context only,
    never on the request that happens to send it (its user, its cookies).
    """
    base_url = external_url("main.index").rstrip("/")
    with force_locale(locale):
        text = current_app.jinja_env.get_template(f"email/{template}.txt").render(
            base_url=base_url, **context
        )
    subject, _sep, body = text.partition("\n")
    return subject.removeprefix("Subject:").strip(), body.lstrip("\n")


def unread_count(user_id: int) -> int:
    unread = Notification.user_id == user_id, Notification.read_at.is_(None)
    return db.session.scalar(select(func.count()).where(*unread)) or 0


def for_member(user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the member as read."""
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ).all()
    now = utcnow()
    for n in rows:
        n.read_at = now
    db.session.commit()
    return len(rows)


def describe(notification: Notification) -> str:
    """The notification's sentence, in the reader's current language."""
    return describe_kind(notification.kind, notification.data or {})
