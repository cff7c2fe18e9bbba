"""Who belongs where, as rows: active memberships (approved by a coordinator where the space
approves its members, coordinators named by the admin), requests waiting, declined, left."""

from __future__ import annotations

from datetime import timedelta

from exchange.demo_scale.world import Member, World
from models import Membership

DESK_SPACE = "coopsud"  # pre-moderated and approving: the busiest moderation desk


def steward(w: World, space_id: int, at=None, not_for: int | None = None) -> int:
    """A coordinator of the space at that moment, other than `not_for` (else the admin)."""
    for steward in w.stewards.get(space_id, ()):
        if steward != not_for and (at is None or w.coordinating[steward] <= at):
            return steward
    return w.admin.id


def rows_of(w: World, rng, m: Member):
    approving = {row["id"] for row in w.spaces.values() if row["join_policy"] == "approval"}
    for space_id, since in m.spaces.items():
        row = _membership(w, m, space_id, "active", since - timedelta(hours=rng.randint(0, 40)))
        if space_id in approving:
            row["decided_by_id"] = steward(w, space_id, since, m.id)
            row["decided_at"] = since
            w.act(
                since,
                row["decided_by_id"],
                "join_approved",
                space_id=space_id,
                subject_user_id=m.id,
                target_type="membership",
                target_id=row["id"],
            )
        if space_id in m.coordinates:
            row["role"] = "coordinator"
            row["decided_by_id"] = w.admin.id
            named = since + timedelta(days=rng.randint(1, 10))
            w.act(
                named,
                w.admin.id,
                "coordinator_named",
                space_id=space_id,
                subject_user_id=m.id,
                target_type="membership",
                target_id=row["id"],
            )
        yield row


def _membership(w: World, m: Member, space_id: int, status: str, asked) -> dict:
    return {
        "id": w.ids.take(Membership.__table__),
        "user_id": m.id,
        "space_id": space_id,
        "status": status,
        "role": "member",
        "message": "",
        "requested_at": min(asked, w.now),
        "decided_at": asked if status == "active" else None,
        "decided_by_id": None,
        "decision_reason": "",
    }


JOIN_MESSAGE = (
    "Bonjour ! J'ai suivi la réunion d'information et je voudrais rejoindre le lieu pour y "
    "proposer mes compétences."
)
DECLINED = "La coopérative n'accueille que les activités hébergées : parlons-en à la réunion."


def requests(w: World, rng) -> list[dict]:
    """Requests to join still waiting (most at the desk's space), some declined, some left."""
    approving = [row["id"] for row in w.spaces.values() if row["join_policy"] == "approval"]
    desk = w.spaces[DESK_SPACE]["id"]
    rows: list[dict] = []
    for status, count in (("pending", 40), ("declined", 20), ("left", 60)):
        for _ in range(w.scale.part(count)):
            m = rng.choice(w.members)
            space_id = desk if status != "left" and rng.random() < 0.7 else rng.choice(approving)
            if space_id in m.spaces or any(
                r["user_id"] == m.id and r["space_id"] == space_id for r in rows
            ):
                continue
            asked = w.now - timedelta(days=rng.uniform(0.5, 30 if status == "pending" else 600))
            row = _membership(w, m, space_id, status, max(asked, m.created))
            row["message"] = JOIN_MESSAGE
            if status == "declined":
                decided = row["requested_at"] + timedelta(days=2)
                row.update(
                    decided_at=decided,
                    decided_by_id=steward(w, space_id, decided, m.id),
                    decision_reason=DECLINED,
                )
                w.act(
                    row["decided_at"],
                    row["decided_by_id"],
                    "join_declined",
                    reason=DECLINED,
                    space_id=space_id,
                    subject_user_id=m.id,
                    target_type="membership",
                    target_id=row["id"],
                )
            elif status == "left":
                row["decided_at"] = row["requested_at"]
            rows.append(row)
    return rows
