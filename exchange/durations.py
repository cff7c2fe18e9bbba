"""Time the French way: whole minutes inside, "1 h 30" outside.

static/js/durations.js reads what a person types with the same rules, to show it live; keep
the two in step (tests/unit/test_durations.py lists the cases both must agree on).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from exchange.number_words import spell

_UNIT_H = r"(?:h|heures?|hours?|hrs?)"
_HM = re.compile(rf"^([0-9]{{1,4}}){_UNIT_H}([0-9]{{1,2}})?(?:min|mn|m)?$")
_MIN = re.compile(r"^([0-9]{1,5})(?:min|mn|minutes?)$")
_DECIMAL = re.compile(rf"^(([0-9]{{1,4}})(?:[.,]([0-9]{{1,4}}))?){_UNIT_H}?$")


class NotWholeMinutes(ValueError):
    """A decimal number of hours that is no whole number of minutes ("1,33" is 79.8 min);
    `nearest` is the whole number of minutes closest to it (at least 1)."""

    def __init__(self, typed: str, nearest: int):
        super().__init__(f"not a whole number of minutes: {typed!r}")
        self.typed = typed
        self.nearest = nearest


def parse_duration(text: str | None) -> int | None:
    """Minutes from what a person types: "1 h 30", "1h30", "1,5", "2", "45 min". None if blank.
    A number alone counts hours.

    Raises NotWholeMinutes for "1,33" (79.8 min), ValueError for anything else (negative,
    garbage, more than 59 in the minutes).
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
        hours, fraction = match.group(2), match.group(3) or "0"
        exact = Decimal(f"{hours}.{fraction}") * 60
        if exact != exact.to_integral_value():
            nearest = int(exact.to_integral_value(rounding=ROUND_HALF_UP))
            raise NotWholeMinutes(match.group(1), max(nearest, 1))
        return int(exact)
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


# Hours and minutes are feminine in French: "une heure", "vingt et une minutes".
_UNITS = {
    "fr": (("heure", "heures"), ("minute", "minutes"), " "),
    "en": (("hour", "hours"), ("minute", "minutes"), " and "),
}


def duration_words(minutes: int, locale: str = "fr") -> str:
    """A duration spelled out, so a misplaced digit shows: 1800 → "trente heures",
    90 → "une heure trente minutes" ("one hour and thirty minutes")."""
    lang = locale if locale in _UNITS else "fr"
    (hour, hours), (minute, mins), joint = _UNITS[lang]
    h, m = divmod(abs(minutes), 60)
    single = (lambda n: n < 2) if lang == "fr" else (lambda n: n == 1)  # "zéro minute"
    parts = []
    if h:
        parts.append(f"{spell(h, lang, feminine=True)} {hour if single(h) else hours}")
    if m or not h:
        parts.append(f"{spell(m, lang, feminine=True)} {minute if single(m) else mins}")
    return joint.join(parts)
