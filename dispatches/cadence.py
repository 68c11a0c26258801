"""Dispatch cadence (周调度、旬调度、月调度): when each enterprise's next dispatch is due.

Due dates by revenue tier: tier a every Monday (weekly), tier b the 1st, 11th and 21st of each
month (every ten days, 旬), tier c the 1st of each month; tier d has none. The dispatch for a
due date is recorded from that date on and is overdue once the first working day on or after
it has ended; one dispatch answers one due date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from enterprises.models import Coverage, Enterprise
from workdays.calendar import WorkCalendar

from .models import Dispatch

Tier = Enterprise.RevenueTier

CADENCE_LABELS = {
    Tier.A: _("Weekly"),
    Tier.B: _("Every ten days"),
    Tier.C: _("Monthly"),
}


def campaign_start() -> dt.date | None:
    """The campaign's start date, or None when nothing says (then no visit is too early).

    The office sets it under reports, which sits on this floor too, so neither imports the other:
    the settings name the function that answers (CAMPAIGN_START_SOURCE, a dotted path; config
    wires the apps together), as Django's settings name a backend."""
    source = getattr(settings, "CAMPAIGN_START_SOURCE", None)
    return import_string(source)() if source else None


def visit_date_error(visited_on: dt.date) -> str | None:
    """Why a visit on this day cannot be recorded (in the future, or before the campaign
    started), or None."""
    if visited_on > timezone.localdate():
        return str(_("The visit cannot be in the future."))
    start = campaign_start()
    if start is not None and visited_on < start:
        return str(
            _("The visit cannot be before the campaign started (%(date)s).")
            % {"date": start.isoformat()}
        )
    return None


def due_dates(tier: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every due date of `tier` from `start` to `end`, both included."""
    if tier == Tier.A:
        first = start + dt.timedelta(days=-start.weekday() % 7)
        return [first + dt.timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]
    days = (1, 11, 21) if tier == Tier.B else (1,) if tier == Tier.C else ()
    dates, month = [], start.replace(day=1)
    while month <= end:
        dates += [month.replace(day=d) for d in days if start <= month.replace(day=d) <= end]
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return dates


def latest_due_date(tier: str, day: dt.date) -> dt.date | None:
    """The last due date on or before `day`."""
    dates = due_dates(tier, day - dt.timedelta(days=31), day)
    return dates[-1] if dates else None


def next_due_date(tier: str, day: dt.date) -> dt.date | None:
    """The first due date after `day`."""
    dates = due_dates(tier, day + dt.timedelta(days=1), day + dt.timedelta(days=32))
    return dates[0] if dates else None


def deadline_of(due: dt.date, calendar: WorkCalendar) -> dt.datetime:
    """The end of the first working day on or after `due`."""
    day_before = timezone.make_aware(dt.datetime.combine(due - dt.timedelta(days=1), dt.time(12)))
    return calendar.add_working_days(day_before, 1)


@dataclass(frozen=True)
class DispatchState:
    enterprise: Enterprise
    cadence: str
    due: dt.date  # the due date the next dispatch answers
    deadline: dt.datetime
    overdue: bool
    last_visit: dt.date | None

    @property
    def status(self) -> str:
        return "overdue" if self.overdue else "due"


def dispatch_states(
    enterprises: QuerySet[Enterprise], *, now: dt.datetime | None = None
) -> list[DispatchState]:
    """For each enterprise with a cadence: the due date its next dispatch answers (the current
    one if not yet recorded, else the next), whether that is overdue, and the last visit.
    Two queries, whatever the number of enterprises."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = WorkCalendar.current()
    rows = (
        enterprises.filter(revenue_tier__in=list(CADENCE_LABELS))
        .select_related("district")
        .annotate(
            last_scheduled=Max("dispatches__scheduled_for"),
            last_visit=Max("dispatches__visited_on"),
        )
        .order_by("name")
    )
    states = []
    for enterprise in rows:
        current = latest_due_date(enterprise.revenue_tier, today)
        due = current
        if current is None or (
            enterprise.last_scheduled is not None and enterprise.last_scheduled >= current
        ):
            due = next_due_date(enterprise.revenue_tier, today)
        deadline = deadline_of(due, calendar)
        states.append(
            DispatchState(
                enterprise=enterprise,
                cadence=str(CADENCE_LABELS[enterprise.revenue_tier]),
                due=due,
                deadline=deadline,
                overdue=deadline < now,
                last_visit=enterprise.last_visit,
            )
        )
    return states


@dataclass(frozen=True)
class Completion:
    district: object
    expected: int
    done: int

    @property
    def missed(self) -> int:
        return self.expected - self.done

    @property
    def rate(self):
        from decimal import ROUND_HALF_UP, Decimal

        if not self.expected:
            return None
        return (Decimal(100 * self.done) / self.expected).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def completion_by_district(
    *, districts: Iterable, start: dt.date, end: dt.date, enterprises: QuerySet[Enterprise]
) -> list[Completion]:
    """Dispatches due from `start` to `end` (up to today) and how many were recorded, per
    district. Counted in the database: enterprises per district and tier, and dispatches
    answering a due date in the range."""
    end = min(end, timezone.localdate())
    per_tier = (
        enterprises.filter(revenue_tier__in=list(CADENCE_LABELS))
        .values("district_id", "revenue_tier")
        .annotate(n=Count("pk"))
    )
    expected: Counter = Counter()
    for row in per_tier:
        expected[row["district_id"]] += row["n"] * len(due_dates(row["revenue_tier"], start, end))
    done_rows = (
        Dispatch.objects.filter(
            enterprise__in=enterprises.filter(revenue_tier__in=list(CADENCE_LABELS)),
            scheduled_for__range=(start, end),
        )
        .values("enterprise__district_id")
        .annotate(n=Count("pk"))
    )
    done = {row["enterprise__district_id"]: row["n"] for row in done_rows}
    return [Completion(d, expected[d.pk], done.get(d.pk, 0)) for d in districts]


PRIMARY = Coverage.Role.PRIMARY
LIAISON = Coverage.Role.LIAISON
