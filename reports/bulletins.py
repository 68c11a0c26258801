"""What a weekly bulletin (周报/通报) says, as plain JSON: the week's and the cumulative figures,
every breakdown of the week, the ranking of districts and departments (with the score weights it
was ranked by), and the overdue and
supervised tickets. The published bulletin stores this (reports.models.Bulletin) and the page
and the workbook render only from it, so a published week never changes; the dashboard's export
builds the same document live.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone

from enterprises.models import District
from enterprises.selectors import ReportScope
from tickets.models import Ticket
from workdays.calendar import WorkCalendar

from . import aggregates, figures
from .bulletin_themes import themes_snapshot
from .periods import Period
from .scores import score_settings
from .selectors import cumulative

VERSION = 1
LIST_LIMIT = 200  # tickets listed by name in each list; the count is always complete


def bulletin_data(*, period: Period, scope: ReportScope, now: dt.datetime | None = None) -> dict:
    """The bulletin of `period` (normally an ISO week) for `scope`, as of `now`."""
    now = now or timezone.now()
    total = cumulative(period.end)
    week_figures = aggregates.totals(period=period, scope=scope, now=now)
    total_figures = aggregates.totals(period=total, scope=scope, now=now)
    calendar = WorkCalendar.current()
    score = score_settings()
    return {
        "version": VERSION,
        "district": _district(scope),
        "period": {**period.as_json(), "label": period.week_label},
        "cumulative": total.as_json(),
        "generated_at": now.isoformat(),
        "week": _block(week_figures),
        "total": _block(total_figures),
        "score": score,  # the weights the ranking was scored with (reports.scores)
        "breakdowns": {
            code: [_group(group) for group in groups]
            for code, groups in aggregates.breakdowns(
                period=period, scope=scope, now=now, score=score
            ).items()
        },
        "overdue": _tickets(
            figures.cohort(total)
            & figures.scope_condition(scope)
            & figures.conditions(now)["overdue"],
            count=total_figures["overdue"],
            calendar=calendar,
            now=now,
        ),
        "supervised": _tickets(
            figures.cohort(total)
            & figures.scope_condition(scope)
            & figures.OPEN
            & Q(supervised=True),
            count=None,
            calendar=calendar,
            now=now,
        ),
        "themes": themes_snapshot(period=period, scope=scope, now=now),
    }


def _district(scope: ReportScope) -> dict | None:
    if scope.is_city:
        return None
    district = District.objects.get(pk=scope.district_id)
    return {"code": district.code, "name": district.name}


def _block(result: figures.Figures) -> dict:
    return {"figures": result.as_json(), "counts": dict(result.counts)}


def _group(group: figures.Group) -> dict:
    return {
        "key": group.key,
        "name": group.name,
        "rank": group.rank,
        "score": None if group.score is None else float(group.score),
        "figures": group.figures.as_json(),
        "counts": dict(group.figures.counts),
    }


def _tickets(condition: Q, *, count: int | None, calendar: WorkCalendar, now) -> dict:
    """The first tickets of a list, most overdue first, and how many there are in all (`count`,
    or one more query)."""
    tickets = Ticket.objects.filter(condition).order_by("completion_due", "pk")
    rows = list(
        tickets.values(
            "number",
            "title",
            "status",
            "completion_due",
            "escalation_level",
            "supervised",
            enterprise_name=F("enterprise__name"),
            district_name=F("enterprise__district__name"),
            department_name=F("lead_department__name"),
        )[:LIST_LIMIT]
    )
    if count is None:
        count = tickets.count()
    today = timezone.localdate(now)
    for row in rows:
        due = row.pop("completion_due")
        row["due"] = timezone.localdate(due) if due else None
    late = _working_days_late(calendar, {r["due"] for r in rows if r["due"]}, today)
    return {
        "count": count,
        "tickets": [
            {
                "number": row["number"],
                "title": row["title"],
                "enterprise": row["enterprise_name"],
                "district": row["district_name"],
                "department": row["department_name"],
                "status": row["status"],
                "due": row["due"].isoformat() if row["due"] else None,
                "working_days_overdue": late[row["due"]] if row["due"] else None,
                "escalation_level": row["escalation_level"],
                "supervised": row["supervised"],
            }
            for row in rows
        ],
    }


def _working_days_late(
    calendar: WorkCalendar, dues: set[dt.date], today: dt.date
) -> dict[dt.date, int]:
    """Working days after each due day up to today (0 when not late), asking the calendar
    once per day of the range rather than once per day per ticket."""
    if not dues:
        return {}
    after: dict[dt.date, int] = {}  # working days from the earliest due day up to each day
    day, counted = min(dues), 0
    after[day] = 0
    while day < today:
        day += dt.timedelta(days=1)
        counted += calendar.is_working_day(day)
        after[day] = counted
    return {due: max(counted - after[due], 0) if due in after else 0 for due in dues}
