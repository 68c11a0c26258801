"""The leaders' pages: the dashboard and its workbook (the bulletins: reports.bulletin_views).

Every view reads the reader's report scope first (403 for those who read no reports); a
district's leader sees its district only, and a bulletin it may not open is "not found". The
figures are read from the reports replica when there is one (ops.replica).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ops.replica import replica_reads
from tickets.action_forms import ACTION_FORMS
from tickets.models import Action, EscalationLevel, Ticket
from tickets.pending import pending_for

from . import aggregates
from .bulletins import bulletin_data
from .dimensions import DIMENSIONS, Dimension, Unit
from .excel import bulletin_workbook, workbook_bytes
from .figures import FIGURES, LABELS, RATES, Figures, Group
from .forms import PeriodForm, quick_periods
from .links import queue_url
from .periods import Period
from .scores import ranking_note, score_settings
from .selectors import cumulative, scope_for

TREND_WEEKS = 12
HEADLINE = (
    "accepted",
    "solved",
    "resolution_rate",
    "on_time_acceptance_rate",
    "on_time_completion_rate",
    "satisfaction_rate",
    "overdue",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEEKS_PER_PAGE = 20
LAST_LEVEL = EscalationLevel.JOINT_MEETING


@dataclass
class Cell:
    """One figure as shown: its value and the list behind it (a rate: numerator and
    denominator, each with its list)."""

    code: str
    label: str
    value: object
    url: str = ""
    numerator: int | None = None
    numerator_url: str = ""
    denominator: int | None = None
    denominator_url: str = ""

    @property
    def is_rate(self) -> bool:
        return self.code in RATES


def _cells(
    result: Figures,
    period: Period,
    codes=FIGURES,
    *,
    dimension: Dimension | None = None,
    unit: Unit | None = None,
) -> list[Cell]:
    cells = []
    for code in codes:
        if code in RATES:
            numerator, denominator = RATES[code]
            cells.append(
                Cell(
                    code,
                    str(LABELS[code]),
                    result[code],
                    numerator=result[numerator],
                    numerator_url=queue_url(numerator, period, dimension=dimension, unit=unit),
                    denominator=result[denominator],
                    denominator_url=queue_url(denominator, period, dimension=dimension, unit=unit),
                )
            )
        else:
            url = queue_url(code, period, dimension=dimension, unit=unit)
            cells.append(Cell(code, str(LABELS[code]), result[code], url=url))
    return cells


@login_required
@replica_reads()
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures of a period and cumulatively, the weekly trend and the districts.

    Queries, none of which depends on the number of tickets: the campaign's start (1); the
    period's totals and the cumulative totals (2 each: the rollup, and the clock-dependent
    counts); the 12-week trend (1, the rollup); the office's score weights (1); the districts
    (3: rollup, clock-dependent counts, names). With the session, the user and the base
    template's context processors the page makes 16 or 17 (tests/reports/test_dashboard.py
    names them).
    """
    scope = scope_for(request.user)
    form = PeriodForm(request.GET or None)
    period = form.period()
    total_period = cumulative(period.end)
    now = timezone.now()
    current = aggregates.totals(period=period, scope=scope, now=now)
    total = aggregates.totals(period=total_period, scope=scope, now=now)
    trend = aggregates.trend(weeks=period.previous_weeks(TREND_WEEKS), scope=scope)
    score = score_settings()
    districts = aggregates.breakdown(
        period=period, scope=scope, dimension="district", now=now, score=score
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "period": period,
            "total_period": total_period,
            "quick_periods": [
                (label, p, p == period) for label, p in quick_periods(timezone.localdate())
            ],
            "headline": _side_by_side(current, period, total, total_period, HEADLINE),
            "figures": _side_by_side(current, period, total, total_period, FIGURES),
            "rows": _district_rows(aggregates.by_rank(districts), period),
            "ranking_note": ranking_note(score),
            "labels": [LABELS[code] for code in FIGURES],
            "chart_data": {
                "names": _chart_names(),
                "trend": _trend_chart(trend),
                "districts": _district_chart(districts, period),
            },
            "scope_name": districts[0].name if not scope.is_city and districts else None,
            "pending": _pending(request),
        },
    )


@dataclass
class PendingRow:
    ticket: Ticket
    forms: list  # the actions taken in place, each posting to the ticket's own action URL


def _pending(request: HttpRequest) -> dict | None:
    """待我处理, above a leader's dashboard (tickets.pending): extension requests to approve or
    deny in place, tickets escalated to it (to send up again in place) and overdue tickets of
    the enterprises it covers (each to send up a level in place). None but for leaders."""
    pending = pending_for(request.user)
    if pending is None:
        return None
    here = request.get_full_path()

    def forms(ticket: Ticket, *actions: Action) -> list:
        return [
            ACTION_FORMS[action](
                ticket=ticket, user=request.user, next_url=here, auto_id=f"id_{ticket.pk}_%s"
            )
            for action in actions
        ]

    def escalate(ticket: Ticket) -> list:  # up a level, or to the joint meeting
        return forms(ticket, Action.ESCALATE) if ticket.escalation_level < LAST_LEVEL else []

    return {
        "extensions": [
            PendingRow(t, forms(t, Action.APPROVE_EXTENSION, Action.DENY_EXTENSION))
            for t in pending.extensions
        ],
        "escalated": [PendingRow(t, escalate(t)) for t in pending.escalated],
        "overdue": [PendingRow(t, escalate(t)) for t in pending.overdue],
        "count": len(pending.extensions) + len(pending.escalated) + len(pending.overdue),
    }


def _side_by_side(
    current: Figures, period: Period, total: Figures, total_period: Period, codes
) -> list[tuple[Cell, Cell]]:
    """Each figure of the period beside the same figure cumulatively."""
    return list(
        zip(_cells(current, period, codes), _cells(total, total_period, codes), strict=True)
    )


def _district_rows(districts: list[Group], period: Period) -> list[tuple[Group, list[Cell]]]:
    """The district table: each district with its figures, each linked to its list."""
    district = DIMENSIONS["district"]
    return [
        (group, _cells(group.figures, period, dimension=district, unit=group.unit))
        for group in districts
    ]


def _chart_names() -> dict:
    return {
        "accepted": str(LABELS["accepted"]),
        "solved": str(LABELS["solved"]),
        "rate": str(LABELS["resolution_rate"]),
    }


def _trend_chart(trend: list[tuple[Period, Figures]]) -> dict:
    """The weekly chart's series: accepted and solved (each bar linked to its list), and the
    resolution rate."""
    return {
        "labels": [week.title for week, _result in trend],
        "accepted": [result["accepted"] for _week, result in trend],
        "solved": [result["solved"] for _week, result in trend],
        "rate": [_number(result["resolution_rate"]) for _week, result in trend],
        "acceptedUrls": [queue_url("accepted", week) for week, _result in trend],
        "solvedUrls": [queue_url("solved", week) for week, _result in trend],
    }


def _district_chart(districts: list[Group], period: Period) -> dict:
    """The district chart's series: accepted and solved, each bar linked to its list."""
    district = DIMENSIONS["district"]
    return {
        "labels": [group.name for group in districts],
        "accepted": [group.figures["accepted"] for group in districts],
        "solved": [group.figures["solved"] for group in districts],
        "acceptedUrls": [
            queue_url("accepted", period, dimension=district, unit=g.unit) for g in districts
        ],
        "solvedUrls": [
            queue_url("solved", period, dimension=district, unit=g.unit) for g in districts
        ],
    }


@login_required
@replica_reads()
def export(request: HttpRequest) -> HttpResponse:
    """The dashboard's period as a workbook, computed now (the bulletin's layout)."""
    scope = scope_for(request.user)
    period = PeriodForm(request.GET or None).period()
    workbook = bulletin_workbook(bulletin_data(period=period, scope=scope))
    filename = f"{_('figures')}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    return _xlsx(workbook, filename)


# --- helpers ---------------------------------------------------------------------------------


def _number(value) -> float | None:
    return None if value is None else float(value)


def _xlsx(workbook, filename: str) -> HttpResponse:
    return HttpResponse(
        workbook_bytes(workbook),
        content_type=XLSX,
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )
