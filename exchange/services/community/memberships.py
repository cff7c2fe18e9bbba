"""Who belongs to a space: joining (at once, or by a coordinator's decision), leaving, naming and
removing coordinators, and the requests waiting for them."""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from exchange.services.community.spaces import (
    coordinators,
    get_space,
    require_admin,
    require_coordinator,
    user_of,
)
from exchange.services.errors import Conflict, InvalidInput, NotFound
from exchange.services.ledger.gifts import grant_welcome
from exchange.services.moderation import audit
from exchange.services.notify import notifications
from exchange.services.paging import Window, listed
from models import Membership, User, db
from models.base import utcnow


def membership_of(user_id: int, space_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.space_id == space_id)
    )


def request_join(user_id: int, space_id: int, message: str = "") -> Membership:
    """Join an open space at once, or ask the coordinators of one that approves its members."""
    user = user_of(user_id)
    space = get_space(space_id)
    membership = membership_of(user.id, space.id)
    if membership and membership.status in ("active", "pending"):
        raise Conflict(_l("Vous êtes déjà membre de ce lieu ou votre demande est en attente."))
    if membership is None:
        membership = Membership(user_id=user.id, space_id=space.id)
        db.session.add(membership)
    membership.message = (message or "").strip()[:500]
    membership.requested_at = utcnow()
    membership.decided_at = None
    membership.decided_by_id = None
    membership.decision_reason = ""
    membership.role = "member"
    # The flushes below meet a twin request's row (the unique membership): inside the guard,
    # so that the second of two simultaneous requests is a conflict, not an error page.
    try:
        if space.needs_approval:
            membership.status = "pending"
            db.session.flush()
            link = notifications.path("spaces.requests", space_id=space.id)
            for coordinator in coordinators(space.id):
                notifications.notify(
                    coordinator,
                    "join_requested",
                    link=link,
                    member=user.display_name,
                    space=space.name,
                )
        else:
            membership.status = "active"
            membership.decided_at = utcnow()
            grant_welcome(user)
        db.session.commit()
    except IntegrityError as e:  # the same request sent twice at once: the first one counts
        db.session.rollback()
        raise Conflict(
            _l("Vous êtes déjà membre de ce lieu ou votre demande est en attente.")
        ) from e
    return membership


def decide_join(
    actor_id: int,
    membership_id: int,
    *,
    approve: bool,
    reason: str = "",
    space_id: int | None = None,
) -> Membership:
    """A coordinator of the space (or an admin) accepts or declines a request to join.

    Decided once: two coordinators answering at the same moment cannot both win, because the
    status changes only `WHERE status = 'pending'`, and the loser is told it was already done.
    """
    actor = user_of(actor_id)
    membership = db.session.get(Membership, membership_id)
    if membership is None or (space_id is not None and membership.space_id != space_id):
        raise NotFound()
    require_coordinator(actor, membership.space_id)
    reason = (reason or "").strip()[:500]
    if not approve and not reason:
        raise InvalidInput(
            _l("Dites en quelques mots pourquoi : la personne recevra ce message."), field="reason"
        )
    _decide_once(membership, actor, approve, reason)
    if approve:
        grant_welcome(membership.user)
    audit.record(
        actor.id,
        "join_approved" if approve else "join_declined",
        reason=reason,
        space_id=membership.space_id,
        subject_user_id=membership.user_id,
        target_type="membership",
        target_id=membership.id,
    )
    notifications.notify(
        membership.user,
        "join_approved" if approve else "join_declined",
        link=notifications.path("spaces.show", space_id=membership.space_id),
        space=membership.space.name,
        reason=reason,
    )
    db.session.commit()
    return membership


def _decide_once(membership: Membership, actor: User, approve: bool, reason: str) -> None:
    """The decision, written only while the request is still pending: else Conflict."""
    changed = cast(
        CursorResult,
        db.session.execute(
            update(Membership)
            .where(Membership.id == membership.id, Membership.status == "pending")
            .values(
                status="active" if approve else "declined",
                decided_at=utcnow(),
                decided_by_id=actor.id,
                decision_reason=reason,
            )
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise Conflict(_l("Cette demande a déjà été traitée."))
    db.session.refresh(membership)


def leave(user_id: int, space_id: int) -> None:
    """A member leaves a space (or withdraws a pending request)."""
    membership = membership_of(user_id, space_id)
    if membership is None or membership.status not in ("active", "pending"):
        raise NotFound()
    membership.status = "left"
    membership.role = "member"
    db.session.commit()


def appoint_coordinator(
    actor_id: int, space_id: int, user_id: int | None = None, *, email: str | None = None
) -> Membership:
    """An admin names a member (by id or address) coordinator of a space, making them a member
    if needed."""
    actor = user_of(actor_id)
    require_admin(actor)
    space = get_space(space_id)
    if email is not None:
        user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
        if user is None:
            raise NotFound(_l("Aucun membre n'a cette adresse."), field="email")
    else:
        user = user_of(user_id)
    if not user.email_confirmed:
        raise InvalidInput(_l("Ce compte n'a pas encore confirmé son adresse."), field="email")
    membership = membership_of(user.id, space.id)
    if membership is None:
        membership = Membership(user_id=user.id, space_id=space.id)
        db.session.add(membership)
    if membership.status == "active" and membership.role == "coordinator":
        raise Conflict(_l("Cette personne coordonne déjà ce lieu."))
    membership.status = "active"
    membership.role = "coordinator"
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id
    try:
        db.session.flush()
    except IntegrityError as e:  # named twice at once
        db.session.rollback()
        raise Conflict(_l("Cette personne coordonne déjà ce lieu.")) from e
    audit.record(
        actor.id,
        "coordinator_named",
        space_id=space.id,
        subject_user_id=user.id,
        target_type="membership",
        target_id=membership.id,
    )
    notifications.notify(
        user,
        "coordinator_named",
        link=notifications.path("spaces.show", space_id=space.id),
        space=space.name,
    )
    db.session.commit()
    return membership


def remove_coordinator(actor_id: int, space_id: int, user_id: int, reason: str) -> Membership:
    """An admin withdraws a coordinator's role; they stay a member of the space."""
    actor = user_of(actor_id)
    require_admin(actor)
    space = get_space(space_id)
    membership = membership_of(user_id, space.id)
    if membership is None or membership.role != "coordinator":
        raise NotFound()
    reason = (reason or "").strip()[:500]
    if not reason:
        raise InvalidInput(
            _l("Dites en quelques mots pourquoi : la personne recevra ce message."), field="reason"
        )
    membership.role = "member"
    audit.record(
        actor.id,
        "coordinator_removed",
        reason=reason,
        space_id=space.id,
        subject_user_id=user_id,
        target_type="membership",
        target_id=membership.id,
    )
    notifications.notify(
        membership.user,
        "coordinator_removed",
        link=notifications.path("spaces.show", space_id=space.id),
        space=space.name,
        reason=reason,
    )
    db.session.commit()
    return membership


def pending_requests(space_ids: Collection[int] | None, window: Window | None = None):
    """Requests to join waiting in these spaces (None: in every space), oldest first."""
    query = (
        select(Membership)
        .where(Membership.status == "pending")
        .order_by(Membership.requested_at, Membership.id)
        .options(selectinload(Membership.user), selectinload(Membership.space))
    )
    if space_ids is not None:
        query = query.where(Membership.space_id.in_(list(space_ids) or [-1]))
    return listed(query, window)


def get_membership_in(space_id: int, membership_id: int) -> Membership:
    """A membership row, only if it belongs to that space (ids in URLs are not trusted)."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.space_id != space_id:
        raise NotFound()
    return membership
