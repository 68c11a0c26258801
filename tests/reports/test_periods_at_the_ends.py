"""Weeks and periods at the ends of the calendar: "not found" or a message, never a crash."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.periods import Period


@pytest.mark.parametrize("week", ["9999-W52", "9999-W53", "0001-W01", "10000-W01", "2026-W54"])
@pytest.mark.parametrize("suffix", ["", "xlsx/", "nanguan/", "nanguan/xlsx/"])
def test_the_bulletin_of_a_week_at_the_end_of_the_calendar_is_not_found(
    client, world, week, suffix
):
    client.force_login(world.leader)
    response = client.get(f"/reports/bulletins/{week}/{suffix}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "make",
    [
        lambda: Period.week(dt.date.max),
        lambda: Period.iso_week(9999, 52),
        lambda: Period.month(dt.date(9999, 12, 5)),
        lambda: Period.quarter(dt.date(9999, 11, 5)),
        lambda: Period(dt.date.min, dt.date(1, 1, 7)).previous_weeks(12),
    ],
)
def test_a_period_the_calendar_cannot_hold_is_a_value_error(make):
    with pytest.raises(ValueError, match="日历"):
        make()
