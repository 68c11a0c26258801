"""The ticket list behind a number: the queue's URL for a figure, and the filter it applies.

The dashboard links every number to `tickets:queue?figure=…&period_from=…&period_to=…[&group=
<dimension>:<key>]`; the queue's TicketFilter hands those parameters to `drill_down_for`, which
filters with the figure's own condition (reports.figures.drill_down), so the list has exactly as
many rows as the number.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from enterprises.selectors import report_scope

from .dimensions import DIMENSIONS, Dimension, Unit
from .figures import LINKED, RATES, drill_down
from .periods import Period


def queue_url(
    figure: str, period: Period, *, dimension: Dimension | None = None, unit: Unit | None = None
) -> str:
    """The queue filtered to the tickets counted by `figure` (a rate: by its numerator)."""
    figure = RATES[figure][0] if figure in RATES else figure
    params = {
        "figure": figure,
        "period_from": period.start.isoformat(),
        "period_to": period.end.isoformat(),
    }
    if dimension is not None and unit is not None:
        params["group"] = f"{dimension.code}:{unit.token}"
    return f"{reverse('tickets:queue')}?{urlencode(params)}"


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
