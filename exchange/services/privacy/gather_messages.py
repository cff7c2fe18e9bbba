"""A member's export: their conversations, every message in them (theirs and those written
to them, the others by the name they show), and the members they blocked."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from exchange.services.privacy.rows import Row, rows
from models import Block, Conversation, Listing, Message, Participant, Space, User


def _mine(user: User):
    return select(Participant.conversation_id).where(Participant.user_id == user.id)


def conversations(user: User) -> Iterator[Row]:
    other, them = aliased(Participant), aliased(User)
    with_whom = (
        select(func.max(them.display_name))
        .join(other, other.user_id == them.id)
        .where(other.conversation_id == Conversation.id, other.user_id != user.id)
        .correlate(Conversation)
        .scalar_subquery()
    )
    query = (
        select(Conversation, Listing.title, Space.name, with_whom)
        .outerjoin(Listing, Listing.id == Conversation.listing_id)
        .outerjoin(Space, Space.id == Conversation.space_id)
        .where(Conversation.id.in_(_mine(user)))
        .order_by(Conversation.id)
    )
    return rows(
        query,
        lambda c, listing, space, name: {
            "id": c.id,
            "with": name or "",
            "kind": c.kind,
            "listing": listing or "",
            "exchange_id": c.exchange_id,
            "coordination_of": space or "",
            "created_at": c.created_at,
            "last_message_at": c.last_message_at,
        },
    )


def messages(user: User) -> Iterator[Row]:
    author = aliased(User)
    query = (
        select(Message, author.display_name)
        .outerjoin(author, author.id == Message.author_id)
        .where(Message.conversation_id.in_(_mine(user)))
        .order_by(Message.id)
    )

    def shape(m: Message, name: str | None) -> Row:
        mine = m.author_id == user.id
        # A message the coordination hid is still its author's; to its reader it is gone.
        shown = m.erased_at is None and (mine or m.hidden_at is None)
        return {
            "conversation_id": m.conversation_id,
            "from": name or "",
            "mine": mine,
            "as_coordination": m.as_coordination,
            "text": m.body if shown else "",
            "hidden": m.hidden_at is not None,
            "created_at": m.created_at,
        }

    return rows(query, shape)


def blocked(user: User) -> Iterator[Row]:
    query = (
        select(Block, User.display_name)
        .join(User, User.id == Block.blocked_id)
        .where(Block.blocker_id == user.id)
        .order_by(Block.created_at)
    )
    return rows(query, lambda b, name: {"member": name, "since": b.created_at})
