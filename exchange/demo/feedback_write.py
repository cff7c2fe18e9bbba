"""The demo's feedback written: the rows, their notifications, and the one comment that was
reported and hidden by a coordinator."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select

from exchange.demo.feedback_world import (
    HIDDEN_COMMENT,
    HIDDEN_REASON,
    HIDDEN_REPORT,
    MIXED,
    QUIET,
    VETERAN,
    Note,
    World,
    de_name,
    first_name,
)
from exchange.services.moderation import audit, reports, rights
from exchange.services.notify import notifications
from exchange.services.reputation import feedback
from models import (
    Feedback,
    Membership,
    Notification,
    Report,
    User,
    db,
)
from models.feedback import WINDOW


def hidden_candidate(w: World, notes: list[Note]) -> tuple[Note, User] | None:
    """The comment that will be hidden, and the coordinator who hides it: a receiver's warm
    feedback shown for a while, about a member with a coordinator in one of their spaces."""
    shaped = {VETERAN, MIXED, QUIET}
    candidates = []
    for note in notes:
        if (
            note.by_receiver
            and note.recommendation == "recommends"
            and note.comment
            and note.replied_at is None
            and note.visible_from < w.now - timedelta(days=12)
            and not {note.author.display_name, note.subject.display_name} & shaped
        ):
            spaces = rights.active_space_ids(note.subject.id)
            coordinators = sorted(
                db.session.scalars(
                    select(Membership.user_id).where(
                        Membership.space_id.in_(spaces),
                        Membership.status == "active",
                        Membership.role == "coordinator",
                        Membership.user_id.not_in(note.exchange.parties()),
                    )
                )
            )
            if coordinators:
                candidates.append((note, db.session.get_one(User, coordinators[0])))
    return w.rng.choice(candidates) if candidates else None


def write_feedback(w: World, notes: list[Note], hidden: tuple[Note, User] | None) -> None:
    notes.sort(key=lambda n: (n.exchange.id, n.at))
    for note in notes:
        note.row = Feedback(
            exchange_id=note.exchange.id,
            author_id=note.author.id,
            subject_id=note.subject.id,
            recommendation=note.recommendation,
            comment=note.comment,
            created_at=note.at,
            updated_at=note.updated_at,
            visible_from=note.visible_from,
            announced_at=note.announced_at,
            reply=note.reply,
            replied_at=note.replied_at,
        )
        note.row.skills = note.skills
        db.session.add(note.row)
    if hidden is not None:
        hidden[0].comment = hidden[0].row.comment = HIDDEN_COMMENT
    db.session.flush()
    _notify(w, notes)
    if hidden is not None:
        _hide(w, *hidden)


def _note(user_id: int, kind: str, at: datetime, read: datetime | None, link: str, **data):
    db.session.add(
        Notification(user_id=user_id, kind=kind, data=data, link=link, created_at=at, read_at=read)
    )


def _notify(w: World, notes: list[Note]) -> None:
    """What the parties were told in the last 14 days: a feedback waits for theirs, the
    feedback appeared, a reply came. (The older history has no notifications.)"""
    since = w.now - WINDOW
    fresh = w.now - timedelta(days=3)

    def read(at: datetime, later: datetime | None = None) -> datetime | None:
        if later is not None:
            return later
        return None if at > fresh else at + timedelta(hours=w.rng.uniform(1, 20))

    by_exchange: dict[int, list[Note]] = defaultdict(list)
    for note in notes:
        by_exchange[note.exchange.id].append(note)
    for found in by_exchange.values():
        exchange = found[0].exchange
        link = notifications.path("exchanges.show", exchange_id=exchange.id)
        first = found[0]
        if first.at >= since:
            answered = found[1].at - timedelta(minutes=5) if len(found) == 2 else None
            _note(first.subject.id, "feedback_waiting", first.at, read(first.at, answered), link,
                  member=first.author.display_name, title=exchange.title,
                  until=feedback.window_end(exchange).isoformat())  # fmt: skip
        announced = first.announced_at
        if announced is not None and announced >= since:
            for party in (exchange.provider, exchange.receiver):
                # Whoever wrote second was on the page when both appeared.
                on_page = len(found) == 2 and party is found[1].author
                seen = announced + timedelta(minutes=2) if on_page else None
                wrote = {f.author.id for f in found}
                shown = "both" if len(found) == 2 else ("mine" if party.id in wrote else "theirs")
                _note(party.id, "feedback_published", announced, read(announced, seen), link,
                      member=exchange.other(party.id).display_name,
                      title=exchange.title, shown=shown)  # fmt: skip
    for note in notes:
        if note.replied_at is not None and note.replied_at >= since:
            _note(note.author.id, "feedback_replied", note.replied_at, read(note.replied_at),
                  notifications.path("members.profile", user_id=note.subject.id),
                  member=note.subject.display_name)  # fmt: skip


def _hide(w: World, note: Note, coordinator: User) -> None:
    """The member the comment is about reports it; a coordinator of their space hides the words
    (the recommendation stays), logs why, and tells the author and the reporter."""
    row, subject = note.row, note.subject
    reported = w.awake(note.visible_from + timedelta(days=w.rng.uniform(1, 4)))
    hidden_at = w.awake(reported + timedelta(hours=w.rng.uniform(3, 20)))
    hidden_at = min(hidden_at, w.now - timedelta(hours=1))
    reason = HIDDEN_REASON.format(de_first=de_name(first_name(subject)))
    item = reports.feedback_item(row)
    report = Report(
        reporter_id=subject.id,
        feedback_id=row.id,
        reason="other",
        text=HIDDEN_REPORT,
        status="actioned",
        created_at=reported,
        handled_by_id=coordinator.id,
        handled_at=hidden_at,
        outcome="feedback_hidden",
    )
    db.session.add(report)
    db.session.flush()
    row.comment_hidden_at, row.comment_hidden_reason = hidden_at, reason
    spaces = rights.feedback_space_ids(row)
    entry = audit.record(
        coordinator.id,
        "feedback_hidden",
        reason=reason,
        space_id=next(s for s in spaces if coordinator.is_coordinator_of(s)),
        subject_user_id=note.author.id,
        target_type="feedback",
        target_id=row.id,
        part="comment",
        item=item,
        reports=[report.id],
    )
    entry.created_at = hidden_at
    profile = notifications.path("members.profile", user_id=subject.id)
    seen = hidden_at + timedelta(hours=2)
    _note(subject.id, "report_received", reported, reported, profile, item=item)
    _note(coordinator.id, "report_filed", reported, hidden_at, "/moderation", item=item)
    _note(subject.id, "report_handled", hidden_at, seen, "", item=item,
          outcome="feedback_hidden", note="")  # fmt: skip
    _note(note.author.id, "feedback_hidden", hidden_at, seen, profile, part="comment",
          member=subject.display_name, reason=reason)  # fmt: skip
