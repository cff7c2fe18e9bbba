"""Durations typed by people, and shown the French way."""

import pytest

from exchange.durations import format_minutes, parse_duration


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
