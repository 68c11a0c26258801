"""Rates: percentages rounded half-up to one decimal, and "no rate" when nothing to divide by."""

import json
from decimal import Decimal

from reports.figures import Figures, rate


def test_1805_solved_of_1873_accepted_is_a_resolution_rate_of_96_4():
    assert rate(1805, 1873) == Decimal("96.4")
    assert Figures({"solved": 1805, "accepted": 1873})["resolution_rate"] == Decimal("96.4")


def test_rates_round_half_up_not_to_even():
    assert rate(1, 16) == Decimal("6.3")  # 6.25
    assert rate(1, 80) == Decimal("1.3")  # 1.25
    assert rate(1, 3) == Decimal("33.3")
    assert rate(2, 3) == Decimal("66.7")


def test_everything_done_is_a_hundred_and_nothing_done_is_zero():
    assert rate(7, 7) == Decimal("100.0")
    assert rate(0, 7) == Decimal("0.0")


def test_a_zero_denominator_gives_no_rate_rather_than_zero_or_a_hundred():
    assert rate(0, 0) is None
    figures = Figures({"accepted": 0, "solved": 0})
    for code in (
        "resolution_rate",
        "on_time_acceptance_rate",
        "on_time_completion_rate",
        "on_time_progress_rate",
        "satisfaction_rate",
    ):
        assert figures[code] is None


def test_json_writes_rates_as_numbers_and_missing_rates_as_null():
    figures = Figures({"solved": 1805, "accepted": 1873})
    text = json.dumps(figures.as_json())
    assert '"resolution_rate": 96.4' in text
    assert '"satisfaction_rate": null' in text
