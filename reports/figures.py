"""The figures (口径) of DOMAIN.md, each defined once, as a condition on a ticket, and computed
in the database. Every report (dashboard, bulletin, workbook, `manage.py report`, the API) reads
its numbers here, and the ticket list behind a number is filtered by the very same condition
(`drill_down`), so a number and its list cannot disagree.

What a period means
-------------------
A period is a range of whole days in Asia/Shanghai: an ISO week (Monday 00:00 to Sunday 24:00),
a month, a quarter or any range; or cumulative (累计), from the campaign's start date (set by the
office, reports.models.CampaignSettings) to a day.

* The tickets of a period are those *submitted* in it, each counted in its *current* state:
  "accepted 1,873, solved 1,805" for a week means that of the problems filed that week, 1,873
  are accepted and 1,805 of those are solved now. A week's figures keep moving while its
  tickets are worked; the weekly bulletin freezes them when it is published.
* `overdue` and `on_time_progress_rate` compare deadlines with the moment of reading.
* `returned` counts the returns (退单) made during the period, on tickets in scope: a return is
  an act of a department on a day, not a property of a ticket. In the department breakdown a
  return counts for the department that made it (all other figures: the current lead
  department).
* A duplicate merged into another ticket is counted once, as that ticket: the duplicate itself
  is left out of every figure but `returned` (a return made before the merge still happened).

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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from enterprises.selectors import ReportScope
from tickets.models import GOOD_RATINGS, OPEN_STATUSES, Action, Outcome, Ticket, TicketEvent

from .dimensions import DIMENSIONS, Dimension, Unit
from .models import DayFigures
from .periods import Period

# The figures of DOMAIN.md, in the order every output lists them.
FIGURES = (
    "submitted",
    "accepted",
    "solved",
    "explained",
    "open",
    "overdue",
    "resolution_rate",
    "on_time_acceptance_rate",
    "on_time_completion_rate",
    "on_time_progress_rate",
    "satisfaction_rate",
    "returned",
)
# Each rate: (numerator, denominator), both counted figures.
RATES = {
    "resolution_rate": ("solved", "accepted"),
    "on_time_acceptance_rate": ("accepted_on_time", "accepted"),
    "on_time_completion_rate": ("resolved_on_time", "resolved"),
    "on_time_progress_rate": ("progress_on_time", "progress_due"),
    "satisfaction_rate": ("satisfied", "rated"),
}
LABELS = {
    "submitted": pgettext_lazy("figure", "Submitted"),
    "accepted": pgettext_lazy("figure", "Accepted"),
    "solved": pgettext_lazy("figure", "Solved"),
    "explained": pgettext_lazy("figure", "Explained"),
    "open": pgettext_lazy("figure", "Open"),
    "overdue": pgettext_lazy("figure", "Overdue"),
    "resolution_rate": pgettext_lazy("figure", "Resolution rate"),
    "on_time_acceptance_rate": pgettext_lazy("figure", "On-time acceptance"),
    "on_time_completion_rate": pgettext_lazy("figure", "On-time completion"),
    "on_time_progress_rate": pgettext_lazy("figure", "On-time progress reports"),
    "satisfaction_rate": pgettext_lazy("figure", "Satisfaction"),
    "returned": pgettext_lazy("figure", "Returned"),
    "accepted_on_time": pgettext_lazy("figure", "Accepted on time"),
    "resolved": pgettext_lazy("figure", "Resolved"),
    "resolved_on_time": pgettext_lazy("figure", "Resolved on time"),
    "rated": pgettext_lazy("figure", "Rated"),
    "satisfied": pgettext_lazy("figure", "Satisfied"),
    "progress_due": pgettext_lazy("figure", "Progress due or reported"),
    "progress_on_time": pgettext_lazy("figure", "Progress reported on time"),
}
MIN_TICKETS_TO_RANK = 5  # a unit with fewer tickets in the period is listed but not ranked
ONE_DECIMAL = Decimal("0.1")

# --- the definitions -------------------------------------------------------------------------

# 受理: accepted, and never rejected.
ACCEPTED = Q(accepted_at__isnull=False, rejected_at__isnull=True)
# 办结: accepted and resolved now (solved or explained); a reopened ticket is not.
RESOLVED = ACCEPTED & Q(outcome__in=[Outcome.SOLVED, Outcome.EXPLAINED])
# 在办: accepted, not resolved.
OPEN = ACCEPTED & Q(status__in=sorted(OPEN_STATUSES))


def _progress_reported_or_due(now: dt.datetime) -> Q:
    return Q(first_progress_at__isnull=False) | Q(first_progress_due__lt=now)


def conditions(now: dt.datetime) -> dict[str, Q]:
    """Every counted figure as a condition on a ticket of the period (merged duplicates are
    left out by `cohort`). `returned` counts events instead: see `returns`."""
    return {
        "submitted": Q(),
        "accepted": ACCEPTED,
        "solved": ACCEPTED & Q(outcome=Outcome.SOLVED),
        "explained": ACCEPTED & Q(outcome=Outcome.EXPLAINED),
        "open": OPEN,
        "overdue": OPEN & Q(completion_due__lt=now),
        "accepted_on_time": ACCEPTED & Q(accepted_at__lte=F("acceptance_due")),
        "resolved": RESOLVED,
        # The completion deadline moves only with an approved extension (and restarts on rework).
        "resolved_on_time": RESOLVED & Q(resolved_at__lte=F("completion_due")),
        "rated": ACCEPTED & ~Q(rating=""),
        "satisfied": ACCEPTED & Q(rating__in=sorted(GOOD_RATINGS)),
        "progress_due": ACCEPTED & _progress_reported_or_due(now),
        "progress_on_time": ACCEPTED & Q(first_progress_at__lte=F("first_progress_due")),
    }


# The counted figures that do not depend on the clock: what the rollup keeps.
STATIC = (
    "submitted",
    "accepted",
    "solved",
    "explained",
    "open",
    "accepted_on_time",
    "resolved",
    "resolved_on_time",
    "rated",
    "satisfied",
    "progress_on_time",
)
COUNTED = (*STATIC, "overdue", "progress_due")
ROLLUP = (*STATIC, "returned")  # the columns of the rollup (returned: by the day of the return)
LINKED = (*COUNTED, "returned")  # every number that has a ticket list behind it


def progress_pending(now: dt.datetime) -> Q:
    """Accepted tickets whose first progress report is neither made nor due yet: exactly the
    accepted tickets that `progress_due` leaves out (its negation, written so that the partial
    index ticket_progress_pending_idx serves it; tests pin that the two add up)."""
    return (
        ACCEPTED
        & Q(first_progress_at__isnull=True)
        & (Q(first_progress_due__gte=now) | Q(first_progress_due__isnull=True))
    )


def cohort(period: Period) -> Q:
    """The tickets of `period`: submitted in it, merged duplicates left out."""
    return Q(
        submitted_at__gte=period.first_moment,
        submitted_at__lt=period.end_moment,
        merged_into__isnull=True,
    )


def scope_condition(scope: ReportScope, *, prefix: str = "") -> Q:
    if scope.is_city:
        return Q()
    return Q(**{f"{prefix}enterprise__district_id": scope.district_id})


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage rounded half-up to one decimal; None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )


# --- results ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """The counts of one period (or one group of it), and the rates they give."""

    counts: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, code: str) -> int | Decimal | None:
        if code in RATES:
            numerator, denominator = RATES[code]
            return rate(self.counts.get(numerator, 0), self.counts.get(denominator, 0))
        return self.counts.get(code, 0)

    def __add__(self, other: Figures) -> Figures:
        codes = set(self.counts) | set(other.counts)
        return Figures({c: self.counts.get(c, 0) + other.counts.get(c, 0) for c in codes})

    def as_json(self) -> dict:
        """The twelve figures; rates as numbers (96.4) or None."""
        return {code: _json_number(self[code]) for code in FIGURES}


def _json_number(value):
    return float(value) if isinstance(value, Decimal) else value


@dataclass
class Group:
    unit: Unit
    figures: Figures
    rank: int | None = None

    @property
    def key(self) -> str | None:
        return self.unit.key

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def rankable(self) -> bool:
        return (
            self.unit.key is not None
            and self.figures["submitted"] >= MIN_TICKETS_TO_RANK
            and self.figures["resolution_rate"] is not None
        )

    def as_json(self) -> dict:
        return {"key": self.key, "name": self.name, **self.figures.as_json()}


# --- totals ----------------------------------------------------------------------------------


def totals(*, period: Period, scope: ReportScope, now: dt.datetime | None = None) -> Figures:
    """The figures of `period` in `scope` (two queries, whatever the number of tickets)."""
    now = now or timezone.now()
    return _combine(_rollup(period, scope).get(None, {}), _timed(period, scope, now).get(None, {}))


def trend(*, weeks: list[Period], scope: ReportScope) -> list[tuple[Period, Figures]]:
    """Accepted and solved tickets of each week, oldest first (one query, on the rollup)."""
    if not weeks:
        return []
    span = Period(weeks[0].start, weeks[-1].end)
    rows = (
        _rollup_rows(span, scope)
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(accepted=Sum("accepted"), solved=Sum("solved"))
        .order_by()
    )
    by_week = {_as_date(row["week"]): row for row in rows}
    result = []
    for week in weeks:
        row = by_week.get(week.start, {})
        counts = {c: row.get(c) or 0 for c in ("accepted", "solved")}
        result.append((week, Figures(counts)))
    return result


# --- breakdowns ------------------------------------------------------------------------------


def breakdown(
    *,
    period: Period,
    scope: ReportScope,
    dimension: Dimension | str,
    now: dt.datetime | None = None,
) -> list[Group]:
    """The figures of each unit of `dimension` (three or four queries); the groups add up to
    the totals. Districts and departments are ranked (see `rank`)."""
    code = dimension if isinstance(dimension, str) else dimension.code
    return breakdowns(period=period, scope=scope, dimensions=[code], now=now)[code]


# Attributes of the enterprise with a handful of values each: broken down together, in one
# grouped query (at most 8 × 4 × 4 groups), then added up for each.
SHARED = ("industry_chain", "revenue_tier", "srdi_level")


def breakdowns(
    *,
    period: Period,
    scope: ReportScope,
    dimensions=tuple(DIMENSIONS),
    now: dt.datetime | None = None,
) -> dict[str, list[Group]]:
    """Several breakdowns of `period` at once: {dimension: groups}. Districts come from the
    rollup; the chain, revenue tier and SRDI level of the enterprise share their queries."""
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
    return {code: _groups(DIMENSIONS[code], scope, found[code]) for code in dimensions}


def _groups(dimension: Dimension, scope: ReportScope, by_value: dict) -> list[Group]:
    groups = []
    for unit in dimension.units(scope, by_value):
        figures = Figures(dict.fromkeys((*COUNTED, "returned"), 0))
        for value in unit.values:
            if value in by_value:
                figures = figures + by_value[value]
        groups.append(Group(unit, figures))
    if dimension.code in ("district", "department"):
        rank(groups)
    return groups


def rank(groups: list[Group]) -> list[Group]:
    """Rank units by resolution rate, then on-time completion rate (排名通报); equal units share
    a place. A unit with fewer than five tickets in the period, or nothing accepted, is listed
    but not ranked."""

    def score(group: Group) -> tuple:
        completion = group.figures["on_time_completion_rate"]
        return (group.figures["resolution_rate"], completion if completion is not None else -1)

    ranked = sorted((g for g in groups if g.rankable), key=score, reverse=True)
    previous, place = None, 0
    for position, group in enumerate(ranked, start=1):
        if score(group) != previous:
            place, previous = position, score(group)
        group.rank = place
    return groups


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


# --- the list behind a number ----------------------------------------------------------------


def drill_down(
    queryset: QuerySet[Ticket],
    *,
    figure: str,
    period: Period,
    scope: ReportScope | None,
    dimension: Dimension | None = None,
    unit: Unit | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Ticket]:
    """The tickets counted by `figure` (of `unit`, when given): as many rows as the number.

    For `returned` a ticket returned twice in the period is listed twice, once per return.
    """
    if scope is None or figure not in LINKED:
        return queryset.none()
    now = now or timezone.now()
    queryset = queryset.filter(scope_condition(scope))
    if dimension is not None and unit is not None:
        queryset = dimension.prepare(queryset)
    if figure == "returned":
        events = Q(
            events__action=Action.RETURN,
            events__created_at__gte=period.first_moment,
            events__created_at__lt=period.end_moment,
        )
        if dimension is not None and unit is not None:
            if dimension.code == "department":
                events &= dimension.condition(unit, path="events__department_id")
            else:
                queryset = queryset.filter(dimension.condition(unit))
        return queryset.filter(events)
    condition = cohort(period) & conditions(now)[figure]
    if dimension is not None and unit is not None:
        condition &= dimension.condition(unit)
    return queryset.filter(condition)


# --- the queries -----------------------------------------------------------------------------


def _rollup_rows(period: Period, scope: ReportScope) -> QuerySet[DayFigures]:
    rows = DayFigures.objects.filter(day__gte=period.start, day__lte=period.end)
    if not scope.is_city:
        rows = rows.filter(district_id=scope.district_id)
    return rows


def _rollup(period: Period, scope: ReportScope, *, by_district: bool = False) -> dict:
    """The clock-free counts from the rollup: {district id (or None for all): {code: n}}."""
    sums = {code: Sum(code) for code in ROLLUP}
    rows = _rollup_rows(period, scope)
    if not by_district:
        row = rows.aggregate(**sums)
        return {None: {code: row[code] or 0 for code in ROLLUP}}
    return {
        row["district_id"]: {code: row[code] or 0 for code in ROLLUP}
        for row in rows.values("district_id").annotate(**sums).order_by()
    }


def _timed(
    period: Period, scope: ReportScope, now: dt.datetime, *, dimension: Dimension | None = None
) -> dict:
    """The counts that depend on the clock, counted live among the few tickets they concern:
    overdue tickets, and accepted ones whose first progress report is not due yet."""
    overdue = conditions(now)["overdue"]
    pending = progress_pending(now)
    tickets = Ticket.objects.filter(cohort(period) & scope_condition(scope) & (overdue | pending))
    counts = {
        "overdue": Count("pk", filter=overdue),
        "progress_pending": Count("pk", filter=pending),
    }
    if dimension is None:
        return {None: tickets.aggregate(**counts)}
    rows = tickets.values(value=F(dimension.path)).annotate(**counts).order_by()
    return {row.pop("value"): row for row in rows}


def _combine(rolled: dict, timed: dict) -> Figures:
    counts = {code: rolled.get(code, 0) for code in ROLLUP}
    counts["overdue"] = timed.get("overdue", 0)
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
