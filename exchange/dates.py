"""Dates and times as a European reads them, in every language of the interface: day before
month, a 24-hour clock ("2 déc. 2026, 21:36", "2 Dec 2026, 21:36"), in the network's zone."""

from __future__ import annotations

from flask_babel import format_date, format_datetime, get_locale

# CLDR's English lengths are American ("12/2/26, 9:36 PM", "December 2, 2026"); French ones read
# well, except a short date and time in figures only. One pattern per language and length;
# anything else (an explicit pattern such as "MMMM y") goes to Babel as it is.
_DAY = {"short": "dd/MM/y", "medium": "d MMM y", "long": "d MMMM y"}
_MOMENT = {"short": "d MMM y, HH:mm", "medium": "d MMM y, HH:mm", "long": "d MMMM y, HH:mm"}
DATE_PATTERNS = {"fr": _DAY, "en": {**_DAY, "short": "d MMM y"}}  # "02/12" is Feb 12 to many
DATETIME_PATTERNS = {"fr": _MOMENT, "en": _MOMENT}


def _pattern(table: dict[str, dict[str, str]], length: str) -> str:
    locale = get_locale()
    return table.get(locale.language if locale else "fr", {}).get(length, length)


def day(value, length: str = "long") -> str:
    """A date (or the day of a moment, in the network's zone); "" for none."""
    return format_date(value, _pattern(DATE_PATTERNS, length)) if value else ""


def moment(value, length: str = "medium") -> str:
    """A date and its time of day, in the network's zone; "" for none."""
    return format_datetime(value, _pattern(DATETIME_PATTERNS, length)) if value else ""
