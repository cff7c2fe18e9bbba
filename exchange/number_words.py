"""Whole numbers spelled out in French and English (0 to 999 999), for amounts a person must
read back in words before they move: "30 h (trente heures)"."""

from __future__ import annotations

# fmt: off
_FR = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
)
_FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
_EN = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# fmt: on


def _fr_below_100(n: int) -> str:
    if n < 20:
        return _FR[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix, quatre-vingt-dix: the teens on top of 60 or 80
        base = "soixante" if tens == 7 else "quatre-vingt"
        if n == 71:
            return "soixante et onze"
        return f"{base}-{_FR[10 + unit]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_FR[unit]}"
    if unit == 0:
        return _FR_TENS[tens]
    if unit == 1:
        return f"{_FR_TENS[tens]} et un"
    return f"{_FR_TENS[tens]}-{_FR[unit]}"


def _fr_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _fr_below_100(rest)
    head = "cent" if hundreds == 1 else f"{_FR[hundreds]} cent"
    if not rest:
        return head if hundreds == 1 else head + "s"
    return f"{head} {_fr_below_100(rest)}"


def _fr(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    if not thousands:
        return _fr_below_1000(rest)
    head = "mille" if thousands == 1 else f"{_fr_below_1000(thousands)} mille"
    # "deux cents" loses its s before mille: "deux cent mille"
    head = head.replace("cents mille", "cent mille").replace(
        "quatre-vingts mille", "quatre-vingt mille"
    )
    return head if not rest else f"{head} {_fr_below_1000(rest)}"


def _en_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if rest < 20:
        tail = _EN[rest]
    else:
        tens, unit = divmod(rest, 10)
        tail = _EN_TENS[tens] + (f"-{_EN[unit]}" if unit else "")
    if not hundreds:
        return tail
    head = f"{_EN[hundreds]} hundred"
    return head if not rest else f"{head} and {tail}"


def _en(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    if not thousands:
        return _en_below_1000(rest)
    head = f"{_en_below_1000(thousands)} thousand"
    if not rest:
        return head
    return f"{head} and {_en_below_1000(rest)}" if rest < 100 else f"{head} {_en_below_1000(rest)}"


def spell(n: int, locale: str = "fr", *, feminine: bool = False) -> str:
    """17 → "dix-sept"; 21 hours → "vingt et une" (`feminine`: the French "un" agrees)."""
    if not 0 <= n < 1_000_000:
        return str(n)
    if locale == "en":
        return _en(n)
    words = _fr(n)
    if feminine and words.endswith("un"):
        words += "e"
    return words
