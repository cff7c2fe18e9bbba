"""Durations typed by people, and shown the French way."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from exchange.durations import NotWholeMinutes, duration_words, format_minutes, parse_duration
from exchange.number_words import spell


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1 h 30", 90), ("1h30", 90), ("1H30", 90), ("2 h", 120), ("2h", 120), ("2", 120),
        ("1,5", 90), ("1.5", 90), ("0,25", 15), ("45 min", 45), ("45min", 45),
        ("3 heures", 180), ("1 h 05", 65), ("", None), ("   ", None), (None, None),
    ],
)  # fmt: skip
def test_parse_duration(typed, minutes):
    assert parse_duration(typed) == minutes


@pytest.mark.parametrize("typed", ["-1", "abc", "1 h 75", "h", "1,,5", "1e3", "٣"])
def test_parse_duration_refuses_nonsense(typed):
    with pytest.raises(ValueError):
        parse_duration(typed)


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (90, "1\u00a0h\u00a030"),
        (60, "1\u00a0h"),
        (45, "45\u00a0min"),
        (-90, "−1\u00a0h\u00a030"),
        (605, "10\u00a0h\u00a005"),
    ],
)
def test_format_minutes(minutes, shown):
    assert format_minutes(minutes) == shown


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1,5", 90), ("1,25", 75), ("0,75", 45), ("1,5 h", 90), ("2,5 heures", 150),
        ("0,5h", 30), ("30", 1800), ("1,10", 66), ("0,05", 3), ("0", 0), ("1 h 00", 60),
    ],
)  # fmt: skip
def test_a_decimal_of_whole_minutes_is_read_exactly(typed, minutes):
    assert parse_duration(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "shown", "nearest"),
    [
        ("1,33", "1,33", 80),  # 79.8 min
        ("0,01", "0,01", 1),  # 0.6 min
        ("0,001", "0,001", 1),  # 0.06 min: never propose nothing
        ("1.333 h", "1.333", 80),
        ("2,99", "2,99", 179),  # 179.4 min
        ("0,125", "0,125", 8),  # 7.5 min, half rounds up
    ],
)
def test_a_decimal_that_is_no_whole_number_of_minutes_is_refused_with_the_nearest(
    typed, shown, nearest
):
    with pytest.raises(NotWholeMinutes) as refused:
        parse_duration(typed)
    assert (refused.value.typed, refused.value.nearest) == (shown, nearest)


@pytest.mark.parametrize(
    ("minutes", "fr", "en"),
    [
        (1800, "trente heures", "thirty hours"),
        (90, "une heure trente minutes", "one hour and thirty minutes"),
        (60, "une heure", "one hour"),
        (1, "une minute", "one minute"),
        (21 * 60 + 21, "vingt et une heures vingt et une minutes", "twenty-one hours and twenty-one minutes"),
        (71 * 60, "soixante et onze heures", "seventy-one hours"),
        (80 * 60, "quatre-vingts heures", "eighty hours"),
        (99 * 60, "quatre-vingt-dix-neuf heures", "ninety-nine hours"),
        (200 * 60, "deux cents heures", "two hundred hours"),
        (1000 * 60, "mille heures", "one thousand hours"),
        (0, "zéro minute", "zero minutes"),
    ],
)  # fmt: skip
def test_a_duration_in_words_spells_the_number_so_a_slip_shows(minutes, fr, en):
    assert duration_words(minutes, "fr") == fr
    assert duration_words(minutes, "en") == en


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (17, "dix-sept"), (70, "soixante-dix"), (72, "soixante-douze"), (81, "quatre-vingt-un"),
        (91, "quatre-vingt-onze"), (101, "cent un"), (300, "trois cents"), (310, "trois cent dix"),
        (2000, "deux mille"), (200000, "deux cent mille"), (1001, "mille un"),
    ],
)  # fmt: skip
def test_french_numbers(n, words):
    assert spell(n, "fr") == words


NODE = shutil.which("node")
SAME_CASES = [
    "1 h 30", "1h30", "1H30", "2 h", "2", "30", "1,5", "1.5", "0,25", "45 min", "45min",
    "3 heures", "1 h 05", "", "   ", "-1", "abc", "1 h 75", "h", "1,,5", "1e3", "٣",
    "1,33", "0,01", "0,001", "1.333 h", "2,99", "0,125", "0", "1,5 h", "2 hours", "99999 min",
    "1\u00a0h\u00a030", "12345",
]  # fmt: skip


def _python_reads(typed: str) -> dict:
    try:
        minutes = parse_duration(typed)
    except NotWholeMinutes as e:
        return {"typed": e.typed, "nearest": e.nearest}
    except ValueError:
        return {"invalid": True}
    return {"blank": True} if minutes is None else {"minutes": minutes}


@pytest.mark.skipif(NODE is None, reason="node not found: the live reading is not compared")
def test_the_live_reading_in_the_browser_follows_the_same_rules_as_the_server():
    script = Path(__file__).resolve().parents[2] / "static" / "js" / "durations.js"
    program = (
        f"const d = require({json.dumps(str(script))});"
        f"const cases = {json.dumps(SAME_CASES)};"
        "console.log(JSON.stringify(cases.map((c) => [d.parse(c), "
        "d.parse(c).minutes === undefined ? null : d.format(d.parse(c).minutes)])));"
    )
    out = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True)
    for typed, (js, shown) in zip(SAME_CASES, json.loads(out.stdout), strict=True):
        assert js == _python_reads(typed), typed
        if shown is not None:
            assert shown == format_minutes(js["minutes"]), typed
