"""Telling a member of a new message without drowning them: one in-app notification per
conversation until they read it, and one email per conversation an hour at most, quoting the
message with a link (never the writer's address)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from exchange.services.notify import notifications, preferences
from models import Conversation, Message, Notification, Participant, User, db
from models.base import utcnow

EMAIL_EVERY = timedelta(hours=1)
QUOTED = 1500  # characters of the message quoted in the email


def writer_name(message: Message, conversation: Conversation, author: User) -> str:
    """Who a message is from, as its readers see it."""
    if message.as_coordination and conversation.space is not None:
        return f"{conversation.space.name} · {author.display_name}"
    return author.display_name


def tell(participant: Participant, conversation: Conversation, message: Message, author: User):
    """Tell one participant of a new message, inside the sender's transaction."""
    user = participant.user
    if user.erased_at is not None:
        return
    link = notifications.path("conversations.show", conversation_id=conversation.id)
    data: dict[str, Any] = {
        "name": writer_name(message, conversation, author),
        "coordination": message.as_coordination,
        "space": conversation.space.name if conversation.space is not None else "",
    }
    pending = (
        db.session.get(Notification, participant.notification_id)
        if participant.notification_id
        else None
    )
    channel = preferences.channel_for(user, "message_received")
    if channel == preferences.OFF:
        return
    if pending is None or pending.read_at is not None:
        notice = notifications.notify(user, "message_received", link=link, email=False, **data)
        db.session.flush()
        participant.notification_id = notice.id if notice is not None else None
    now = utcnow()
    if channel != preferences.EMAIL:
        return
    if participant.emailed_at is None or now - participant.emailed_at >= EMAIL_EVERY:
        participant.emailed_at = now
        body = message.body if len(message.body) <= QUOTED else message.body[:QUOTED] + " […]"
        notifications.queue_email(
            user,
            "message_received",
            topic="messages",
            link=notifications.external_url("conversations.show", conversation_id=conversation.id),
            quoted=body,
            about=conversation.listing.title if conversation.listing is not None else "",
            **data,
        )


def read(participant: Participant) -> None:
    """The member wrote in the conversation: nothing waits for them there any more."""
    participant.unread = 0
    participant.read_at = utcnow()
    if participant.notification_id:
        _notifications_read(participant.user_id, participant.conversation_id)
        participant.notification_id = None


def mark_read(user_id: int, conversation_id: int, *, seen) -> None:
    """The member read the conversation as it stood at `seen` (its last activity then): a
    message that came after stays unread."""
    db.session.execute(
        update(Participant)
        .where(
            Participant.conversation_id == conversation_id,
            Participant.user_id == user_id,
            Participant.last_message_at <= seen,
        )
        .values(unread=0, read_at=utcnow(), notification_id=None)
        .execution_options(synchronize_session=False)
    )
    _notifications_read(user_id, conversation_id)


def _notifications_read(user_id: int, conversation_id: int) -> None:
    """Every notification of a new message in this conversation is read."""
    link = notifications.path("conversations.show", conversation_id=conversation_id)
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.kind == "message_received",
            Notification.link == link,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
