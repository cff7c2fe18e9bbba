"""Reports for the coordinators: open ones on listings, members and feedback (the most at
the pre-moderated space's desk), and older ones dismissed or acted upon."""

from __future__ import annotations

from datetime import timedelta

from exchange.demo_scale import bulk
from exchange.demo_scale.memberships import DESK_SPACE
from exchange.demo_scale.world import World
from models import Report

REASONS = ("spam", "inappropriate", "misleading", "harassment", "other")
TEXTS = (
    "Le titre promet bien plus que ce que dit le détail : peut-être reformuler ?",
    "Cette annonce revient tous les jours sous un autre titre.",
    "Propos blessants dans les messages après un échange annulé.",
    "Prestation payante déguisée, bien au-delà du plafond des participations.",
    "Je ne suis pas sûr·e que ce soit le bon endroit pour ce genre d'annonce.",
)
STATUSES = (("open", 300), ("dismissed", 400), ("actioned", 200))
OUTCOMES = {
    "dismissed": "Rien d'anormal après vérification.",
    "actioned": "Traité avec la personne concernée.",
}


def add(w: World, phases: bulk.Phases) -> None:
    rng = w.dice()
    wanted = [(status, w.scale.part(count)) for status, count in STATUSES]
    with phases.phase("reports", sum(n for _status, n in wanted)) as bar:
        targets = _targets(w)
        rows = [
            row
            for status, count in wanted
            for _ in range(count)
            if (row := _report(w, rng, targets, status))
        ]
        rows.sort(key=lambda row: row["created_at"])
        first = w.ids.take(Report.__table__, len(rows))
        for i, row in enumerate(rows):
            row["id"] = first + i
            space = row.pop("_space")
            if row["status"] == "dismissed":
                w.act(
                    row["handled_at"],
                    row["handled_by_id"],
                    "report_dismissed",
                    reason=row["outcome"],
                    space_id=space,
                    subject_user_id=row["reporter_id"],
                    target_type="report",
                    target_id=row["id"],
                )
        bulk.insert(Report.__table__, rows, bar)
    w.counts["reports"] = len(rows)


def _targets(w: World) -> dict[str, list[tuple]]:
    """(kind, id, whose, space, since) of what can be reported, at the desk and elsewhere."""
    desk = w.spaces[DESK_SPACE]["id"]
    found: dict[str, list[tuple]] = {"desk": [], "elsewhere": []}
    for (author, _kind), items in w.listings_of.items():
        for created, listing_id, *_rest in items[-3:]:
            space = w.listing_space[listing_id]
            found["desk" if space == desk else "elsewhere"].append(
                ("listing_id", listing_id, author, space, created)
            )
    for m in w.members:
        found["desk" if m.home == desk else "elsewhere"].append(
            ("member_id", m.id, m.id, m.home, m.since())
        )
    for feedback_id, author, subject, shows in w.feedback_rows[-20000:]:
        if shows <= w.now:
            space = w.homes[subject]
            found["desk" if space == desk else "elsewhere"].append(
                ("feedback_id", feedback_id, author, space, shows)
            )
    return found


def _report(w: World, rng, targets, status: str) -> dict | None:
    pool = targets["desk" if rng.random() < 0.4 else "elsewhere"]
    column, target, whose, space, since = rng.choice(pool)
    days = rng.uniform(0.2, 30) if status == "open" else rng.uniform(30, 700)
    at = w.now - timedelta(days=days)
    reporter = rng.choice(w.members)
    if at <= since or reporter.id == whose or not reporter.active_at(at):
        return None
    key = (reporter.id, column, target)
    if status == "open":
        if key in w.reported:
            return None
        w.reported.add(key)
    row = {
        "reporter_id": reporter.id,
        "listing_id": None,
        "member_id": None,
        "feedback_id": None,
        "reason": rng.choice(REASONS),
        "text": rng.choice(TEXTS),
        "status": status,
        "created_at": at,
        "handled_by_id": None,
        "handled_at": None,
        "outcome": "",
        "_space": space,
    }
    row[column] = target
    if status != "open":
        stewards = [c for c in w.stewards.get(space, ()) if c not in (reporter.id, whose)]
        row.update(
            handled_by_id=stewards[0] if stewards else w.admin.id,
            handled_at=at + timedelta(days=rng.uniform(0.2, 5)),
            outcome=OUTCOMES[status],
        )
    return row
