"""The figures of reports.figures computed in the database: a period's totals, its weekly
trend, its breakdowns (ranked where they are), and the JSON of the command line and the API.

How it is computed
------------------
Conditional aggregates (COUNT(*) FILTER (WHERE …)) over the period's tickets, grouped by the
dimension of a breakdown (reports.dimensions). Over long periods that would read every ticket,
so totals, the district breakdown and the weekly trend add up the rollup (reports.models
.DayFigures: per day and district, the counts that do not depend on the clock, kept current by
reports.rollup with these same conditions) and count live only what depends on the clock — the
open tickets past their deadline and the accepted ones whose first progress report is not due
yet — both small sets with partial indexes of their own.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from enterprises.selectors import ReportScope
from tickets.models import Action, Ticket, TicketEvent

from .dimensions import DIMENSIONS, Dimension
from .figures import (
    COUNTED,
    RANKED,
    ROLLUP,
    Figures,
    Group,
    cohort,
    conditions,
    progress_pending,
    scope_condition,
)
from .models import DayFigures, DayFiguresDelta
from .periods import Period
from .scores import score_settings, unit_score

RANKED_ONES = frozenset(RANKED)

# --- totals ----------------------------------------------------------------------------------


def totals(*, period: Period, scope: ReportScope, now: dt.datetime | None = None) -> Figures:
    """The figures of `period` in `scope` (two queries, whatever the number of tickets)."""
    now = now or timezone.now()
    return _combine(_rollup(period, scope).get(None, {}), _timed(period, scope, now).get(None, {}))


def trend(*, weeks: list[Period], scope: ReportScope) -> list[tuple[Period, Figures]]:
    """Accepted and solved tickets of each week, oldest first (one query, on the rollup and
    its deltas)."""
    if not weeks:
        return []
    span = Period(weeks[0].start, weeks[-1].end)
    folded, pending = (
        _rollup_rows(span, scope, model)
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(accepted=Sum("accepted"), solved=Sum("solved"))
        .order_by()
        for model in (DayFigures, DayFiguresDelta)
    )
    by_week: dict[dt.date, dict[str, int]] = {}
    for row in folded.union(pending, all=True):  # the deltas not folded yet count too
        counts = by_week.setdefault(_as_date(row["week"]), {"accepted": 0, "solved": 0})
        for code in counts:
            counts[code] += row[code] or 0
    empty = {"accepted": 0, "solved": 0}
    return [(week, Figures(by_week.get(week.start, empty))) for week in weeks]


# --- breakdowns ------------------------------------------------------------------------------


def breakdown(
    *,
    period: Period,
    scope: ReportScope,
    dimension: Dimension | str,
    now: dt.datetime | None = None,
    score: dict | None = None,
) -> list[Group]:
    """The figures of each unit of `dimension` (three or four queries, and the office's score
    weights for a ranked one unless given); the groups add up to the totals. Districts and
    departments are ranked (see `rank`)."""
    code = dimension if isinstance(dimension, str) else dimension.code
    return breakdowns(period=period, scope=scope, dimensions=[code], now=now, score=score)[code]


# Attributes of the enterprise with a handful of values each: broken down together, in one
# grouped query (at most 8 × 4 × 4 groups), then added up for each.
SHARED = ("industry_chain", "revenue_tier", "srdi_level")


def breakdowns(
    *,
    period: Period,
    scope: ReportScope,
    dimensions=tuple(DIMENSIONS),
    now: dt.datetime | None = None,
    score: dict | None = None,
) -> dict[str, list[Group]]:
    """Several breakdowns of `period` at once: {dimension: groups}. Districts come from the
    rollup; the chain, revenue tier and SRDI level of the enterprise share their queries.
    Districts and departments are scored and ranked with `score` (reports.scores; read from
    the office's settings, one query, when not given), ranked units first."""
    now = now or timezone.now()
    found: dict[str, dict] = {}
    shared = [DIMENSIONS[code] for code in dimensions if code in SHARED]
    if shared:
        found.update(_live(period, scope, now, shared))
    for code in dimensions:
        if code == "district":  # the rollup knows districts
            rolled = _rollup(period, scope, by_district=True)
            timed = _timed(period, scope, now, dimension=DIMENSIONS[code])
            found[code] = {
                value: _combine(rolled.get(value, {}), timed.get(value, {}))
                for value in set(rolled) | set(timed)
            }
        elif code not in SHARED:
            found.update(_live(period, scope, now, [DIMENSIONS[code]]))
    if score is None and RANKED_ONES.intersection(dimensions):
        score = score_settings()
    return {code: _groups(DIMENSIONS[code], scope, found[code], score) for code in dimensions}


def _groups(
    dimension: Dimension, scope: ReportScope, by_value: dict, settings: dict | None
) -> list[Group]:
    groups = []
    for unit in dimension.units(scope, by_value):
        figures = Figures(dict.fromkeys((*COUNTED, "returned"), 0))
        for value in unit.values:
            if value in by_value:
                figures = figures + by_value[value]
        groups.append(Group(unit, figures))
    if settings is not None and dimension.code in RANKED:
        return rank(groups, settings)
    return groups


def rank(groups: list[Group], settings: dict) -> list[Group]:
    """Score each unit (综合评分, reports.scores) and rank them by it, the highest first (排名通报);
    equal scores share a place. A unit with fewer problems in the period than the office's
    minimum, or no weighed rate defined, is scored but not ranked. The groups keep their order
    (the dimension's); pages list them by rank with `by_rank`."""
    for group in groups:
        group.score = unit_score(group.figures.__getitem__, settings)
    ranked = sorted(
        (
            g
            for g in groups
            if g.key is not None
            and g.score is not None
            and g.figures["submitted"] >= settings["min_tickets"]
        ),
        key=lambda g: g.score,
        reverse=True,
    )
    previous, place = None, 0
    for position, group in enumerate(ranked, start=1):
        if group.score != previous:
            place, previous = position, group.score
        group.rank = place
    return groups


def by_rank(groups: list[Group]) -> list[Group]:
    """Ranked units by place, then the unranked ones (未排名) in their order."""
    return sorted(groups, key=lambda g: (g.rank is None, g.rank or 0))


# --- the JSON of the command line and the API ------------------------------------------------


def summary(
    period: Period | None = None,
    scope: ReportScope | None = None,
    group_by: str | None = None,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    cumulative: bool = False,
    now: dt.datetime | None = None,
) -> dict:
    """`{"period": {"from", "to", "cumulative"}, "totals": {<figure>: …}, "groups": [{"key",
    "name", <figure>: …}]}`; rates are numbers like 96.4, or None (null) when undefined.

    The period is given as a Period, or as `date_from`/`date_to` (the API's and the command's
    parameters); with `cumulative` it runs from the campaign's start to `date_to`."""
    if period is None:
        if date_to is None or (date_from is None and not cumulative):
            raise ValueError("Give a period, or date_from and date_to.")
        if cumulative:
            from .selectors import cumulative as cumulative_period

            period = cumulative_period(date_to)
        else:
            period = Period(date_from, date_to)
    if scope is None:
        raise ValueError("Give the reader's scope (enterprises.selectors.report_scope).")
    now = now or timezone.now()
    groups = breakdown(period=period, scope=scope, dimension=group_by, now=now) if group_by else []
    return {
        "period": period.as_json(),
        "totals": totals(period=period, scope=scope, now=now).as_json(),
        "groups": [group.as_json() for group in groups],
    }


# --- the queries -----------------------------------------------------------------------------


def _rollup_rows(period: Period, scope: ReportScope, model=DayFigures) -> QuerySet:
    rows = model.objects.filter(day__gte=period.start, day__lte=period.end)
    if not scope.is_city:
        rows = rows.filter(district_id=scope.district_id)
    return rows


def _rollup(period: Period, scope: ReportScope, *, by_district: bool = False) -> dict:
    """The clock-free counts from the rollup: {district id (or None for all): {code: n}}.

    One query: the folded rows' sums by district and, UNION ALL, those of the deltas not folded
    yet (reports.rollup), added up here."""
    sums = {code: Sum(code) for code in ROLLUP}
    folded, pending = (
        _rollup_rows(period, scope, model).values("district_id").annotate(**sums).order_by()
        for model in (DayFigures, DayFiguresDelta)
    )
    found: dict = {}
    for row in folded.union(pending, all=True):
        key = row["district_id"] if by_district else None
        counts = found.setdefault(key, dict.fromkeys(ROLLUP, 0))
        for code in ROLLUP:
            counts[code] += row[code] or 0
    if not by_district:
        found.setdefault(None, dict.fromkeys(ROLLUP, 0))
    return found


def _timed(
    period: Period, scope: ReportScope, now: dt.datetime, *, dimension: Dimension | None = None
) -> dict:
    """The counts that the rollup does not keep, counted live among the few tickets they
    concern: overdue tickets, accepted ones whose first progress report is not due yet (both
    depend on the clock), the urged ones and the proactive ones (未诉先办)."""
    conds = conditions(now)
    overdue, urged, proactive = conds["overdue"], conds["urged"], conds["proactive"]
    pending = progress_pending(now)
    tickets = Ticket.objects.filter(
        cohort(period) & scope_condition(scope) & (overdue | pending | urged | proactive)
    )
    counts = {
        "overdue": Count("pk", filter=overdue),
        "progress_pending": Count("pk", filter=pending),
        "urged": Count("pk", filter=urged),
        "proactive": Count("pk", filter=proactive),
    }
    if dimension is None:
        return {None: tickets.aggregate(**counts)}
    rows = tickets.values(value=F(dimension.path)).annotate(**counts).order_by()
    return {row.pop("value"): row for row in rows}


def _combine(rolled: dict, timed: dict) -> Figures:
    counts = {code: rolled.get(code, 0) for code in ROLLUP}
    counts["overdue"] = timed.get("overdue", 0)
    for code in ("urged", "proactive"):
        counts[code] = timed.get(code, 0)
    counts["progress_due"] = counts["accepted"] - timed.get("progress_pending", 0)
    return Figures(counts)


def _live(
    period: Period, scope: ReportScope, now: dt.datetime, dimensions: list[Dimension]
) -> dict[str, dict]:
    """Every counted figure, and the returns, by the values of each of `dimensions`: one
    grouped query over the period's tickets and one over its returns, whatever their number.
    Answers {dimension: {value: Figures}}."""
    conds = conditions(now)
    tickets = Ticket.objects.filter(cohort(period) & scope_condition(scope))
    events = TicketEvent.objects.filter(
        Q(
            action=Action.RETURN,
            created_at__gte=period.first_moment,
            created_at__lt=period.end_moment,
        )
        & scope_condition(scope, prefix="ticket__")
    )
    for dimension in dimensions:
        tickets = dimension.prepare(tickets)
        events = dimension.prepare(events, prefix="ticket__")
    keys = {f"by_{d.code}": F(d.path) for d in dimensions}
    rows = tickets.values(**keys).annotate(
        **{code: Count("pk", filter=conds[code]) for code in COUNTED}
    )
    event_keys = {f"by_{d.code}": F(d.event_path) for d in dimensions}
    returns = events.values(**event_keys).annotate(returned=Count("pk"))
    found: dict[str, dict] = {d.code: {} for d in dimensions}
    for row in [*rows.order_by(), *returns.order_by()]:
        counts = {code: value for code, value in row.items() if not code.startswith("by_")}
        for dimension in dimensions:
            value = row[f"by_{dimension.code}"]
            empty = Figures(dict.fromkeys((*COUNTED, "returned"), 0))
            figures = found[dimension.code].setdefault(value, empty)
            found[dimension.code][value] = figures + Figures(counts)
    return found


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
