"""Report periods: an ISO week, a month, a quarter or any range of dates in Asia/Shanghai, or
the cumulative period from the campaign's start date to a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from workdays.weeks import week_title


@dataclass(frozen=True)
class Period:
    """The days `start` to `end`, both included, in the project's time zone (Asia/Shanghai)."""

    start: dt.date
    end: dt.date
    cumulative: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(_("A period cannot end before it starts."))

    # --- the kinds of period ---------------------------------------------------------------

    @classmethod
    def week(cls, day: dt.date) -> Period:
        """The ISO week (Monday to Sunday) that contains `day`."""
        monday = _shift(day, -day.weekday())
        return cls(monday, _shift(monday, 6))

    @classmethod
    def iso_week(cls, year: int, week: int) -> Period:
        return cls.week(dt.date.fromisocalendar(year, week, 1))

    @classmethod
    def month(cls, day: dt.date) -> Period:
        first = day.replace(day=1)
        following = _shift(first, 32).replace(day=1)
        return cls(first, _shift(following, -1))

    @classmethod
    def quarter(cls, day: dt.date) -> Period:
        first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        last_month = cls.month(dt.date(first.year, first.month + 2, 1))
        return cls(first, last_month.end)

    @classmethod
    def since(cls, campaign_start: dt.date, end: dt.date) -> Period:
        """Cumulative (累计): from the campaign's start to `end`."""
        return cls(min(campaign_start, end), end, cumulative=True)

    # --- what it covers --------------------------------------------------------------------

    @property
    def first_moment(self) -> dt.datetime:
        """00:00 of the first day, local time."""
        return _midnight(self.start)

    @property
    def end_moment(self) -> dt.datetime:
        """00:00 of the day after the last one, local time (the end is excluded)."""
        return _midnight(min(self.end, LATEST) + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_iso_week(self) -> bool:
        return self.start.weekday() == 0 and self.days == 7 and not self.cumulative

    @property
    def week_label(self) -> str:
        """`2026-W05` for an ISO week, else `2026-02-01 – 2026-02-28`."""
        if self.is_iso_week:
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    @property
    def title(self) -> str:
        """The period as people read it: "2026年第5周" (Week 5 of 2026), else its dates."""
        return week_title(self.week_label)

    def previous_weeks(self, count: int) -> list[Period]:
        """The `count` ISO weeks up to the one holding this period's last day, oldest first."""
        last = Period.week(self.end)
        return [
            Period(_shift(last.start, -7 * n), _shift(last.end, -7 * n))
            for n in range(count - 1, -1, -1)
        ]

    def as_json(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "cumulative": self.cumulative,
        }


# Days outside these bounds hold no ticket; a period reaching beyond them (an API client asking
# for 0001-01-01 to 9999-12-31) is read as reaching to them, so no moment overflows.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(9000, 12, 31)


def _shift(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`; a ValueError (as for any impossible date) past year 1 or 9999."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise ValueError(_("This period reaches beyond the calendar.")) from None


def _midnight(day: dt.date) -> dt.datetime:
    day = min(max(day, EARLIEST), LATEST + dt.timedelta(days=1))
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def last_week(today: dt.date | None = None) -> Period:
    """The ISO week before the one holding `today` (what Monday's bulletin reports)."""
    today = today or timezone.localdate()
    return Period.week(today - dt.timedelta(days=7))
