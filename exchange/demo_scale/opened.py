"""The exchanges that move nothing: open ones in each state (proposed, accepted, time logged
and waiting to be confirmed, disputed), and those that closed without credits (declined,
cancelled, expired, cancelled by a coordinator after a dispute). Most disputes wait at the
desk of the pre-moderated space; the member with a long statement has some of each too."""

from __future__ import annotations

from datetime import datetime, timedelta

from exchange.demo_scale import exchanges
from exchange.demo_scale.memberships import DESK_SPACE
from exchange.demo_scale.world import Member, World

# How many in the large network, and how many steps each has (from a listing, logged directly).
COUNTS = {
    "proposed": 600,
    "accepted": 500,
    "done": 400,
    "disputed": 100,
    "declined": 2500,
    "cancelled": 2000,
    "expired": 1200,
    "resolved": 100,
}
FOR_THE_STATEMENT = {"proposed": 10, "accepted": 10, "done": 10, "disputed": 2}
NEEDS_LISTING = {"proposed", "accepted", "declined", "cancelled"}
STEPS = {
    "proposed": (1, 0),
    "accepted": (2, 0),
    "done": (3, 1),
    "disputed": (4, 2),
    "declined": (2, 0),
    "cancelled": (3, 0),
    "expired": (3, 1),
    "resolved": (5, 3),
}
RESOLUTION = (
    "Après avoir parlé aux deux personnes : la séance a bien eu lieu, mais moins longtemps que "
    "déclaré. Je confirme le temps convenu ensemble."
)
CANCELLATION = "La séance n'a pas eu lieu : j'annule l'échange, rien ne bouge."


def add(w: World, rng, pairs) -> list[dict]:
    rows = []
    for state, count in COUNTS.items():
        for i in range(w.scale.part(count)):
            at_desk = state == "disputed" and i % 5 < 3
            row = _one(w, rng, pairs, state, None, at_desk)
            if row is not None:
                rows.append(row)
    hub = w.named["statement"]
    for state, count in FOR_THE_STATEMENT.items():
        for _ in range(w.scale.part(count)):
            row = _one(w, rng, pairs, state, hub, False)
            if row is not None:
                rows.append(row)
    return rows


def _end(w: World, rng, state: str) -> datetime:
    """When the last step happened."""
    if state in ("proposed", "accepted", "done", "disputed"):
        return w.now - timedelta(days=rng.uniform(0.05, 25 if state != "done" else 27))
    return w.now - timedelta(days=rng.uniform(35, 900))


def _pair(w: World, rng, pairs, at: datetime, forced: Member | None, at_desk: bool):
    if at_desk:
        a = pairs.by_space[w.spaces[DESK_SPACE]["id"]].pick(rng, at)
        a = a if a is not None and a.active_at(at) else None
    else:
        a = forced or pairs.one(at)
    b = pairs.other(a, at) if a is not None else None
    if b is None:
        return None
    return (a, b) if rng.random() < 0.5 else (b, a)


def _one(w: World, rng, pairs, state: str, forced: Member | None, at_desk: bool):
    end = _end(w, rng, state)
    for _attempt in range(10):
        pair = _pair(w, rng, pairs, end, forced, at_desk)
        if pair is None:
            continue
        provider, receiver = pair
        source = exchanges.listing_for(
            w, rng, provider, receiver, end, always=state in NEEDS_LISTING
        )
        if source is None and state in NEEDS_LISTING:
            continue
        lower = max(provider.since(), receiver.since()) + timedelta(hours=1)
        if source is not None:
            lower = max(lower, source[1][0] + timedelta(hours=1))
        moments = exchanges.timeline(rng, lower, end, STEPS[state][0 if source else 1])
        if moments is not None:
            return _steps(w, rng, state, provider, receiver, source, moments)
    return None


def _steps(w: World, rng, state: str, provider, receiver, source, moments: list) -> dict:
    row = exchanges.new(w, rng, provider, receiver, source, moments[0])
    at = iter(moments[1:] if source else moments)
    if state == "proposed":
        return row
    if state == "declined":
        exchanges.step(row, "declined", exchanges.author_of(row), next(at), message="")
        exchanges.close(row, "declined", row["updated_at"])
        return row
    if source:
        exchanges.accept(w, row, next(at))
    if state in ("accepted", "cancelled"):
        if state == "cancelled":
            who = rng.choice((provider.id, receiver.id))
            exchanges.step(row, "cancelled", who, next(at), message="Finalement, je ne peux plus.")
            exchanges.close(row, "cancelled", row["updated_at"])
        return row
    minutes = rng.choice((60, 90, 120, 180))
    confirmer = exchanges.log(w, rng, row, next(at), minutes)
    if state == "expired":
        expired = row["expires_at"]
        exchanges.step(row, "expired", None, expired)
        exchanges.close(row, "expired", expired)
    elif state in ("disputed", "resolved"):
        row.update(state="disputed", dispute_reason=w.writer.dispute())
        exchanges.step(row, "disputed", confirmer, next(at), message=row["dispute_reason"])
        if state == "resolved":
            resolve(w, rng, row, next(at), None)
            exchanges.close(row, "cancelled", row["updated_at"])
    return row


def resolve(w: World, rng, row: dict, at: datetime, minutes: int | None) -> None:
    """A coordinator of the provider's space settles the dispute: confirms `minutes`, or
    cancels (None); the act is in the moderation log."""
    space_id = w.homes[row["provider_id"]]
    stewards = [
        c for c in w.stewards.get(space_id, ()) if c not in (row["provider_id"], row["receiver_id"])
    ]
    steward = stewards[0] if stewards else w.admin.id
    reason = RESOLUTION if minutes else CANCELLATION
    row["resolved_by_id"] = steward
    if minutes:
        row["minutes"] = minutes
    exchanges.step(row, "resolved", steward, at, minutes, reason)
    w.act(
        at,
        steward,
        "exchange_resolved",
        reason=reason,
        space_id=space_id,
        subject_user_id=row["provider_id"],
        target_type="exchange",
        _exchange=row,
        details={
            "outcome": "confirm" if minutes else "cancel",
            "minutes": minutes,
            "receiver_id": row["receiver_id"],
            "title": row["title"],
        },
    )
