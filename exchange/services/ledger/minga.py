"""A Minga: after a collective work, the pot retributes several members at once. One transfer per
member, all in one transaction (all or nothing), once per request key, logged once with its
reason, the count and the total; each member is told. `preview` checks the same and writes
nothing: what the page shows before the one confirmation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from exchange.durations import format_minutes
from exchange.services.errors import CreditLimitExceeded, DomainError, Forbidden, InvalidInput
from exchange.services.ledger import limits, transfers
from exchange.services.moderation import audit, rights
from exchange.services.notify import notifications
from models import Transfer, User, db

MAX_LINES = 40


@dataclass(frozen=True)
class Line:
    """One member and the minutes the pot gives them; `field` names the form's row, so that a
    refusal is said beside it (its errors come back as `<field>-member` or `<field>-minutes`)."""

    member_id: int
    minutes: int | None
    field: str = ""


@dataclass(frozen=True)
class Preview:
    """The members and their minutes as the pot would pay them, and the pot's balance now."""

    rows: list[tuple[User, int]]
    pot_balance: int

    @property
    def total(self) -> int:
        return sum(minutes for _member, minutes in self.rows)

    @property
    def pot_after(self) -> int:
        return self.pot_balance - self.total


def _at(line: Line, error: DomainError, part: str) -> DomainError:
    error.field = f"{line.field}-{part}" if line.field else part
    return error


def _coordinator(actor_id: int) -> User:
    actor = rights.actor(actor_id)
    if not rights.is_moderator(actor):
        raise Forbidden()
    return actor


def _checked(actor: User, lines: list[Line]) -> Preview:
    """Every line as the pot would pay it, or the first refusal, beside its row: a member of
    the spaces the actor coordinates, once, a duration, within the member's ceiling; then
    the total within the pot."""
    if not lines:
        raise InvalidInput(_l("Ajoutez au moins un membre et le temps à lui verser."))
    if len(lines) > MAX_LINES:
        raise InvalidInput(_l("Une Minga verse à %(count)s membres au plus.", count=MAX_LINES))
    pot = transfers.pot()
    rows: list[tuple[User, int]] = []
    for line in lines:
        member = db.session.get(User, line.member_id)
        if member is None or not member.email_confirmed:
            raise _at(line, InvalidInput(_l("Choisissez un membre du réseau.")), "member")
        if member.id == actor.id:
            raise _at(
                line,
                Forbidden(
                    _l(
                        "On ne se rétribue pas soi-même : demandez-le à une autre personne de "
                        "la coordination."
                    )
                ),
                "member",
            )
        if (
            not member.active_memberships()  # an admin's Minga too: members of a space only
            or not rights.can_act_on_member(actor, member)
            or member.is_suspended
        ):
            raise _at(
                line,
                Forbidden(
                    _l(
                        "%(name)s n'est pas membre d'un lieu que vous coordonnez.",
                        name=member.display_name,
                    )
                ),
                "member",
            )
        if any(member.id == seen.id for seen, _m in rows):
            raise _at(
                line,
                InvalidInput(
                    _l(
                        "%(name)s figure déjà plus haut dans la liste : une ligne par membre.",
                        name=member.display_name,
                    )
                ),
                "member",
            )
        try:
            minutes = limits.check_minutes(line.minutes)
            limits.check_room(pot, transfers.account_of(member.id), minutes, actor.id)
        except DomainError as error:
            raise _at(line, error, "minutes") from None
        rows.append((member, minutes))
    found = Preview(rows, pot.balance)
    if found.pot_after < 0:
        raise CreditLimitExceeded(
            _l(
                "La caisse commune n'a que %(balance)s : ces %(count)s rétributions font "
                "%(total)s. Réduisez les durées, ou attendez de nouveaux dons à la caisse.",
                balance=format_minutes(pot.balance),
                count=len(rows),
                total=format_minutes(found.total),
            ),
            possible=max(0, pot.balance),
        )
    return found


def preview(actor_id: int, lines: list[Line]) -> Preview:
    """What the Minga would pay, checked as `pay` checks it. Reads only."""
    return _checked(_coordinator(actor_id), lines)


def pay(
    actor_id: int, lines: list[Line], *, reason: str, request_key: str | None
) -> list[Transfer]:
    """Pay every line from the pot, all or nothing; once per `request_key` (a replay returns
    the transfers the first request wrote)."""
    actor = _coordinator(actor_id)
    reason = rights.required(
        reason, _l("Dites pour quel travail collectif : chaque membre lira ce motif.")
    )
    transfers.begin_write()
    # The key names this list and this reason: the same form sent again pays once, the form
    # changed after going back pays what was confirmed.
    request_key = _keyed(request_key, lines, reason)
    if (done := _paid(request_key)) is not None:
        return done
    checked = _checked(actor, lines)
    pot_id, moved = transfers.pot().id, []
    # Every account of the Minga locked at once, lowest id first, as every transfer locks its
    # two: no deadlock with a gift between two of its members meanwhile.
    transfers.lock_accounts(
        [pot_id, *(transfers.account_of(member.id).id for member, _m in checked.rows)]
    )
    for n, ((member, minutes), line) in enumerate(zip(checked.rows, lines, strict=True), 1):
        try:
            paid = transfers.transfer(
                kind="retribution",
                from_account=pot_id,
                to_account=transfers.account_of(member.id).id,
                minutes=minutes,
                reason=reason,
                author_id=actor.id,
                request_key=_key(request_key, n),
            )
        except DomainError as error:  # a concurrent movement took the room meanwhile
            raise _at(line, error, "minutes") from None
        if paid.replayed:  # a twin request paid it while this one waited on the pot
            db.session.rollback()
            return _paid(request_key) or []
        moved.append(paid)
    # Logged in each space its members belong to, so each space's coordinators read it.
    by_space: dict[int | None, list[int]] = {}
    for member, _minutes in checked.rows:
        by_space.setdefault(rights.member_space(actor, member), []).append(member.id)
    for space_id, members in by_space.items():
        audit.record(
            actor.id,
            "minga",
            reason=reason,
            space_id=space_id,
            target_type="transfer",
            target_id=moved[0].id,
            count=len(moved),
            minutes=checked.total,
            members=members,
            transfers=[t.id for t in moved],
        )
    link = notifications.path("account.statement")
    for member, minutes in checked.rows:
        notifications.notify(
            member, "retribution_received", link=link, minutes=minutes, reason=reason
        )
    transfers.commit()
    return moved


def digest(lines: list[Line], reason: str) -> str:
    """What a Minga asks, in one line: its members, their minutes and its reason (what the
    preview showed is what the confirmation pays)."""
    return ";".join(f"{line.member_id}:{line.minutes}" for line in lines) + "|" + reason


def _keyed(request_key: str | None, lines: list[Line], reason: str) -> str | None:
    """The form's key, bound to what it asks (`_key` digests it to the column's size)."""
    return f"{request_key}|{digest(lines, reason)}" if request_key else None


def _key(request_key: str | None, n: int) -> str | None:
    """The request key of the Minga's n-th transfer: its form's key (up to 64 characters, as
    the column), digested to leave room for the line's number."""
    if not request_key:
        return None
    return f"minga:{hashlib.sha256(request_key.encode()).hexdigest()[:40]}:{n}"


def _paid(request_key: str | None) -> list[Transfer] | None:
    """The transfers a Minga sent with this key wrote, in order, if it was paid."""
    if not request_key or transfers.by_request_key(_key(request_key, 1)) is None:
        return None
    found = []
    for n in range(1, MAX_LINES + 1):
        paid = transfers.by_request_key(_key(request_key, n))
        if paid is None:
            break
        found.append(paid)
    return found
