"""The demo network's offers and requests, as `listings.toml` writes them in the network's
"pad standard".

Each listing has a title; a summary of at most three short lines (the essential); details in
markdown (the context, what is expected); next steps; two to five tags, the author's own skills
where they fit; a category, a mode and, most of the time, an estimated duration. `exchange.demo`
turns them into rows, dates them over the last four months and gives them their state.
"""

from __future__ import annotations

from typing import NamedTuple

from exchange.demo import data


class Pad(NamedTuple):
    """One demo listing. `space` is a space key of `exchange.demo.SPACES` ("" = the author's
    home space); `state` is "" (active and approved), "paused", "closed", "expired",
    "pending" (waits for a coordinator), "hidden" (by a coordinator, HIDDEN_REASON) or
    "reported" (an open report by REPORTER, REPORT_TEXT)."""

    author: str  # display name of a demo member
    kind: str  # offer | request
    category: str  # slug of a category of migration 0002
    mode: str  # remote | on_site | both
    minutes: int | None  # left out of the file when there is no estimate
    title: str
    summary: str
    details: str
    next_steps: str
    tags: tuple[str, ...]
    space: str = ""
    state: str = ""


_DATA = data.load("listings")  # listings.toml

# A coordinator of the space hid this listing (state "hidden"), and said why.
HIDDEN_REASON = _DATA["hidden_reason"]
# A member of the same space flagged this listing (state "reported"); nobody has answered yet.
REPORTER = _DATA["reporter"]
REPORT_REASON = _DATA["report_reason"]
REPORT_TEXT = _DATA["report_text"]

LISTINGS = [Pad(**{"minutes": None, **row, "tags": tuple(row["tags"])}) for row in _DATA["listing"]]
