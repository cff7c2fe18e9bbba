"""Time the French way: whole minutes inside, "1 h 30" outside."""

from __future__ import annotations

import re

_HM = re.compile(r"^([0-9]{1,4})\s*(?:h|heures?|hours?)\s*([0-9]{1,2})?\s*(?:min|mn|m)?$")
_MIN = re.compile(r"^([0-9]{1,5})\s*(?:min|mn|minutes?)$")
_DECIMAL = re.compile(r"^([0-9]{1,4})(?:[.,]([0-9]{1,2}))?$")


def parse_duration(text: str | None) -> int | None:
    """Minutes from what a person types: "1 h 30", "1h30", "1,5", "2", "45 min". None if blank.

    Raises ValueError for anything else (negative, garbage, more than 59 in the minutes).
    """
    value = " ".join((text or "").strip().lower().split())
    if not value:
        return None
    compact = value.replace(" ", "")
    if match := _MIN.match(compact):
        return int(match.group(1))
    if match := _HM.match(compact):
        minutes = int(match.group(2) or 0)
        if minutes > 59:
            raise ValueError("minutes past 59")
        return int(match.group(1)) * 60 + minutes
    if match := _DECIMAL.match(compact):
        hours, fraction = match.group(1), match.group(2) or "0"
        return int(hours) * 60 + round(int(fraction) * 60 / 10 ** len(fraction))
    raise ValueError(f"not a duration: {text!r}")


def duration_text(minutes: int | None) -> str:
    """The same words with plain spaces: what a form field is filled with, or a CSV cell holds
    (parse_duration reads it back)."""
    return format_minutes(minutes).replace("\u00a0", " ")


def format_minutes(minutes: int | None, locale: str = "fr") -> str:
    """90 → "1 h 30", 60 → "1 h", 45 → "45 min"; negative amounts keep their sign."""
    if minutes is None:
        return ""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        return f"{sign}{hours}\u00a0h\u00a0{rest:02d}"
    if hours:
        return f"{sign}{hours}\u00a0h"
    return f"{sign}{rest}\u00a0min"
