"""What members type, made plain: line breaks of every kind, one-line texts."""

from __future__ import annotations

import pytest

from exchange.text import initials, multiline, one_line

BREAKS = ["\r\n", "\r", "\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("brk", BREAKS, ids=repr)
def test_every_line_break_becomes_a_line_feed(brk):
    assert multiline(f"Merci pour ton aide !{brk}À bientôt") == "Merci pour ton aide !\nÀ bientôt"


def test_control_characters_that_are_not_text_go_and_tabs_stay():
    assert multiline("a\x00b\x07c\x1bd\x7fe\x9bf\tg") == "abcdef\tg"


@pytest.mark.parametrize("brk", BREAKS, ids=repr)
def test_one_line_folds_every_line_break_to_a_space(brk):
    assert one_line(f"Merci{brk}{brk}À bientôt ") == "Merci À bientôt"


def test_one_line_cuts_a_long_text_with_an_ellipsis():
    line = one_line("mot " * 100, 20)
    assert len(line) <= 20 and line.endswith("…") and "\n" not in line


def test_one_line_keeps_non_breaking_spaces():
    assert (
        one_line("Bob a déclaré 1\u00a0h\u00a030\r\npour vous")
        == "Bob a déclaré 1\u00a0h\u00a030 pour vous"
    )


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Hélène Martin", "HM"),
        ("jean-luc", "JL"),
        ("Ancien membre n° 4", "AM"),
        ("  Zoé  ", "Z"),
        ("Marie Claire de la Tour", "MC"),
        ("42 🌱", "?"),
        ("", "?"),
        (None, "?"),
        ("Émile O'Brien", "ÉO"),
    ],
)
def test_initials_are_the_first_letters_of_the_first_two_words(name, letters):
    assert initials(name) == letters
