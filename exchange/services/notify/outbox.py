"""The outbox: every email is a row written with the action it tells, delivered later.

`add` writes the row inside the caller's transaction: a rolled-back action mails nobody, a
committed one always will. Once the transaction has committed, each new row is handed to the
job queue (adapters/jobs.py); if the queue cannot take it (Redis away), the row stays pending
and the periodic sweep finds it. Nothing here can turn a committed action into an error page.

A delivery claims its row first (pending → sending, a conditional UPDATE only one worker
wins), sends, then marks it sent: a retried or duplicated job for a sent row sends nothing.
A failed attempt waits for the next one (BACKOFF); past the last, the row is `failed` and
waits for an admin (`/admin/courriels`, `flask outbox retry`).

Delivery works in short sessions of its own, never in the caller's: it runs after the
caller's commit (inline, in tests), in a thread, or in a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from flask import current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import CursorResult, event, func, inspect, select, update
from sqlalchemy.orm import Session, defer

from exchange.adapters import jobs, mail
from exchange.services.errors import NotFound
from exchange.services.moderation import audit
from exchange.text import one_line
from models import OutboxEmail, db
from models.base import utcnow

log = logging.getLogger("archipel.mail")

# The wait after the 1st, 2nd… failed attempt; after the last one the email is `failed`.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
ATTEMPTS = len(BACKOFF) + 1
DELIVER = "exchange.services.notify.outbox.deliver"
SWEEP = "exchange.services.notify.outbox.sweep"
PAGE_SIZE = 50


def add(to: str, subject: str, body: str, template: str = "", unsubscribe: str = "") -> OutboxEmail:
    """Write one email to the outbox, in the caller's transaction; it leaves after the commit."""
    row = OutboxEmail(
        unsubscribe=unsubscribe,
        to_address=to,
        subject=one_line(subject, mail.SUBJECT_LENGTH),
        body=body,
        template=template,
        message_id=mail.new_message_id(),
        status="pending",
        next_attempt_at=utcnow(),
    )
    db.session.add(row)
    db.session.info.setdefault("outbox", []).append(row)
    return row


def mute_until_commit() -> None:
    """The emails of the current transaction are not written at all (the demo's history)."""
    db.session.info["outbox_muted"] = True


def muted() -> bool:
    return bool(db.session.info.get("outbox_muted"))


@event.listens_for(FlaskSession, "after_commit")
def _hand_off(session) -> None:
    session.info.pop("outbox_muted", None)
    for item in session.info.pop("outbox", []):
        try:
            identity = item if isinstance(item, int) else inspect(item).identity
            email_id = identity if isinstance(identity, int) else identity[0]
            jobs.enqueue(DELIVER, email_id)
        except Exception:  # the action has committed: the sweep will deliver it
            log.exception("email %r not handed to the queue; the next sweep sends it", item)


@event.listens_for(FlaskSession, "after_rollback")
def _discard(session) -> None:
    session.info.pop("outbox", None)
    session.info.pop("outbox_muted", None)


@contextmanager
def _own_session() -> Iterator[Session]:
    with Session(db.engine, expire_on_commit=False) as session:
        yield session


def deliver(email_id: int, *, due_only: bool = True) -> bool:
    """Send one email if it is still pending (and due); True when this call sent it."""
    now = utcnow()
    with _own_session() as session:
        claim = update(OutboxEmail).where(
            OutboxEmail.id == email_id, OutboxEmail.status == "pending"
        )
        if due_only:
            claim = claim.where(OutboxEmail.next_attempt_at <= now)
        won = cast(
            CursorResult, session.execute(claim.values(status="sending", claimed_at=now))
        ).rowcount
        row = session.get(OutboxEmail, email_id) if won else None
        session.commit()  # no transaction stays open while the mail server takes its time
        if row is None:  # sent already, failed, not due yet, or another worker has it
            return False
        try:
            mail.send(row.to_address, row.subject, row.body, row.message_id, row.unsubscribe)
        except Exception as e:  # away, refused, timed out, or a message the library refuses
            _failed(session, row, str(e) if isinstance(e, mail.MailError) else mail.describe(e))
            return False
    _mark_sent(email_id, claimed_at=now)
    return True


def _mark_sent(email_id: int, *, claimed_at) -> None:
    """The email has left: say so, only on the claim this delivery holds (a claim released as
    stale and taken by another worker is that worker's to mark). The database may hiccup right
    then: a row left `sending` would be sent again once stale, so the mark is tried twice."""
    mark = (
        update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            OutboxEmail.status == "sending",
            OutboxEmail.claimed_at == claimed_at,
        )
        .values(status="sent", sent_at=utcnow(), body="", claimed_at=None)
    )
    for attempt in (1, 2):
        try:
            with _own_session() as session:
                session.execute(mark)
                session.commit()
            return
        except Exception:
            log.exception("email %s sent, but not yet marked sent (try %d)", email_id, attempt)


def _failed(session: Session, row: OutboxEmail, error: str) -> None:
    row.attempts += 1
    row.last_error = error[:1000]
    row.claimed_at = None
    if row.attempts >= ATTEMPTS:
        row.status = "failed"
        log.error(
            "could not send email %s to %s, attempt %d, given up: %s",
            row.id, row.to_address, row.attempts, error, exc_info=True,
        )  # fmt: skip
    else:
        row.status = "pending"
        row.next_attempt_at = utcnow() + BACKOFF[row.attempts - 1]
        log.error(
            "could not send email %s to %s, attempt %d of %d, next at %s: %s",
            row.id, row.to_address, row.attempts, ATTEMPTS, row.next_attempt_at, error,
            exc_info=True,
        )  # fmt: skip
    session.commit()


@dataclass
class Drained:
    sent: int = 0
    not_sent: int = 0


def drain(*, everything: bool = False, limit: int | None = None) -> Drained:
    """Deliver the pending emails that are due (`everything`: regardless of the backoff)."""
    result = Drained()
    _release_stale()
    query = select(OutboxEmail.id).where(OutboxEmail.status == "pending")
    if not everything:
        query = query.where(OutboxEmail.next_attempt_at <= utcnow())
    with _own_session() as session:
        ids = list(session.scalars(query.order_by(OutboxEmail.next_attempt_at).limit(limit)))
    for email_id in ids:
        if deliver(email_id, due_only=not everything):
            result.sent += 1
        else:
            result.not_sent += 1
    return result


def sweep() -> None:
    """The periodic task: what is due now (retries, and rows the queue never got)."""
    drain(limit=500)


def _release_stale() -> None:
    """A row left `sending` by a worker that died mid-delivery goes back to pending.

    It may have left already: a receiving server sees the same Message-ID twice."""
    stale = utcnow() - timedelta(seconds=max(600, 4 * current_app.config["MAIL_TIMEOUT"]))
    with _own_session() as session:
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.status == "sending", OutboxEmail.claimed_at < stale)
            .values(status="pending", claimed_at=None)
        )
        session.commit()


def counts() -> dict[str, int]:
    """How many emails in each state."""
    rows = db.session.execute(
        select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
    ).all()
    return {"pending": 0, "sending": 0, "sent": 0, "failed": 0, **dict(rows)}


@dataclass
class Overview:
    counts: dict[str, int]
    failed: object  # a page of failed emails (Flask-SQLAlchemy's Pagination)
    retrying: list[OutboxEmail]


def overview(page: int = 1) -> Overview:
    """What the admin's page shows: the counts, a page of failed emails, and the first of
    those waiting for another attempt (no bodies are read)."""
    failed = db.paginate(
        _waiting("failed"), page=max(1, min(page, 10000)), per_page=PAGE_SIZE, error_out=False
    )
    retrying = db.session.scalars(_waiting("pending").where(OutboxEmail.attempts > 0).limit(50))
    return Overview(counts(), failed, list(retrying))


def waiting(status: str) -> list[OutboxEmail]:
    """The first pending or failed emails, oldest first (no bodies are read)."""
    return list(db.session.scalars(_waiting(status).limit(PAGE_SIZE)))


def _waiting(status: str):
    return (
        select(OutboxEmail)
        .options(defer(OutboxEmail.body))
        .where(OutboxEmail.status == status)
        .order_by(OutboxEmail.created_at, OutboxEmail.id)
    )


def retry(actor_id: int | None, email_id: int | None = None) -> int:
    """Put failed emails (one, or all) back in the queue for one more attempt each; logged."""
    if email_id is not None and db.session.get(OutboxEmail, email_id) is None:
        raise NotFound()
    query = select(OutboxEmail.id).where(OutboxEmail.status == "failed")
    if email_id is not None:
        query = query.where(OutboxEmail.id == email_id)
    ids = list(db.session.scalars(query.order_by(OutboxEmail.id)))
    if not ids:
        return 0
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(ids), OutboxEmail.status == "failed")
        .values(status="pending", next_attempt_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    audit.record(
        actor_id,
        "emails_retried",
        target_type="email",
        target_id=email_id,
        count=len(ids),
        emails=ids[:100],
    )
    db.session.info.setdefault("outbox", []).extend(ids)
    db.session.commit()
    return len(ids)
