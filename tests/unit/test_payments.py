"""Amounts and shares as an admin types them: whole cents and basis points, never floats."""

from __future__ import annotations

import pytest

from exchange.services.money import amounts


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("50", 5000),
        ("12,5", 1250),
        ("12,50", 1250),
        ("12.05", 1205),
        (" 7 € ", 700),
        ("0", 0),
        ("1\u00a0000", 100000),
    ],
)
def test_euros_are_read_as_whole_cents(typed, cents):
    assert amounts.parse_euros(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "-5", "12,345", "1e3", "12,,5", "€", "9999999"])
def test_what_is_no_amount_reads_as_none(typed):
    assert amounts.parse_euros(typed) is None


@pytest.mark.parametrize(
    ("typed", "bp"), [("0", 0), ("2", 200), ("2,5", 250), ("2.25 %", 225), ("50", 5000)]
)
def test_percentages_are_read_as_basis_points(typed, bp):
    assert amounts.parse_percent(typed) == bp


@pytest.mark.parametrize("typed", ["", "deux", "-1", "2,555", "1000"])
def test_what_is_no_percentage_reads_as_none(typed):
    assert amounts.parse_percent(typed) is None


@pytest.mark.parametrize(("cents", "shown"), [(5000, "50"), (1250, "12,50"), (1205, "12,05")])
def test_an_amount_goes_back_into_its_field_as_typed(cents, shown):
    assert amounts.euros_input(cents) == shown
    assert amounts.parse_euros(shown) == cents


@pytest.mark.parametrize(("bp", "shown"), [(0, "0"), (250, "2,5"), (225, "2,25"), (5000, "50")])
def test_a_share_goes_back_into_its_field_as_typed(bp, shown):
    assert amounts.percent_input(bp) == shown
    assert amounts.parse_percent(shown) == bp


@pytest.mark.parametrize(
    ("amount", "bp", "share"), [(5000, 0, 0), (5000, 250, 125), (999, 250, 24), (1, 5000, 0)]
)
def test_the_commons_share_is_rounded_down_in_cents(amount, bp, share):
    assert amounts.commons_share(amount, bp) == share
