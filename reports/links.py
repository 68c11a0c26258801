"""The ticket list behind a number: its URL for a figure, the filter it applies and its page.

The dashboard links every number to `reports:tickets?figure=…&period_from=…&period_to=…[&group=
<dimension>:<key>]`: the queue's page (tickets.views.queue_page) with the queue's filters and
FigureFilter's, which hands those parameters to `drill_down_for`, which filters with the
figure's own condition (reports.figures.drill_down), so the list has exactly as many rows as the
number. The queue's other filters narrow it further; its export exports the same list.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import django_filters as filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from enterprises.selectors import report_scope
from tickets.filters import TicketFilter
from tickets.views import queue_page

from .dimensions import DIMENSIONS, Dimension, Unit
from .figures import LINKED, RATES, drill_down
from .periods import Period
from .selectors import scope_for


def queue_url(
    figure: str, period: Period, *, dimension: Dimension | None = None, unit: Unit | None = None
) -> str:
    """The queue filtered to the tickets counted by `figure` (a rate: by its numerator); ""
    for a number with no single list behind it (`received`: held tickets and returns)."""
    figure = RATES[figure][0] if figure in RATES else figure
    if figure not in LINKED:
        return ""
    params = {
        "figure": figure,
        "period_from": period.start.isoformat(),
        "period_to": period.end.isoformat(),
    }
    if dimension is not None and unit is not None:
        params["group"] = f"{dimension.code}:{unit.token}"
    return f"{reverse('reports:tickets')}?{urlencode(params)}"


def drill_down_for(
    queryset: QuerySet,
    *,
    user,
    figure: str,
    start: dt.date | None,
    end: dt.date | None,
    group: str | None,
) -> QuerySet:
    """What the queue shows for `figure=…`: nothing unless the request names a known figure,
    a valid period and (if any) a known group, and the user reads reports."""
    if figure not in LINKED or start is None or end is None or end < start:
        return queryset.none()
    dimension = unit = None
    if group:
        code, _sep, token = group.partition(":")
        dimension = DIMENSIONS.get(code)
        unit = dimension.unit_for(token) if dimension is not None else None
        if unit is None:
            return queryset.none()
    return drill_down(
        queryset,
        figure=figure,
        period=Period(start, end),
        scope=report_scope(user),
        dimension=dimension,
        unit=unit,
    )


class FigureFilter(TicketFilter):
    """The queue's filters, and the figure's. Hidden: set by the dashboard's links. `figure`
    filters with the figure's own condition for the period (and group), within the reader's
    report scope; the other three only carry parameters for it."""

    figure = filters.CharFilter(method="filter_figure", widget=forms.HiddenInput, max_length=100)
    period_from = filters.DateFilter(method="filter_report_parameter", widget=forms.HiddenInput)
    period_to = filters.DateFilter(method="filter_report_parameter", widget=forms.HiddenInput)
    group = filters.CharFilter(
        method="filter_report_parameter", widget=forms.HiddenInput, max_length=100
    )

    def filter_figure(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        data = self.form.cleaned_data
        return drill_down_for(
            queryset,
            user=self.user,
            figure=value,
            start=data.get("period_from"),
            end=data.get("period_to"),
            group=data.get("group"),
        )

    def filter_report_parameter(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset


@login_required
def figure_tickets(request: HttpRequest) -> HttpResponse:
    """The tickets behind a number of the dashboard, on the queue's page; 403 for a user who
    reads no reports."""
    scope_for(request.user)
    return queue_page(request, FigureFilter)
