"""Weeks as an office writes them: 2026年第47周, not 2026-W47 (which stays the week's key in
URLs and stored bulletins)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from notifications.messages import render_message
from notifications.models import Kind
from reports.periods import Period
from reports.services import bulletin_publish
from workdays.weeks import week_title


@pytest.mark.parametrize(
    "language,expected", [("zh-hans", "2026年第47周"), ("en", "Week 47 of 2026")]
)
def test_an_iso_week_reads_as_people_write_it(language, expected):
    with translation.override(language):
        assert week_title("2026-W47") == expected
        assert Period.iso_week(2026, 47).title == expected


def test_text_that_is_no_week_is_left_as_it_is():
    assert week_title("2026-11-01 – 2026-11-30") == "2026-11-01 – 2026-11-30"
    assert week_title("2026-Wxx") == "2026-Wxx"


def test_the_bulletin_and_its_announcement_name_the_week_in_chinese(client, world):
    week = Period.week(dt.date(2026, 11, 16))
    bulletin_publish(week=week)
    client.force_login(world.office)
    page = client.get(reverse("reports:bulletin", args=["2026-W47"])).content.decode()
    assert "2026年第47周" in page
    listing = client.get(reverse("reports:bulletins")).content.decode()
    assert "2026年第47周" in listing and ">2026-W47<" not in listing
    with translation.override("zh-hans"):
        assert "2026年第47周" in render_message(Kind.BULLETIN, {"week": "2026-W47"})
