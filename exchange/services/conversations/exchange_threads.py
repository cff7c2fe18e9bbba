"""An exchange's own conversation, shown on the exchange's page: its two parties write there,
and only they read it (the coordinators who may see a disputed exchange never do)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from exchange.services.conversations import blocks, notices
from exchange.services.conversations.threads import (
    Thread,
    clean_body,
    messages_of,
    open_conversation,
    post,
    writer,
)
from exchange.services.errors import NotFound
from exchange.services.exchanges import queries as exchange_queries
from exchange.services.ledger import transfers
from models import Conversation, Exchange, Message, User, db


def on_exchange(author_id: int, exchange_id: int, body: str, *, again: bool = True) -> Message:
    """Write in an exchange's own thread (its two parties only); it begins with the first
    message. Both parties writing first at the same instant: the database keeps one thread
    (its unique exchange), and the second message goes into it."""
    try:
        return _on_exchange(author_id, exchange_id, body)
    except IntegrityError:
        db.session.rollback()
        if not again:
            raise
        return on_exchange(author_id, exchange_id, body, again=False)


def _on_exchange(author_id: int, exchange_id: int, body: str) -> Message:
    transfers.begin_write()
    author = writer(author_id)
    exchange = exchange_queries.get_for(author, exchange_id)
    if author.id not in exchange.parties():
        raise NotFound()
    body = clean_body(body)
    other_id = exchange.receiver_id if author.id == exchange.provider_id else exchange.provider_id
    blocks.check_reaches(author.id, other_id)
    conversation = thread_of(exchange.id)
    if conversation is None:
        other = db.session.get(User, other_id)
        assert other is not None  # a party of the exchange
        conversation = open_conversation(
            [author, other],
            started_by=author,
            exchange_id=exchange.id,
            listing_id=exchange.listing_id,
        )
    message = post(conversation, author, body)
    db.session.commit()
    return message


def thread_of(exchange_id: int) -> Conversation | None:
    """The exchange's own conversation, if anybody wrote in it yet."""
    return db.session.scalar(
        select(Conversation)
        .where(Conversation.exchange_id == exchange_id)
        .options(selectinload(Conversation.participants))
    )


def exchange_thread(exchange_id: int, user_id: int) -> Thread | None:
    """The exchange's thread as one of its parties reads it on the exchange's page (reading it
    there is reading it): an empty one before anybody wrote; None for anybody else (its
    participants are its two parties; the coordinators who may see the exchange are not)."""
    conversation = thread_of(exchange_id)
    if conversation is None:
        return Thread([], None) if _is_party(exchange_id, user_id) else None
    me = next((p for p in conversation.participants if p.user_id == user_id), None)
    if me is None:
        return None
    if me.unread or me.notification_id:  # read first, then shown: nothing slips between
        notices.mark_read(user_id, conversation.id, seen=me.last_message_at)
        db.session.commit()
    thread = messages_of(conversation.id)
    thread.conversation = conversation
    return thread


def _is_party(exchange_id: int, user_id: int) -> bool:
    found = db.session.scalar(
        select(Exchange.id).where(
            Exchange.id == exchange_id,
            or_(Exchange.provider_id == user_id, Exchange.receiver_id == user_id),
        )
    )
    return found is not None
