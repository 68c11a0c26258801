"""The big screen (大屏) of the meeting room: the dashboard's headline figures, its 12-week trend,
the district ranking and the longest-overdue problems, on a dark page without the site's chrome
that fetches its figures again every minute.

The same readers as the dashboard (the office and the leaders; a district's leader sees its
district; everyone else 403), the same period (this week unless `start` and `end` say
otherwise) and the same figures: everything is read through reports.aggregates and the overdue
list through reports.figures.drill_down, so the screen cannot count differently from the
dashboard, the bulletin or the list behind a number.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from enterprises.selectors import ReportScope
from ops.replica import replica_reads
from tickets.models import Ticket
from tickets.templatetags.tickets_tags import days_left_label
from workdays.calendar import WorkCalendar

from . import aggregates
from .figures import LABELS, RATES, Figures, Group, drill_down
from .forms import PeriodForm
from .periods import Period
from .selectors import cumulative, scope_for
from .views import HEADLINE, TREND_WEEKS

REFRESH_SECONDS = 60
OVERDUE_SHOWN = 10  # the longest-overdue problems listed; the headline gives how many in all


def _number(value) -> float | int | None:
    return value if value is None or isinstance(value, int) else float(value)


def screen_figures(*, scope: ReportScope, period: Period, now: dt.datetime) -> dict:
    """What the screen shows, as JSON. Twelve queries, none depending on the number of tickets:
    the campaign's start (1); the period's and the cumulative totals (2 each); the trend (1);
    the districts (3, and the office's score weights that order them); the overdue list (1, and
    the calendar's entered days when any is overdue)."""
    total_period = cumulative(period.end)
    current = aggregates.totals(period=period, scope=scope, now=now)
    total = aggregates.totals(period=total_period, scope=scope, now=now)
    trend = aggregates.trend(weeks=period.previous_weeks(TREND_WEEKS), scope=scope)
    districts = aggregates.breakdown(period=period, scope=scope, dimension="district", now=now)
    return {
        "updated": timezone.localtime(now).strftime("%H:%M"),
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "title": period.title,
            "since": total_period.start.isoformat(),
        },
        "headline": _headline(current, total),
        "trend": {
            "labels": [week.title for week, _result in trend],
            "accepted": [result["accepted"] for _week, result in trend],
            "solved": [result["solved"] for _week, result in trend],
            "rate": [_number(result["resolution_rate"]) for _week, result in trend],
        },
        "ranking": _ranking(districts),
        "overdue": _overdue(scope, total_period, now),
        "names": {
            "accepted": str(LABELS["accepted"]),
            "solved": str(LABELS["solved"]),
            "rate": str(LABELS["resolution_rate"]),
        },
    }


def _headline(current: Figures, total: Figures) -> list[dict]:
    return [
        {
            "code": code,
            "label": str(LABELS[code]),
            "is_rate": code in RATES,
            "value": _number(current[code]),
            "total": _number(total[code]),
        }
        for code in HEADLINE
    ]


def _ranking(districts: list[Group]) -> list[dict]:
    """The districts in the order of the dashboard's ranking (ranked first, by rank; then the
    districts with too few problems to rank)."""
    ordered = sorted(districts, key=lambda g: (g.rank is None, g.rank or 0))
    return [
        {
            "name": group.name,
            "rank": group.rank,
            "accepted": group.figures["accepted"],
            "solved": group.figures["solved"],
            "rate": _number(group.figures["resolution_rate"]),
        }
        for group in ordered
    ]


def _overdue(scope: ReportScope, total_period: Period, now: dt.datetime) -> list[dict]:
    """The open problems longest past their completion deadline: the first rows of the list
    behind the cumulative `overdue` figure (one query), and by how many working days (the
    calendar's entered days, one query when any is overdue)."""
    tickets = drill_down(
        Ticket.objects.all(), figure="overdue", period=total_period, scope=scope, now=now
    )
    rows = list(
        tickets.order_by("completion_due", "pk").values(
            "number", "title", "completion_due", "enterprise__name", "lead_department__name"
        )[:OVERDUE_SHOWN]
    )
    if not rows:
        return []
    calendar = WorkCalendar.current()  # overdue in working days, as every page counts them
    result = []
    for row in rows:
        due = row["completion_due"]
        assert due is not None  # overdue: past a completion deadline it has
        left = calendar.working_days_left(due, now)
        result.append(
            {
                "number": row["number"],
                "title": row["title"],
                "enterprise": row["enterprise__name"],
                "department": row["lead_department__name"] or "",
                "days": -left,
                "late": days_left_label(left),
            }
        )
    return result


def _figures_for(request: HttpRequest) -> tuple[ReportScope, dict]:
    scope = scope_for(request.user)
    period = PeriodForm(request.GET or None).period()
    return scope, screen_figures(scope=scope, period=period, now=timezone.now())


@login_required
@replica_reads()
def screen(request: HttpRequest) -> HttpResponse:
    """The page: drawn at once from its figures in the page, then refreshed from `screen_data`.

    Queries: the session, the user and the official (the report scope), the twelve of
    `screen_figures`, and the context processors' membership and (for the office) calendar:
    17 (tests/reports/test_screen.py names them); the JSON makes the first 15.
    """
    scope, data = _figures_for(request)
    ranking = data["ranking"]
    return render(
        request,
        "reports/screen.html",
        {
            "data": data,
            "scope_name": ranking[0]["name"] if not scope.is_city and ranking else None,
            "refresh_seconds": REFRESH_SECONDS,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@replica_reads()
def screen_data(request: HttpRequest) -> JsonResponse:
    """The screen's figures as JSON, fetched by the page every REFRESH_SECONDS."""
    _scope, data = _figures_for(request)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
