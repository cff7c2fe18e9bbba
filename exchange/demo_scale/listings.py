"""The offers and requests: published over three years by members of the space they post
in, most of them active and approved, some paused, closed, expired, hidden by a coordinator or
waiting for one (the pre-moderated space's newest), each with its tags and its search words.

The search words come from `search.searchable`, the rule `search.index_listing` applies to
every listing saved, so the generated listings are found exactly as the others are.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from exchange.demo_scale import bulk
from exchange.demo_scale.lexicon import TRADES
from exchange.demo_scale.world import HISTORY_DAYS, Member, Roster, World
from exchange.services.listings import search
from exchange.services.listings.publishing import DEFAULT_DAYS
from models import Listing, ListingTerm, listing_skills

PENDING_DAYS = 21  # the pre-moderated space's coordinators are about three weeks behind
MINUTES = (30, 60, 60, 90, 120, 120, 180, 240, None)
HIDDEN_REASON = (
    "Cette annonce propose une prestation payée hors d'Archipel, au-delà du plafond des "
    "participations : tu peux la republier en temps, on en parle au prochain Care'n Share."
)
EDIT_REQUEST = "Pourriez-vous préciser la durée et le lieu ? L'annonce sera validée ensuite."


def add(w: World, phases: bulk.Phases) -> None:
    rng = w.dice()
    roster = Roster(w.members)
    times = sorted(_moment(w, rng) for _ in range(w.scale.listings))
    first_id = w.ids.take(Listing.__table__, len(times))
    with phases.phase("listings", len(times)) as bar:
        plans = (_plan(w, rng, roster, first_id + i, at) for i, at in enumerate(times))
        with bulk.without_indexes(Listing.__table__, ListingTerm.__table__, listing_skills):
            bulk.insert_together(_groups(w, rng, plans), bar, Listing.__table__)
    w.counts["listings"] = len(times)


def _moment(w: World, rng) -> datetime:
    # The network grows: more listings each year than the one before.
    return w.start + timedelta(days=25 + (HISTORY_DAYS + 4) * rng.random() ** 0.7)


def _plan(w: World, rng, roster: Roster, listing_id: int, at: datetime) -> dict:
    author = roster.pick(rng, at)
    while author is None or not author.active_at(at):
        author = roster.pick(rng, at)
    space_id = _space(rng, author, at)
    trade = author.trade if rng.random() < 0.7 else rng.choice(list(TRADES))
    kind = "offer" if rng.random() < 0.6 else "request"
    premoderated = any(row["premoderation"] for row in w.spaces.values() if row["id"] == space_id)
    row = {
        "id": listing_id,
        "kind": kind,
        "author_id": author.id,
        "space_id": space_id,
        "category_id": w.categories[trade]["id"],
        "mode": rng.choice(("remote", "on_site", "both", "both")),
        "estimated_minutes": rng.choice(MINUTES),
        "moderation_reason": "",
        "edit_requested": "",
        "created_at": at,
    }
    act = _state(w, rng, row, premoderated, author)
    return {"row": row, "trade": trade, "author": author, "act": act}


def _space(rng, author: Member, at: datetime) -> int:
    open_then = [space for space, since in author.spaces.items() if since <= at]
    if author.home in open_then and rng.random() < 0.75:
        return author.home
    return rng.choice(open_then or [author.home])


def _state(w: World, rng, row: dict, premoderated: bool, author: Member):
    """Status, moderation and dates, like a real network's mix; the coordinator's act on it
    (when, who, what, why), if any."""
    created, now = row["created_at"], w.now
    days = timedelta(days=DEFAULT_DAYS)
    draw = rng.random()
    status = "closed" if draw < 0.08 else "paused" if draw < 0.13 else "active"
    updated = created
    if status == "closed":
        updated = created + (min(now, created + 2 * days) - created) * rng.random()
    elif created + days <= now and rng.random() > 0.16:  # renewed by its author lately
        updated = max(created, now - timedelta(days=rng.uniform(0.5, DEFAULT_DAYS - 5)))
    moderation = "approved"
    if premoderated and now - created < timedelta(days=PENDING_DAYS) and status != "closed":
        moderation = "pending" if rng.random() < 0.9 else "approved"
    elif rng.random() < 0.006:
        moderation = "hidden"
    row.update(status=status, moderation=moderation, updated_at=updated, expires_at=updated + days)
    steward = _steward(w, row["space_id"], author.id)
    if moderation == "approved" and premoderated:
        return (
            min(created + timedelta(hours=rng.randint(2, 70)), now),
            steward,
            "listing_approved",
            "",
        )
    if moderation == "hidden":
        row["moderation_reason"] = HIDDEN_REASON
        return (
            min(created + timedelta(hours=rng.randint(3, 200)), now),
            steward,
            "listing_hidden",
            HIDDEN_REASON,
        )
    if moderation == "pending" and rng.random() < 0.1:
        row["edit_requested"] = EDIT_REQUEST
        return (min(created + timedelta(hours=20), now), steward, "edit_requested", EDIT_REQUEST)
    return None


def _steward(w: World, space_id: int, author_id: int) -> int:
    return next((c for c in w.stewards.get(space_id, ()) if c != author_id), w.admin.id)


def _acted(w: World, row: dict, at, actor: int, action: str, why: str) -> None:
    w.act(
        at,
        actor,
        action,
        reason=why,
        space_id=row["space_id"],
        subject_user_id=row["author_id"],
        target_type="listing",
        target_id=row["id"],
        details={"title": row.get("title", ""), "reports": []},
    )


def _groups(w: World, rng, plans):
    writer = w.writer
    for chunk in bulk.batches(plans, 1000):
        listings, tags, terms = [], [], []
        for plan in chunk:
            row, trade = plan["row"], TRADES[plan["trade"]]
            skills = _tags(w, rng, trade, plan["author"])
            giving = w.skill_names[rng.choice(plan["author"].skills)]
            row["title"] = writer.title(row["kind"], trade, w.skill_names[skills[0]])
            row["summary"] = writer.summary(row["kind"], trade, giving)
            row["details"] = writer.details(trade, plan["trade"])
            row["next_steps"] = writer.next_steps()
            category = w.categories[plan["trade"]]
            row["search_text"], weights = search.searchable(
                row["title"],
                row["summary"],
                row["details"],
                row["next_steps"],
                sorted(w.skill_names[s] for s in skills),  # Listing.skills' order, by name
                (category["name_fr"], category["name_en"]),
            )
            listings.append(row)
            if plan["act"]:
                _acted(w, row, *plan["act"])
            tags += [{"listing_id": row["id"], "skill_id": s} for s in skills]
            terms += [
                {"listing_id": row["id"], "term": t, "stem": search.stem(t), "weight": n}
                for t, n in weights.items()
            ]
            _remember(w, row, plan["trade"], skills)
        yield {Listing.__table__: listings, listing_skills: tags, ListingTerm.__table__: terms}
        w.counts["listing_terms"] = w.counts.get("listing_terms", 0) + len(terms)


def _tags(w: World, rng, trade, author: Member) -> list[int]:
    own = [s for s in author.skills if w.skill_names[s] in trade.skills]
    chosen = {w.skills[n] for n in rng.sample(trade.skills, rng.randint(1, 3))}
    chosen.update(own[: rng.randint(1, 2)])
    return sorted(chosen)[:5]


def _remember(w: World, row: dict, trade: str, skills: list[int]) -> None:
    """What the exchanges need: whose listing, of which kind, when, on what."""
    w.listings_of.setdefault((row["author_id"], row["kind"]), []).append(
        (row["created_at"], row["id"], trade, tuple(skills), row["title"], row["estimated_minutes"])
    )
    w.listing_space[row["id"]] = row["space_id"]
