"""Feedback: each party of a confirmed exchange may say, once, what they think of the other.

The rules live here, whoever calls (a page, the demo, a test):
- only the two parties of a confirmed exchange, each about the other, during the 14 days that
  follow the confirmation;
- double-blind: a feedback stays with its author (who may edit it) until the other party has
  written theirs or the window has closed; then both appear together and nobody edits again;
- the reviewed member may reply once, publicly, to a feedback that has appeared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.exchanges import lifecycle
from exchange.services.ledger import transfers
from exchange.services.moderation import rights
from exchange.services.notify import notifications
from exchange.services.paging import Page, Window
from models import Exchange, Feedback, Notification, Skill, User, db
from models.base import utcnow
from models.feedback import RECOMMENDATIONS, WINDOW

MAX_COMMENT = 2000
MAX_REPLY = 1000


def window_end(exchange: Exchange) -> datetime:
    """When writing closes and whatever was written appears: 14 days after confirmation."""
    return (exchange.closed_at or exchange.updated_at) + WINDOW


def of_party(exchange_id: int, author_id: int) -> Feedback | None:
    return db.session.scalar(
        select(Feedback).where(Feedback.exchange_id == exchange_id, Feedback.author_id == author_id)
    )


def confirmable_skills(exchange: Exchange, author_id: int) -> list[Skill]:
    """The skills the author saw at work and may confirm: those of the exchange's listing, and
    only for whoever received the time. Whoever gave it says how it went, but has no skill of
    the receiver to confirm; a direct log names no skill, so it confirms none (a member's
    profile lists what they say they can do, not what this exchange showed)."""
    if author_id != exchange.receiver_id or exchange.listing is None:
        return []
    return list(exchange.listing.skills)


def refusal(user, exchange: Exchange, now: datetime | None = None):
    """Why this person may not write (or edit) feedback on this exchange now; None if they may.

    The same answer for the page (which shows or hides the form) and for the writing itself.
    """
    now = now or utcnow()
    if not getattr(user, "is_authenticated", False) or user.id not in exchange.parties():
        return Forbidden(_l("Seules les deux personnes de l'échange peuvent laisser un retour."))
    if user.is_suspended:
        return Forbidden()
    if exchange.state != "confirmed":
        return Conflict(_l("Un retour ne peut être laissé qu'une fois l'échange confirmé."))
    mine = of_party(exchange.id, user.id)
    if mine is not None and mine.is_visible(now):
        return Conflict(_l("Votre retour est publié : il ne peut plus être modifié."))
    if now >= window_end(exchange):
        return Conflict(
            _l("Le délai de 14 jours pour laisser un retour sur cet échange est passé.")
        )
    return None


def _clean(exchange: Exchange, author_id: int, recommendation, comment, skill_ids):
    if recommendation not in RECOMMENDATIONS:
        raise InvalidInput(_l("Choisissez l'une des trois réponses."), field="recommendation")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            _l("Le commentaire est trop long (%(max)s caractères au plus).", max=MAX_COMMENT),
            field="comment",
        )
    allowed = {s.id: s for s in confirmable_skills(exchange, author_id)}
    wanted = set(skill_ids or ())
    if not wanted <= allowed.keys():
        raise InvalidInput(
            _l("Vous ne pouvez confirmer que les compétences de cet échange."), field="skills"
        )
    return comment, sorted((allowed[i] for i in wanted), key=lambda s: s.name)


def write(
    author_id: int,
    exchange_id: int,
    recommendation: str,
    comment: str = "",
    skill_ids=(),
    *,
    now: datetime | None = None,
) -> Feedback:
    """Write (or, before it appears, rewrite) my feedback on the other party."""
    now = now or utcnow()
    author = rights.actor(author_id)
    # Locked until the commit: the two parties' feedback are decided one at a time, so two
    # writing at once still appear together, and only once.
    exchange = lifecycle.locked(exchange_id)
    if (why := refusal(author, exchange, now)) is not None:
        raise why
    comment, skills = _clean(exchange, author.id, recommendation, comment, skill_ids)
    mine = of_party(exchange.id, author.id)
    first_time = mine is None
    if mine is None:
        mine = Feedback(
            exchange_id=exchange.id,
            author_id=author.id,
            subject_id=exchange.other_party(author.id),
            created_at=now,
            visible_from=window_end(exchange),
        )
        db.session.add(mine)
    mine.recommendation = recommendation
    mine.comment = comment
    mine.skills = skills
    mine.updated_at = now
    if first_time:
        _after_first_write(exchange, author, mine, now)
    try:
        db.session.commit()
    except IntegrityError:  # the same party, twice at once on another database connection
        db.session.rollback()
        raise Conflict(_l("Votre retour sur cet échange est déjà enregistré.")) from None
    return mine


def _after_first_write(exchange: Exchange, author: User, mine: Feedback, now: datetime) -> None:
    """The second feedback makes both appear at once; the first tells the other it waits."""
    db.session.flush()
    theirs = of_party(exchange.id, exchange.other_party(author.id))
    link = notifications.path("exchanges.show", exchange_id=exchange.id)
    if theirs is None:
        notifications.notify(
            mine.subject,
            "feedback_waiting",
            link=link,
            member=author.display_name,
            title=exchange.title,
            until=window_end(exchange).isoformat(),
        )
        return
    for feedback in (mine, theirs):
        feedback.visible_from = now
        feedback.announced_at = now
    # The writer is on the page and sees both: their notice is for the record, already read,
    # and the one that asked them to write is done with.
    for waiting in db.session.scalars(
        select(Notification).where(
            Notification.user_id == author.id,
            Notification.kind == "feedback_waiting",
            Notification.link == link,
            Notification.read_at.is_(None),
        )
    ):
        waiting.read_at = now
    for party in (mine.author, theirs.author):
        notifications.notify(
            party,
            "feedback_published",
            link=link,
            email=party.id != author.id,
            read=party.id == author.id,
            member=exchange.other(party.id).display_name,
            title=exchange.title,
        )


@dataclass
class OnExchange:
    """What a party sees of the feedback on their exchange."""

    mine: Feedback | None
    theirs: Feedback | None  # only once it shows
    theirs_waits: bool  # the other side has written; it shows once I write (or at `ends`)
    can_write: bool
    ends: datetime


def on_exchange(exchange: Exchange, viewer, now: datetime | None = None) -> OnExchange | None:
    """The feedback block of an exchange page, for one of its parties (None for anyone else)."""
    now = now or utcnow()
    if exchange.state != "confirmed" or viewer.id not in exchange.parties():
        return None
    mine = of_party(exchange.id, viewer.id)
    theirs = of_party(exchange.id, exchange.other_party(viewer.id))
    shows = theirs is not None and theirs.is_visible(now)
    return OnExchange(
        mine=mine,
        theirs=theirs if shows else None,
        theirs_waits=theirs is not None and not shows,
        can_write=refusal(viewer, exchange, now) is None,
        ends=window_end(exchange),
    )


def to_write(user_id: int, window: Window, now: datetime | None = None) -> Page:
    """A page of my confirmed exchanges still open for feedback that I have not written,
    whose window closes first first, each with whether the other side's already waits."""
    now = now or utcnow()
    written_by_me = (
        select(Feedback.id)
        .where(Feedback.exchange_id == Exchange.id, Feedback.author_id == user_id)
        .exists()
    )
    page = window.read_counted(
        select(Exchange)
        .where(
            Exchange.state == "confirmed",
            or_(Exchange.provider_id == user_id, Exchange.receiver_id == user_id),
            Exchange.closed_at > now - WINDOW,  # the window of window_end(), still open
            ~written_by_me,
        )
        .order_by(Exchange.closed_at, Exchange.id)
        # The page names the other party of each: read for the page's rows at once, not one by
        # one (nor their skills, which every member otherwise brings along). Not joined: the
        # join would come before the limit and read every member twice (24 ms, now 2 ms).
        .options(
            selectinload(Exchange.provider).lazyload(User.skills),
            selectinload(Exchange.receiver).lazyload(User.skills),
        )
    )
    if page.items:
        theirs = set(
            db.session.scalars(
                select(Feedback.exchange_id).where(
                    Feedback.exchange_id.in_([e.id for e in page.items])
                )
            )
        )
        page.items = [(e, e.id in theirs) for e in page.items]
    return page


def publish_due(now: datetime | None = None) -> int:
    """Tell both parties of every feedback whose window closed that it now shows (run daily).

    What shows does not wait for this: visibility follows the clock. Only the telling does.
    Returns how many exchanges were announced.
    """
    now = now or utcnow()
    due = db.session.scalars(
        select(Feedback)
        .where(Feedback.announced_at.is_(None), Feedback.visible_from <= now)
        .order_by(Feedback.exchange_id, Feedback.id)
    ).all()
    authors: dict[int, set[int]] = {}
    for feedback in due:
        feedback.announced_at = now
        authors.setdefault(feedback.exchange_id, set()).add(feedback.author_id)
    for exchange_id in sorted(authors):
        exchange = db.session.get_one(Exchange, exchange_id)
        for party_id in exchange.parties():
            wrote = party_id in authors[exchange_id]
            other_wrote = exchange.other_party(party_id) in authors[exchange_id]
            notifications.notify(
                db.session.get_one(User, party_id),
                "feedback_published",
                link=notifications.path("exchanges.show", exchange_id=exchange.id),
                member=exchange.other(party_id).display_name,
                title=exchange.title,
                shown="both" if wrote and other_wrote else ("mine" if wrote else "theirs"),
            )
    db.session.commit()
    return len(authors)


def get_visible(feedback_id: int, now: datetime | None = None) -> Feedback:
    """A feedback that has appeared; 404 for one still blind (or unknown)."""
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None or not feedback.is_visible(now):
        raise NotFound()
    return feedback


def reply(user_id: int, feedback_id: int, text: str, *, now: datetime | None = None) -> Feedback:
    """The reviewed member answers a feedback about them, once, publicly."""
    now = now or utcnow()
    transfers.begin_write()
    user = rights.actor(user_id)
    feedback = get_visible(feedback_id, now)
    if feedback.subject_id != user.id:
        raise Forbidden(_l("Seule la personne dont parle ce retour peut y répondre."))
    db.session.refresh(feedback, with_for_update=True)
    if feedback.replied_at is not None:
        raise Conflict(_l("Vous avez déjà répondu à ce retour."))
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_l("Écrivez votre réponse."), field="text")
    if len(text) > MAX_REPLY:
        raise InvalidInput(
            _l("La réponse est trop longue (%(max)s caractères au plus).", max=MAX_REPLY),
            field="text",
        )
    feedback.reply = text
    feedback.replied_at = now
    notifications.notify(
        feedback.author,
        "feedback_replied",
        link=notifications.path("feedback.about", user_id=user.id) + f"#retour-{feedback.id}",
        member=user.display_name,
    )
    db.session.commit()
    return feedback
