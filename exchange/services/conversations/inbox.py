"""My conversations, newest activity first, a page at a time: the same statements for ten
conversations or ten thousand (my rows in their index, the conversations with their people,
listings, spaces and exchanges, the last message of each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from models import Conversation, Message, Notification, Participant, User, db

PER_PAGE = 20


@dataclass
class Line:
    """One conversation in my list."""

    conversation: Conversation
    unread: int
    others: list[User]
    last: Message | None


@dataclass
class Inbox:
    lines: list[Line]
    # The cursor of the next (older) page: the last line's activity and conversation.
    next_cursor: str | None


def _cursor(value: str | None) -> tuple[datetime, int] | None:
    """The (activity, conversation) a page's link carries; None for anything else (a page
    link typed by hand, cut, or out of any calendar)."""
    if not value or "_" not in value:
        return None
    stamp, _sep, ident = value.rpartition("_")
    try:
        when, number = datetime.fromisoformat(stamp), int(ident)
        if when.tzinfo is None or not 0 < number < 2**31:
            return None
        return when.astimezone(UTC), number
    except (ValueError, OverflowError):
        return None


def mine(user_id: int, *, after: str | None = None, per_page: int = PER_PAGE) -> Inbox:
    """A page of my conversations; `after` the cursor a previous page gave."""
    query = select(Participant).where(Participant.user_id == user_id)
    cursor = _cursor(after)
    if cursor is not None:
        stamp, ident = cursor
        if stamp.tzinfo is not None:
            query = query.where(
                or_(
                    Participant.last_message_at < stamp,
                    and_(Participant.last_message_at == stamp, Participant.conversation_id < ident),
                )
            )
    rows = list(
        db.session.scalars(
            query.order_by(Participant.last_message_at.desc(), Participant.conversation_id.desc())
            .limit(per_page + 1)
            .options(
                selectinload(Participant.conversation)
                .selectinload(Conversation.participants)
                .selectinload(Participant.user),
                selectinload(Participant.conversation).selectinload(Conversation.listing),
                selectinload(Participant.conversation).selectinload(Conversation.space),
                selectinload(Participant.conversation).selectinload(Conversation.exchange),
            )
        )
    )
    more, rows = len(rows) > per_page, rows[:per_page]
    last = _last_messages([p.conversation_id for p in rows])
    lines = [
        Line(
            p.conversation,
            p.unread,
            [o.user for o in p.conversation.participants if o.user_id != user_id],
            last.get(p.conversation_id),
        )
        for p in rows
    ]
    next_cursor = None
    if more and rows:
        next_cursor = f"{rows[-1].last_message_at.isoformat()}_{rows[-1].conversation_id}"
    return Inbox(lines, next_cursor)


def _last_messages(conversation_ids: list[int]) -> dict[int, Message]:
    if not conversation_ids:
        return {}
    newest = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(conversation_ids))
        .group_by(Message.conversation_id)
    )
    found = db.session.scalars(
        select(Message).where(Message.id.in_(newest)).options(selectinload(Message.author))
    )
    return {m.conversation_id: m for m in found}


def waiting(user_id: int) -> tuple[int, int]:
    """What the header shows: my unread notifications and my conversations with something
    unread, in one statement."""
    notices = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    conversations = (
        select(func.count())
        .select_from(Participant)
        .where(Participant.user_id == user_id, Participant.unread > 0)
        .scalar_subquery()
    )
    row = db.session.execute(select(notices, conversations)).one()
    return int(row[0] or 0), int(row[1] or 0)
