"""The last phase: the moderation log in date order, the accounts' cached balances, the id
sequences, the search's vocabulary and fresh planner statistics."""

from __future__ import annotations

from exchange.demo_scale import bulk
from exchange.demo_scale.world import World
from exchange.services.listings import search
from models import Account, ModerationAction

ACTION_DEFAULTS = {
    "space_id": None,
    "subject_user_id": None,
    "target_type": "",
    "target_id": None,
    "reason": "",
}


def add(w: World, phases: bulk.Phases) -> None:
    actions = sorted(w.actions, key=lambda a: a["created_at"])
    first = w.ids.take(ModerationAction.__table__, len(actions))
    rows = [_action_row(first + i, action) for i, action in enumerate(actions)]
    with phases.phase("moderation log", len(rows)) as bar:
        bulk.insert(ModerationAction.__table__, rows, bar)
    w.counts["moderation_actions"] = len(rows)
    with phases.phase("balances and indexes", 4) as bar:
        bulk.set_column(Account.__table__, "balance", {a: b for a, b in w.balances.items() if b})
        bar.update(1)
        bulk.move_sequences(w.ids)
        bar.update(1)
        search.sync_vocabulary()  # the search's vocabulary: every word of listing_terms, once
        bar.update(1)
        bulk.analyze()
        bar.update(1)


def _action_row(action_id: int, action: dict) -> dict:
    row = {**ACTION_DEFAULTS, **action, "id": action_id}
    exchange = row.pop("_exchange", None)
    if exchange is not None:
        row["target_id"] = exchange["id"]
    return row
