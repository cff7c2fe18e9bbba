"""The words and figures of the demo's history, read from exchanges.toml: what people
proposed, the direct logs, the gifts, the pot's movements, the recent stories."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from exchange.demo import data
from models import (
    User,
)

HISTORY_DAYS = 125  # the first movements, some four months ago

SETTLED_BEFORE = timedelta(days=3)  # exchanges from listings are settled by then

ADMIN_SPACE = "rhone"  # the admin lives in Lyon and works from Les Ateliers du Rhône

_DATA = data.load("exchanges")

# When to meet, in a proposal; a proposal on an offer ({why}: what the receiver needs) or on a
# request ({why}: why the giver can); the author's answer; what the one who logs adds, by how
# it went against the time foreseen.
SLOTS = _DATA["slots"]

OFFER_PROPOSALS = _DATA["offer_proposals"]

REQUEST_PROPOSALS = _DATA["request_proposals"]

ACCEPTS = _DATA["accepts"]

NOTES_LONGER = _DATA["notes_longer"]

NOTES_SHORTER = _DATA["notes_shorter"]

NOTES_AS_FORESEEN = _DATA["notes_as_foreseen"]

# Offers that others answered over the months: title -> what the one who asks needs.
OFFER_NEEDS: dict[str, tuple[str, ...]] = {
    row["title"]: tuple(row["needs"]) for row in _DATA["offer_need"]
}

# Requests others answered: title -> (the skills a helper needs, none: anyone; why they can).
REQUEST_HELPERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    row["title"]: (tuple(row["skills"]), tuple(row["reasons"])) for row in _DATA["request_helper"]
}


class Direct(NamedTuple):
    """Time given outside a listing, logged and confirmed some time in the history."""

    provider: str
    receiver: str
    title: str
    minutes: int
    message: str = ""


DIRECT_LOGS = [Direct(**row) for row in _DATA["direct_log"]]

# Gifts between members (pay it forward): giver, recipient, minutes, message.
GIFTS = [(g["giver"], g["recipient"], g["minutes"], g["message"]) for g in _DATA["gift"]]

# Gifts to the common pot (two more than RETRIBUTIONS: see plan_pot): minutes, message.
POT_GIFTS = [(g["minutes"], g["message"]) for g in _DATA["pot_gift"]]

# The pot's retributions: coordinator, member, minutes, reason.
RETRIBUTIONS = [
    (r["coordinator"], r["member"], r["minutes"], r["reason"]) for r in _DATA["retribution"]
]

# Who typed 10 h instead of 1 h (the first of them with a balance that allowed it).
CORRECTED_GIVERS = tuple(_DATA["corrected_givers"])
# The stories of the rarer paths: answered, declined or cancelled, disputed, duplicated, expired.
STORIES = _DATA["story"]

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


class Recent(NamedTuple):
    """An exchange of the last days: a proposal on a listing, then its steps; the step that
    leaves it open goes through the services (see `play`). `days`: how many days ago each
    step happened, the proposal first.
    Steps: ("accept" | "decline", text) by the listing's author; ("cancel", who, text);
    ("log", who, minutes, note); ("dispute", text) by the party who did not log.
    `who` is "initiator" or "author"."""

    listing: str
    initiator: str
    message: str
    foreseen: int | None
    days: tuple[float, ...]
    steps: tuple[tuple, ...] = ()


RECENT = [
    Recent(
        r["listing"],
        r["initiator"],
        r["message"],
        r.get("foreseen"),
        tuple(r["days"]),
        tuple(tuple(step) for step in r["steps"]),
    )
    for r in _DATA["recent"]
]

# A direct log of the last days that waits for the other side's confirmation.
RECENT_LOGS = [
    (r["provider"], r["receiver"], r["days"], r["title"], r["minutes"], r["message"])
    for r in _DATA["recent_log"]
]


class Step(NamedTuple):
    kind: str  # an ExchangeEvent kind
    actor: User | None
    at: datetime
    minutes: int | None = None
    text: str = ""


def de_mois(day: date) -> str:
    month = MONTHS[day.month - 1]
    return f"d'{month}" if month[0] in "ao" else f"de {month}"


def le_jour(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"
