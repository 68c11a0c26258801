"""Working days of the official Chinese calendar, make-up working days (调休) included.

The `chinese-calendar` package knows the State Council's schedule for the years it ships with;
days the office enters (`CalendarDay`) always win. For a year neither knows, Monday to Friday
are working days, a warning is logged and the office sees a banner (never an error).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar
from django.utils import timezone

from ops.masterdata import kept

from .models import CalendarDay

logger = logging.getLogger(__name__)

END_OF_DAY = dt.time(23, 59, 59)


@cache
def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _warn_fallback(year: int) -> None:
    logger.warning(
        "The working-day calendar does not know %s: counting Monday to Friday until the office "
        "enters that year's official schedule.",
        year,
    )


@dataclass
class WorkCalendar:
    """The calendar with the office's days loaded once; cheap to ask about many dates."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    # What the package or the weekday answered, and the spans counted: asked again and again by
    # the deadline job (thousands of tickets, a few dozen distinct days).
    _answers: dict[dt.date, bool] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _spans: dict[tuple[dt.date, dt.date], int] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def load(cls) -> WorkCalendar:
        """The calendar read afresh: for the holiday notice, which compares before and after."""
        return cls(dict(CalendarDay.objects.values_list("date", "is_working")))

    @classmethod
    def current(cls) -> WorkCalendar:
        """The calendar as the process keeps it (ops.masterdata), shared by its requests and
        jobs: what every deadline, filing, page and banner asks; no query once kept."""
        return _kept_calendar()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if (known := self._answers.get(day)) is not None:
            return known
        if package_knows(day.year):
            answer = chinese_calendar.is_workday(day)
        else:
            _warn_fallback(day.year)
            answer = day.weekday() < 5
        self._answers[day] = answer
        return answer

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The end (23:59:59 local) of the `days`-th working day after the day of `start`."""
        day = timezone.localtime(start).date()
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return timezone.make_aware(dt.datetime.combine(day, END_OF_DAY))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        if (known := self._spans.get((start, end))) is not None:
            return known
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        self._spans[(start, end)] = count
        return count

    def working_days_left(self, due: dt.datetime, now: dt.datetime | None = None) -> int:
        """Working days from today to the due day: 0 on the due day, negative once overdue
        (at least -1 as soon as the deadline has passed, weekends and holidays included)."""
        now = now or timezone.now()
        left = self.working_days_between(timezone.localdate(now), timezone.localtime(due).date())
        return min(left, -1) if due < now else left

    def unknown_years(self, years: list[int]) -> list[int]:
        """Years that neither the package nor the office's entries cover."""
        entered = {day.year for day in self.overrides}
        return [y for y in years if not package_knows(y) and y not in entered]


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    return WorkCalendar.current().add_working_days(start, days)


def years_not_known(today: dt.date) -> list[int]:
    """This year and the next, where neither the package nor the office's entries know them."""
    years = [y for y in (today.year, today.year + 1) if not package_knows(y)]
    return WorkCalendar.current().unknown_years(years) if years else []


@kept(CalendarDay)
def _kept_calendar() -> WorkCalendar:
    return WorkCalendar.load()
