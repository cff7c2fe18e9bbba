"""What Archipel holds about one member, section by section (GDPR art. 15 and 20).

Each section is a list of flat rows (plain values: text, whole numbers, ISO dates), so one
shape gives both the JSON and the CSV of the export. Other people appear by the name they
show on the site, never by their address. One query per section, streamed: a member with
10,000 movements costs a few queries, not 10,000."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import case, or_, select
from sqlalchemy.orm import aliased

from exchange.services.notify.notifications import describe
from exchange.services.privacy.gather_messages import blocked, conversations, messages
from exchange.services.privacy.gather_money import fees, transfers
from exchange.services.privacy.rows import Row, plain, rows
from models import (
    Exchange,
    ExchangeEvent,
    Feedback,
    Listing,
    LoginSession,
    Membership,
    Notification,
    Report,
    Space,
    User,
)


def profile(user: User) -> Iterator[Row]:
    yield {
        k: plain(v)
        for k, v in {
            "id": user.id,
            "display_name": user.display_name,
            "email": user.email,
            "created_at": user.created_at,
            "email_confirmed_at": user.email_confirmed_at,
            "locale": user.locale,
            "city": user.city,
            "languages": user.languages,
            "skills": ", ".join(s.name for s in user.skills),
            "bio": user.bio,
            "contact": user.contact,
            "photo": "photo.webp" if user.photo else "",
        }.items()
    }


def memberships(user: User) -> Iterator[Row]:
    query = (
        select(Membership, Space.name)
        .join(Space, Space.id == Membership.space_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    )
    return rows(
        query,
        lambda m, space: {
            "space": space,
            "status": m.status,
            "role": m.role,
            "message": m.message,
            "requested_at": m.requested_at,
            "decided_at": m.decided_at,
            "decision_reason": m.decision_reason,
        },
    )


def listings(user: User) -> Iterator[Row]:
    query = (
        select(Listing, Space.name)
        .join(Space, Space.id == Listing.space_id)
        .where(Listing.author_id == user.id)
        .order_by(Listing.id)
    )
    return rows(
        query,
        lambda item, space: {
            "id": item.id,
            "kind": item.kind,
            "space": space,
            "title": item.title,
            "summary": item.summary,
            "details": item.details,
            "next_steps": item.next_steps,
            "mode": item.mode,
            "estimated_minutes": item.estimated_minutes,
            "status": item.status,
            "moderation": item.moderation,
            "moderation_reason": item.moderation_reason,
            "created_at": item.created_at,
            "expires_at": item.expires_at,
        },
    )


def exchanges(user: User) -> Iterator[Row]:
    other = aliased(User)
    query = (
        select(Exchange, other.display_name)
        .join(
            other,
            other.id
            == case(
                (Exchange.provider_id == user.id, Exchange.receiver_id), else_=Exchange.provider_id
            ),
        )
        .where(or_(Exchange.provider_id == user.id, Exchange.receiver_id == user.id))
        .order_by(Exchange.id)
    )
    return rows(
        query,
        lambda e, name: {
            "id": e.id,
            "title": e.title,
            "listing_id": e.listing_id,
            "my_part": "provider" if e.provider_id == user.id else "receiver",
            "other": name,
            "state": e.state,
            "message": e.message,
            "foreseen_minutes": e.foreseen_minutes,
            "minutes": e.minutes,
            "performed_on": e.performed_on,
            "dispute_reason": e.dispute_reason,
            "created_at": e.created_at,
            "closed_at": e.closed_at,
        },
    )


def exchange_events(user: User) -> Iterator[Row]:
    actor = aliased(User)
    mine = select(Exchange.id).where(
        or_(Exchange.provider_id == user.id, Exchange.receiver_id == user.id)
    )
    query = (
        select(ExchangeEvent, actor.display_name)
        .outerjoin(actor, actor.id == ExchangeEvent.actor_id)
        .where(ExchangeEvent.exchange_id.in_(mine))
        .order_by(ExchangeEvent.id)
    )
    return rows(
        query,
        lambda ev, name: {
            "exchange_id": ev.exchange_id,
            "by": "me" if ev.actor_id == user.id else (name or ""),
            "kind": ev.kind,
            "minutes": ev.minutes,
            "message": ev.message,
            "created_at": ev.created_at,
        },
    )


def _feedback(user: User, mine: bool) -> Iterator[Row]:
    other = aliased(User)
    side, their = (
        (Feedback.author_id, Feedback.subject_id)
        if mine
        else (Feedback.subject_id, Feedback.author_id)
    )
    query = (
        select(Feedback, other.display_name)
        .join(other, other.id == their)
        .where(side == user.id)
        .order_by(Feedback.id)
    )
    return rows(
        query,
        lambda f, name: {
            "exchange_id": f.exchange_id,
            ("about" if mine else "from"): name,
            "recommendation": f.recommendation,
            "comment": f.comment,
            "comment_hidden_reason": f.comment_hidden_reason,
            "reply": f.reply,
            "created_at": f.created_at,
            "replied_at": f.replied_at,
        },
    )


def feedback_given(user: User) -> Iterator[Row]:
    return _feedback(user, mine=True)


def feedback_received(user: User) -> Iterator[Row]:
    return _feedback(user, mine=False)


def reports_made(user: User) -> Iterator[Row]:
    query = select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    return rows(
        query,
        lambda r: {
            "listing_id": r.listing_id,
            "member_id": r.member_id,
            "feedback_id": r.feedback_id,
            "message_id": r.message_id,
            "reason": r.reason,
            "text": r.text,
            "status": r.status,
            "outcome": r.outcome,
            "created_at": r.created_at,
        },
    )


def notifications(user: User) -> Iterator[Row]:
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    return rows(
        query,
        lambda n: {
            "text": describe(n),
            "kind": n.kind,
            "link": n.link,
            "created_at": n.created_at,
            "read_at": n.read_at,
        },
    )


def sessions(user: User) -> Iterator[Row]:
    query = (
        select(LoginSession)
        .where(LoginSession.user_id == user.id)
        .order_by(LoginSession.created_at)
    )
    return rows(
        query,
        lambda s: {
            "created_at": s.created_at,
            "expires_at": s.expires_at,
            "ended_at": s.revoked_at,
            "device": s.user_agent,
        },
    )


SECTIONS: dict[str, Callable[[User], Iterator[Row]]] = {
    "profile": profile,
    "memberships": memberships,
    "listings": listings,
    "exchanges": exchanges,
    "exchange_history": exchange_events,
    "feedback_given": feedback_given,
    "feedback_received": feedback_received,
    "transfers": transfers,
    "fees": fees,
    "conversations": conversations,
    "messages": messages,
    "blocked": blocked,
    "reports_made": reports_made,
    "notifications": notifications,
    "sessions": sessions,
}
