"""Acts a coordinator does for a member who asked for them (a gift, a direct log): who may,
the one log row that says what was asked and why, the member told with the way to contest,
and the contest itself, which goes to the space's other coordinators.

The act itself is written by the code that writes it for everyone (`ledger.gifts`,
`exchanges.lifecycle`); these are the steps around it, inside the caller's transaction.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.services.community.spaces import coordinators
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.exchanges import steps
from exchange.services.exchanges.stewards import active_admins
from exchange.services.ledger import transfers
from exchange.services.moderation import audit, rights
from exchange.services.notify import notifications
from models import Exchange, ModerationAction, User, db
from models.base import utcnow

ACTED = "acted_for_member"
CONTESTED = "act_contested"
CONTEST_DAYS = 14


def acting_for(actor_id: int, member_id: int | None, reason: str | None) -> tuple[User, User, str]:
    """The coordinator, the member they act for and the reason, once all three may be: an
    admin, or a coordinator of a space where the member is active; never for oneself; the
    reason (what the member asked, when) is required."""
    actor = rights.actor(actor_id)
    member = db.session.get(User, member_id) if member_id else None
    if member is None or not member.email_confirmed or not member.active_memberships():
        raise InvalidInput(_l("Choisissez un membre d'un lieu du réseau."), field="member")
    if not rights.can_act_on_member(actor, member):
        raise Forbidden(
            _l(
                "Vous pouvez agir pour les membres des lieux que vous coordonnez, pas pour vous-même."
            ),
            field="member",
        )
    if member.is_suspended:
        raise InvalidInput(_l("Ce compte est suspendu."), field="member")
    reason = rights.required(
        reason,
        _l("Dites ce que le membre vous a demandé, et quand : il ou elle le lira."),
    )
    return actor, member, reason


def not_to_oneself(actor: User, other_id: int | None, field: str) -> None:
    """A coordinator never acts for a member to their own benefit: the other party is someone
    else (another coordinator may do it)."""
    if other_id == actor.id:
        raise InvalidInput(
            _l(
                "Vous ne pouvez pas agir pour un membre envers vous-même : demandez-le à une "
                "autre personne de la coordination."
            ),
            field=field,
        )


def record(
    actor: User,
    member: User,
    *,
    what: str,
    target_type: str,
    target_id: int,
    reason: str,
    minutes: int,
    other: str,
    **details,
) -> ModerationAction:
    """Log the act done for the member (`what`: "gift" or "log"; `other`: whom it was with,
    "" for the pot) and tell the member, with the way to contest it."""
    entry = audit.record(
        actor.id,
        ACTED,
        reason=reason,
        space_id=rights.member_space(actor, member),
        subject_user_id=member.id,
        target_type=target_type,
        target_id=target_id,
        what=what,
        minutes=minutes,
        other=other,
        **details,
    )
    db.session.flush()
    notifications.notify(
        member,
        "acted_for_you",
        link=notifications.path("moderation.about_me") + f"#acte-{entry.id}",
        what=what,
        coordinator=actor.display_name,
        minutes=minutes,
        other=other,
        reason=reason,
        days=CONTEST_DAYS,
    )
    return entry


# ---------------------------------------------------------------------------- contesting


def contest_deadline(entry: ModerationAction):
    """The last instant the member may contest an act done for them."""
    return entry.created_at + timedelta(days=CONTEST_DAYS)


def contested_ids(action_ids) -> set[int]:
    """Which of these acts were contested already (one query)."""
    wanted = list(action_ids)
    if not wanted:
        return set()
    return set(
        db.session.scalars(
            select(ModerationAction.target_id).where(
                ModerationAction.action == CONTESTED,
                ModerationAction.target_type == "moderation_action",
                ModerationAction.target_id.in_(wanted),
            )
        )
    )


def contest_states(acts) -> dict[int, str]:
    """For a member's own page: each act done for them, "open" (it may be contested),
    "contested" or "late" (its days are over). One query."""
    done_for = [a for a in acts if a.action == ACTED]
    contested = contested_ids(a.id for a in done_for)
    now = utcnow()
    return {
        a.id: "contested"
        if a.id in contested
        else ("late" if now > contest_deadline(a) else "open")
        for a in done_for
    }


def contest(member_id: int, action_id: int, text: str | None) -> ModerationAction:
    """The member says they did not ask for an act done for them: within CONTEST_DAYS days,
    once. Logged; a time log still waiting for its confirmation is called off at once (nothing
    moves in the member's name); for a gift, which has moved, the space's other coordinators
    and the admins (who reverse transfers) are told. A suspended member may contest too."""
    member = db.session.get(User, member_id)
    if member is None or member.erased_at is not None:
        raise Forbidden()
    transfers.begin_write()
    entry = db.session.scalar(
        select(ModerationAction)
        .where(
            ModerationAction.id == action_id,
            ModerationAction.action == ACTED,
            ModerationAction.subject_user_id == member.id,
        )
        .with_for_update()
    )
    if entry is None:
        raise NotFound()
    if utcnow() > contest_deadline(entry):
        raise Conflict(
            _l(
                "Le délai de %(days)s jours pour contester cet acte est passé : écrivez "
                "directement à la coordination de votre lieu.",
                days=CONTEST_DAYS,
            )
        )
    if contested_ids([entry.id]):
        raise Conflict(_l("Vous avez déjà contesté cet acte : la coordination l'examine."))
    text = rights.required(
        text, _l("Dites en quelques mots ce qui ne va pas : la coordination le lira.")
    )
    details = entry.details or {}
    contested = audit.record(
        member.id,
        CONTESTED,
        reason=text,
        space_id=entry.space_id,
        subject_user_id=member.id,
        target_type="moderation_action",
        target_id=entry.id,
        acted_by=entry.actor_id,
        what=details.get("what", ""),
        minutes=details.get("minutes"),
        other=details.get("other", ""),
    )
    called_off = _call_off(entry, member, text)
    for steward in _other_stewards(entry, member, admins_too=not called_off):
        notifications.notify(
            steward,
            CONTESTED,
            link=notifications.path("moderation.index") + "#journal",
            member=member.display_name,
            coordinator=entry.actor.display_name if entry.actor else "",
            minutes=details.get("minutes"),
            reason=text,
        )
    db.session.commit()
    return contested


def _call_off(entry: ModerationAction, member: User, text: str) -> bool:
    """A time log done for the member that nobody has confirmed yet is cancelled by the
    contest; True when it was."""
    if entry.target_type != "exchange" or entry.target_id is None:
        return False
    exchange = db.session.get(Exchange, entry.target_id, with_for_update=True)
    if exchange is None or exchange.state not in ("proposed", "accepted", "done"):
        return False
    now = utcnow()
    exchange.state, exchange.closed_at, exchange.updated_at = "cancelled", now, now
    steps.step(exchange, member, "cancelled", message=text)
    steps.tell_other(exchange, member, "exchange_cancelled")
    return True


def _other_stewards(entry: ModerationAction, member: User, *, admins_too: bool) -> list[User]:
    """The coordinators of the act's space but the one who acted, the member, and whoever was
    on the other side of it; the admins too when a transfer may need reversing (or when there
    is nobody else)."""
    concerned = {entry.actor_id, member.id, (entry.details or {}).get("other_id")}
    found = {
        u.id: u
        for u in (coordinators(entry.space_id) if entry.space_id else [])
        if u.id not in concerned and not u.is_suspended
    }
    if admins_too or not found:
        found.update({u.id: u for u in active_admins() if u.id not in concerned})
    return list(found.values())
