"""What the demo's feedback is made of: the profiles shaped on purpose, the shares of
exchanges with feedback, the words read from feedback.toml, and the world the feedback is
planned in."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from exchange.demo import data
from exchange.text import fold
from models import (
    Exchange,
    Feedback,
    Skill,
    User,
)

VETERAN = "Hélène Vidal"

MIXED = "Élodie Perrin"

QUIET = "Yann Le Bihan"

UNRECOMMENDED_EXTRA = 2  # feedback that does not recommend, besides the one about MIXED

HISTORY_SHARE = {"both": 0.58, "one": 0.21}  # the rest: nobody wrote (closed windows)

RECENT_SHARE = {"both": 0.25, "one": 0.40}  # windows still open: "one" is double-blind

JOB_HOUR = 4  # `flask feedback publish` runs every night at 4 h, Paris time

_WORDS = data.load("feedback")

# What the receiver says of the work, by words of the exchange's title (accents ignored).
RECEIVED = [(tuple(row["words"]), row["text"]) for row in _WORDS["received"]]

RECEIVED_ANY = _WORDS["received_any"]  # when no sentence above fits the title

PERSON = _WORDS["person"]  # what the receiver may add about the person

# What the one who gave the time says of the receiver: by words of the title, then any.
GAVE = [(tuple(row["words"]), row["text"]) for row in _WORDS["gave"]]

GAVE_ANY = _WORDS["gave_any"]

GAVE_MORE = _WORDS["gave_more"]

NEUTRAL_RECEIVED = _WORDS["neutral_received"]

NEUTRAL_GAVE = _WORDS["neutral_gave"]

NEUTRAL_MORE = _WORDS["neutral_more"]

# Does not recommend: factual and calm, each with the reply of the member it is about.
NOT_RECOMMENDED_RECEIVED = [
    (row["comment"], row["reply"]) for row in _WORDS["not_recommended_received"]
]

NOT_RECOMMENDED_GAVE = [(row["comment"], row["reply"]) for row in _WORDS["not_recommended_gave"]]

# The exchange a coordinator settled after a dispute: the one who disputed, then the other.
DISPUTED = tuple(_WORDS["disputed"])

DISPUTED_REPLY = _WORDS["disputed_reply"]

REPLY_NEUTRAL = _WORDS["reply_neutral"]

REPLY_THANKS = _WORDS["reply_thanks"]

# The comment a coordinator hid, at the request of the member it is about.
HIDDEN_COMMENT = _WORDS["hidden_comment"]

HIDDEN_REPORT = _WORDS["hidden_report"]

HIDDEN_REASON = _WORDS["hidden_reason"]


@dataclass(eq=False)  # a note is itself: two are never the same one
class Note:
    """One feedback, decided before it is written."""

    exchange: Exchange
    author: User
    subject: User
    at: datetime
    recommendation: str = "recommends"
    comment: str = ""
    skills: list[Skill] = field(default_factory=list)
    announced_at: datetime | None = None
    reply: str = ""
    replied_at: datetime | None = None
    # Set once the window is known (`set_times`) and once written (`write_feedback`).
    updated_at: datetime = field(init=False)
    visible_from: datetime = field(init=False)
    row: Feedback = field(init=False)

    @property
    def by_receiver(self) -> bool:
        return self.author.id == self.exchange.receiver_id


@dataclass
class World:
    rng: random.Random
    now: datetime
    zone: ZoneInfo
    users: dict[str, User]
    logins: set[int]
    used: Counter = field(default_factory=Counter)  # sentence -> times used
    comments: set[str] = field(default_factory=set)  # those written so far
    # Works (exchange titles) some comment already speaks of: the first word on each is concrete.
    spoken_of: set[str] = field(default_factory=set)

    def awake(self, moment: datetime) -> datetime:
        """The moment, or the next morning when it falls in the night (Paris time)."""
        local = moment.astimezone(self.zone)
        minutes = self.rng.randint(0, 150)
        if 8 <= local.hour < 22:
            return moment
        if local.hour >= 22:
            local += timedelta(days=1)
        morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
        return (morning + timedelta(minutes=minutes)).astimezone(moment.tzinfo)

    def job_after(self, moment: datetime) -> datetime:
        """The next nightly run of `flask feedback publish` after the moment."""
        local = moment.astimezone(self.zone)
        run = local.replace(hour=JOB_HOUR, minute=0, second=0, microsecond=0)
        if run <= local:
            run += timedelta(days=1)
        return run.astimezone(moment.tzinfo)

    def pick(self, texts: list[str]) -> str:
        """One of the texts used least so far (so that none repeats while others wait)."""
        fewest = min(self.used[t] for t in texts)
        text = self.rng.choice([t for t in texts if self.used[t] == fewest])
        self.used[text] += 1
        return text


def first_name(user: User) -> str:
    return user.display_name.split()[0]


def de_name(first: str) -> str:
    """« de Sofia », « d'Amandine », « d'Hélène »."""
    return f"d'{first}" if fold(first)[:1] in tuple("aeiouh") else f"de {first}"


def matching(pool, title: str) -> list[str]:
    """The texts whose words start a word of the title (accents and case aside)."""
    folded = fold(title)
    return [
        text
        for words, text in pool
        if any(re.search(r"(?<!\w)" + re.escape(fold(word)), folded) for word in words)
    ]
