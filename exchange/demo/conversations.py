"""The demo's conversations (conversations.toml): written straight into the tables, dated
hours before now, with what each participant has left unread; nobody is emailed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from exchange.demo import data
from exchange.demo.network import SPACES
from models import Conversation, Listing, Message, Notification, Participant, Space, User, db

_DATA = data.load("conversations")  # conversations.toml


def _member(name: str) -> User:
    return db.session.scalars(select(User).where(User.display_name == name)).one()


def add(now: datetime) -> None:
    """Write the demo's conversations, and commit."""
    for spec in _DATA["conversation"]:
        if "listing" in spec:
            listing = db.session.scalars(select(Listing).where(Listing.title == spec["listing"]))
            about = listing.one()
            people = {"asker": _member(spec["asker"]), "author": about.author}
            _write(now, spec, people, listing_id=about.id)
        else:
            people = {name: _member(name) for name in (spec["from"], spec["to"])}
            _write(now, spec, people)
    for spec in _DATA["coordination"]:
        people = {name: _member(name) for name in (spec["coordinator"], spec["to"])}
        name = next(row[1] for row in SPACES if row[0] == spec["space"])
        space = db.session.scalars(select(Space).where(Space.name == name)).one()
        coordinator = people[spec["coordinator"]]
        _write(now, spec, people, kind="coordination", space_id=space.id, speaker=coordinator)
    db.session.commit()


def _write(now: datetime, spec: dict, people: dict[str, User], *, speaker=None, **about) -> None:
    """One conversation: its messages in order; the last `unread` ones wait for their reader."""
    times = [now - timedelta(hours=hours) for _who, hours, _text in spec["messages"]]
    first = people[spec["messages"][0][0]]
    conversation = Conversation(
        started_by_id=first.id, created_at=times[0], last_message_at=times[-1], **about
    )
    db.session.add(conversation)
    db.session.flush()
    messages = []
    for (who, _hours, text), at in zip(spec["messages"], times, strict=True):
        author = people[who]
        messages.append(
            Message(
                conversation_id=conversation.id,
                author_id=author.id,
                body=text,
                created_at=at,
                as_coordination=speaker is not None and author.id == speaker.id,
            )
        )
    db.session.add_all(messages)
    waiting = spec.get("unread", 0)
    last_author = messages[-1].author_id
    writer = next(u for u in people.values() if u.id == last_author)
    for user in {u.id: u for u in people.values()}.values():
        unread = waiting if user.id != last_author else 0
        notice = None
        if unread:  # what the bell shows until it is read
            notice = Notification(
                user_id=user.id,
                kind="message_received",
                data={"name": writer.display_name, "coordination": False, "space": ""},
                link=f"/messages/{conversation.id}",
                created_at=times[-1],
            )
            db.session.add(notice)
            db.session.flush()
        db.session.add(
            Participant(
                conversation_id=conversation.id,
                user_id=user.id,
                last_message_at=times[-1],
                unread=unread,
                read_at=None if unread else times[-1],
                notification_id=notice.id if notice else None,
            )
        )
