"""Deadlines count working days of the official calendar, make-up working days included."""

import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from workdays.calendar import WorkCalendar
from workdays.models import CalendarDay


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def due_day(start: str, days: int) -> str:
    return f"{timezone.localtime(WorkCalendar.load().add_working_days(at(start), days)):%Y-%m-%d}"


@pytest.mark.django_db
def test_five_working_days_from_30_september_skip_the_national_day_and_count_10_october():
    # 8, 9, 10 (a Saturday made a working day), 12, 13 October
    assert due_day("2026-09-30", 5) == "2026-10-13"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day,working",
    [
        ("2026-02-14", True),
        ("2026-02-28", True),
        ("2026-02-16", False),
        ("2026-10-10", True),
        ("2026-10-05", False),
        ("2026-11-23", True),
        ("2026-11-22", False),
    ],
)
def test_spring_festival_and_its_make_up_saturdays(day, working):
    assert WorkCalendar.load().is_working_day(dt.date.fromisoformat(day)) is working


@pytest.mark.django_db
def test_a_deadline_ends_at_the_end_of_the_working_day_in_shanghai():
    due = WorkCalendar.load().add_working_days(at("2026-11-23"), 1)
    local = timezone.localtime(due)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 11, 24), 23, 59)
    assert str(local.tzinfo) == "Asia/Shanghai"


@pytest.mark.django_db
def test_a_year_the_package_does_not_know_falls_back_to_monday_to_friday_with_a_warning(caplog):
    from workdays import calendar

    calendar._warn_fallback.cache_clear()
    with caplog.at_level(logging.WARNING, logger="workdays.calendar"):
        # Monday 28 December 2026 + 7: 29, 30, 31 Dec, Fri 1, Mon 4, Tue 5, Wed 6 January 2027
        assert due_day("2026-12-28", 7) == "2027-01-06"
    assert "2027" in caplog.text


@pytest.mark.django_db
def test_days_the_office_enters_win_over_the_fallback_and_the_package():
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working=False, note="元旦")
    CalendarDay.objects.create(date=dt.date(2026, 10, 10), is_working=False, note="更正")
    assert due_day("2026-12-28", 7) == "2027-01-07"
    assert WorkCalendar.load().is_working_day(dt.date(2026, 10, 10)) is False


@pytest.mark.django_db
def test_working_days_left_counts_down_to_zero_and_below():
    calendar = WorkCalendar.load()
    due = at("2026-11-25", 23)  # a Wednesday
    assert calendar.working_days_left(due, at("2026-11-23")) == 2
    assert calendar.working_days_left(due, at("2026-11-25")) == 0
    assert calendar.working_days_left(due, at("2026-11-30")) == -3  # Thu, Fri, Mon


def test_the_office_sees_a_banner_when_next_year_is_unknown(client, world, monkeypatch):
    from enterprises import context_processors

    monkeypatch.setattr(context_processors.timezone, "localdate", lambda: dt.date(2026, 11, 22))
    client.force_login(world.office)
    page = client.get(reverse("tickets:queue")).content.decode()
    assert 'data-testid="calendar-warning"' in page and "2027" in page
    client.force_login(world.official)
    assert (
        'data-testid="calendar-warning"'
        not in client.get(reverse("tickets:queue")).content.decode()
    )
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working=False, note="元旦")
    client.force_login(world.office)
    assert (
        'data-testid="calendar-warning"'
        not in client.get(reverse("tickets:queue")).content.decode()
    )


@pytest.mark.django_db
def test_a_deadline_passed_on_friday_reads_overdue_over_the_weekend():
    calendar = WorkCalendar.load()
    due = WorkCalendar.load().add_working_days(at("2026-11-19"), 1)  # Friday 20th, 23:59:59
    assert calendar.working_days_left(due, at("2026-11-21")) == -1  # Saturday
    assert calendar.working_days_left(due, at("2026-11-23")) == -1  # Monday
    assert calendar.working_days_left(due, at("2026-11-24")) == -2
