"""Members write to each other: a conversation from a listing, a profile or an exchange, its
messages, reading it, and the list of mine.

Only participants read a conversation: nobody else, admins included (a report shows the
coordinators the reported message alone, see `reporting`). A suspended member writes nothing;
a member who blocked another receives nothing from them (`blocks`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from exchange.services.community import members
from exchange.services.conversations import blocks, notices
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.ledger import transfers
from exchange.services.listings import queries as listing_queries
from exchange.services.moderation import audit
from exchange.text import multiline
from models import Conversation, Message, Participant, User, db
from models.base import utcnow

MAX_BODY = 5000
SHOWN = 30  # messages on a conversation's page; older ones a page at a time
SUSPENDED = _l("Votre compte est suspendu : vous ne pouvez pas écrire de messages.")


def clean_body(body: str | None) -> str:
    """What a member wrote, line breaks as they meant them; refused when empty or too long."""
    body = multiline(body).strip()
    if not body:
        raise InvalidInput(_l("Écrivez votre message."), field="body")
    if len(body) > MAX_BODY:
        raise InvalidInput(
            _l(
                "Votre message dépasse %(n)s caractères : raccourcissez-le, ou envoyez-le en "
                "deux fois.",
                n=format_decimal(MAX_BODY),
            ),
            field="body",
        )
    return body


def writer(user_id: int) -> User:
    """The member writing: refused when suspended (or gone)."""
    user = db.session.get(User, user_id)
    if user is None or user.erased_at is not None:
        raise Forbidden()
    if user.is_suspended:
        raise Forbidden(SUSPENDED, field="body")
    return user


def _between(a_id: int, b_id: int):
    """Conversations between exactly these two members (no coordination)."""
    mine, theirs = aliased(Participant), aliased(Participant)
    return (
        select(Conversation)
        .join(mine, (mine.conversation_id == Conversation.id) & (mine.user_id == a_id))
        .join(theirs, (theirs.conversation_id == Conversation.id) & (theirs.user_id == b_id))
        .where(Conversation.kind == "members")
    )


def open_conversation(
    users: list[User], *, started_by: User, kind: str = "members", **about
) -> Conversation:
    """A new conversation between these members, about a listing, an exchange or a space."""
    now = utcnow()
    conversation = Conversation(
        kind=kind, started_by_id=started_by.id, created_at=now, last_message_at=now, **about
    )
    db.session.add(conversation)
    db.session.flush()
    for user in users:
        db.session.add(
            Participant(conversation_id=conversation.id, user_id=user.id, last_message_at=now)
        )
    db.session.flush()
    db.session.refresh(conversation, ["participants"])
    return conversation


def post(
    conversation: Conversation, author: User, body: str, *, as_coordination: bool = False
) -> Message:
    """Add a message; every other participant has one more unread and is told (notices)."""
    now = utcnow()
    message = Message(
        conversation_id=conversation.id,
        author_id=author.id,
        body=body,
        as_coordination=as_coordination,
        created_at=now,
    )
    db.session.add(message)
    conversation.last_message_at = now
    # The participants' rows, locked and read again (PostgreSQL; SQLite serialises writers
    # from `begin_write`): two messages at once each see the other's notification and email.
    locked = db.session.scalars(
        select(Participant)
        .where(Participant.conversation_id == conversation.id)
        .order_by(Participant.user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for participant in locked:
        participant.last_message_at = now
        if participant.user_id == author.id:
            notices.read(participant)  # writing is reading
        else:
            participant.unread = Participant.unread + 1  # in SQL: two writers at once add two
            notices.tell(participant, conversation, message, author)
    db.session.flush()
    return message


def existing(author_id: int, recipient_id: int, listing_id: int | None = None):
    """The conversation the two members already have (about that listing), if any."""
    query = _between(author_id, recipient_id).where(Conversation.exchange_id.is_(None))
    query = query.where(
        Conversation.listing_id == listing_id
        if listing_id is not None
        else Conversation.listing_id.is_(None)
    )
    return db.session.scalar(query.order_by(Conversation.id).limit(1))


def may_propose(user: User, conversation: Conversation) -> bool:
    """From a conversation about a public listing, the one who asked proposes the exchange."""
    listing = conversation.listing
    return (
        listing is not None
        and listing.is_public()
        and listing.author_id != user.id
        and not conversation.from_coordination
    )


def start(author_id: int, recipient_id: int, body: str, *, listing_id: int | None = None):
    """Write to a member, from their profile or about a listing: the conversation between the
    two (about that listing) goes on if it exists, else it begins. Returns (conversation, new)."""
    transfers.begin_write()
    author = writer(author_id)
    recipient = members.get_member(recipient_id)
    if recipient.id == author.id:
        raise InvalidInput(_l("Vous ne pouvez pas vous écrire à vous-même."))
    if recipient.erased_at is not None:
        raise Conflict(_l("Ce compte a été fermé : ce membre ne reçoit plus de messages."))
    listing = None
    if listing_id is not None:
        listing = listing_queries.get_for(author, listing_id)
        if not listing.is_public() or listing.author_id != recipient.id:
            raise NotFound()
    body = clean_body(body)
    blocks.check_reaches(author.id, recipient.id)
    # The two members' rows, locked in id order: two first messages at once (a double click,
    # two tabs) begin one conversation, the second finds it.
    db.session.execute(
        select(User.id)
        .where(User.id.in_([author.id, recipient.id]))
        .order_by(User.id)
        .with_for_update()
    ).all()
    conversation = existing(author.id, recipient.id, listing.id if listing else None)
    new = conversation is None
    if conversation is None:
        conversation = open_conversation(
            [author, recipient], started_by=author, listing_id=listing.id if listing else None
        )
    post(conversation, author, body)
    db.session.commit()
    return conversation, new


def get_for(user_id: int, conversation_id: int) -> tuple[Conversation, Participant]:
    """A conversation and my place in it; 404 for anybody who does not take part."""
    participant = db.session.scalar(
        select(Participant)
        .where(Participant.conversation_id == conversation_id, Participant.user_id == user_id)
        .options(
            selectinload(Participant.conversation)
            .selectinload(Conversation.participants)
            .selectinload(Participant.user),
            selectinload(Participant.conversation).selectinload(Conversation.listing),
            selectinload(Participant.conversation).selectinload(Conversation.space),
        )
    )
    if participant is None:
        raise NotFound()
    return participant.conversation, participant


def blocked_names(user_id: int, conversation: Conversation) -> str:
    """The names of the others in a conversation of members whom I blocked ("" for none)."""
    if conversation.from_coordination:
        return ""
    found = [o for o in others(conversation, user_id) if blocks.blocks(user_id, o.id)]
    return ", ".join(o.display_name for o in found)


def others(conversation: Conversation, user_id: int) -> list[User]:
    """Who else takes part."""
    return [p.user for p in conversation.participants if p.user_id != user_id]


def may_write_as_coordination(user: User, conversation: Conversation) -> bool:
    """In a conversation of the coordination, its coordinator speaks as the coordination."""
    if not conversation.from_coordination or conversation.space_id is None:
        return False
    return user.is_admin or user.is_coordinator_of(conversation.space_id)


def reply(author_id: int, conversation_id: int, body: str) -> Message:
    """Write in a conversation I take part in."""
    transfers.begin_write()
    author = writer(author_id)
    conversation, _me = get_for(author.id, conversation_id)
    body = clean_body(body)
    as_coordination = may_write_as_coordination(author, conversation)
    for other in others(conversation, author.id):
        if other.erased_at is not None:
            raise Conflict(
                _l("Ce compte a été fermé : ce membre ne reçoit plus de messages."),
                field="body",
            )
        # Blocks are between members: the coordination, speaking or spoken to, is never
        # blocked (a coordinator no longer is, once they no longer coordinate the space).
        if not (as_coordination or may_write_as_coordination(other, conversation)):
            blocks.check_reaches(author.id, other.id)
    message = post(conversation, author, body, as_coordination=as_coordination)
    if as_coordination:
        log_coordination_message(author, conversation, others(conversation, author.id))
    db.session.commit()
    return message


def log_coordination_message(
    author: User, conversation: Conversation, recipients: list[User], **about
) -> None:
    """The moderation log records that the coordination wrote to a member (never the text)."""
    for recipient in recipients:
        audit.record(
            author.id,
            "coordination_message",
            space_id=conversation.space_id,
            subject_user_id=recipient.id,
            target_type="conversation",
            target_id=conversation.id,
            **about,
        )


@dataclass
class Thread:
    """One page of a conversation's messages, oldest first; `older` the id to read before."""

    messages: list[Message]
    older: int | None
    conversation: Conversation | None = None


def messages_of(conversation_id: int, *, before: int | None = None, shown: int = SHOWN) -> Thread:
    """The last `shown` messages (before the message `before`), with their authors."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    if before is not None:
        query = query.where(Message.id < before)
    rows = list(
        db.session.scalars(
            query.options(selectinload(Message.author)).order_by(Message.id.desc()).limit(shown + 1)
        )
    )
    older = rows[shown - 1].id if len(rows) > shown else None
    return Thread(list(reversed(rows[:shown])), older)


def read(user_id: int, conversation_id: int, *, before: int | None = None):
    """A conversation as I read it: nothing unread left, then its messages (so that one
    arriving meanwhile is either shown or still unread, never lost). One write, only when
    something was unread."""
    conversation, me = get_for(user_id, conversation_id)
    if me.unread or me.notification_id:
        notices.mark_read(user_id, conversation_id, seen=me.last_message_at)
        db.session.commit()
        conversation, me = get_for(user_id, conversation_id)
    return conversation, messages_of(conversation.id, before=before)
