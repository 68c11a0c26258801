"""The figures (口径) of docs/domain.md, each defined once, as a condition on a ticket. Every report
(dashboard, bulletin, workbook, `manage.py report`, the API) counts its numbers with these
conditions (in the database: reports.aggregates), and the ticket list behind a number is
filtered by the very same condition (`drill_down`), so a number and its list cannot disagree.

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
* `urged` (催办) counts the tickets of the period that their enterprise urged at least once
  (tickets.workflow: an enterprise may urge a problem past its acceptance or completion
  deadline, once a working day), each in the unit that holds it now. It is counted live, not
  in the rollup: urged tickets are few, and a partial index (ticket_urged_idx) finds them.
* `proactive` (主动服务/未诉先办) counts the tickets of the period filed as answers to a theme's
  proactive notice (channel `proactive`, themes.services): problems the government went out to
  find before the enterprise complained. Like `urged` it is counted live: such tickets are few.
* `return_rate` (退单率) = returns / tickets received, where a unit received the tickets it holds
  now (`accepted`) and each one it sent back (`returned`): returned / (accepted + returned).
* `rework_rate` (重办率) = reworked / resolved at least once: `reworked` counts the accepted
  tickets of the period that went back to work after being resolved, because the enterprise
  reopened them or rated them unsatisfied (Ticket.reworked_at, set the first time, whatever
  the ticket's state now); `resolved_once` counts those resolved now plus the reworked ones still
  being reworked. Both are clock-free, so the rollup keeps them: a bad rating sends some 5 % of
  tickets back, too many to count live over a year.
* A duplicate merged into another ticket is counted once, as that ticket: the duplicate itself
  is left out of every figure but `returned` (a return made before the merge still happened).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from enterprises.selectors import ReportScope
from tickets.models import (
    GOOD_RATINGS,
    OPEN_STATUSES,
    Action,
    Channel,
    Outcome,
    Ticket,
)

from .dimensions import Dimension, Unit
from .periods import Period

# The figures of docs/domain.md, in the order every output lists them.
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
    "urged",
    "proactive",
    "return_rate",
    "rework_rate",
)
# Each rate: (numerator, denominator), both counted figures.
RATES = {
    "resolution_rate": ("solved", "accepted"),
    "on_time_acceptance_rate": ("accepted_on_time", "accepted"),
    "on_time_completion_rate": ("resolved_on_time", "resolved"),
    "on_time_progress_rate": ("progress_on_time", "progress_due"),
    "satisfaction_rate": ("satisfied", "rated"),
    "return_rate": ("returned", "received"),
    "rework_rate": ("reworked", "resolved_once"),
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
    "urged": pgettext_lazy("figure", "Urged"),
    "proactive": pgettext_lazy("figure", "Proactive service"),
    "return_rate": pgettext_lazy("figure", "Return rate"),
    "rework_rate": pgettext_lazy("figure", "Rework rate"),
    "received": pgettext_lazy("figure", "Received (held or returned)"),
    "reworked": pgettext_lazy("figure", "Reworked"),
    "resolved_once": pgettext_lazy("figure", "Resolved at least once"),
    "accepted_on_time": pgettext_lazy("figure", "Accepted on time"),
    "resolved": pgettext_lazy("figure", "Resolved"),
    "resolved_on_time": pgettext_lazy("figure", "Resolved on time"),
    "rated": pgettext_lazy("figure", "Rated"),
    "satisfied": pgettext_lazy("figure", "Satisfied"),
    "progress_due": pgettext_lazy("figure", "Progress due or reported"),
    "progress_on_time": pgettext_lazy("figure", "Progress reported on time"),
}
RANKED = ("district", "department")  # the breakdowns that rank their units (排名通报)
ONE_DECIMAL = Decimal("0.1")

# --- the definitions -------------------------------------------------------------------------

# 受理: accepted, and never rejected.
ACCEPTED = Q(accepted_at__isnull=False, rejected_at__isnull=True)
# 办结: accepted and resolved now (solved or explained); a reopened ticket is not.
RESOLVED = ACCEPTED & Q(outcome__in=[Outcome.SOLVED, Outcome.EXPLAINED])
# 在办: accepted, not resolved.
OPEN = ACCEPTED & Q(status__in=sorted(OPEN_STATUSES))


# Reworked: once resolved, it went back to work (the enterprise reopened it, or rated it
# unsatisfied, which reopens it too); tickets.services marks the first time.
REWORKED = Q(reworked_at__isnull=False)


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
        # 催办: urged by its enterprise (Ticket.urged_at is the last urge).
        "urged": Q(urged_at__isnull=False),
        # 未诉先办: filed as an answer to a theme's proactive notice.
        "proactive": Q(channel=Channel.PROACTIVE),
        # 重办: went back to work after a resolution (reopened, or rated unsatisfied).
        "reworked": ACCEPTED & REWORKED,
        # 办结过: resolved now, or resolved once and being reworked.
        "resolved_once": RESOLVED | (ACCEPTED & REWORKED),
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
    "reworked",
    "resolved_once",
)
COUNTED = (*STATIC, "overdue", "progress_due", "urged", "proactive")
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
            return rate(self.count(numerator), self.count(denominator))
        return self.count(code)

    def count(self, code: str) -> int:
        if code == "received":  # 收到的: those held now, and those sent back
            return self.counts.get("accepted", 0) + self.counts.get("returned", 0)
        return self.counts.get(code, 0)

    def __add__(self, other: Figures) -> Figures:
        codes = set(self.counts) | set(other.counts)
        return Figures({c: self.counts.get(c, 0) + other.counts.get(c, 0) for c in codes})

    def as_json(self) -> dict:
        """The sixteen figures; rates as numbers (96.4) or None."""
        return {code: _json_number(self[code]) for code in FIGURES}


def _json_number(value):
    return float(value) if isinstance(value, Decimal) else value


@dataclass
class Group:
    unit: Unit
    figures: Figures
    rank: int | None = None
    score: Decimal | None = None  # 综合评分 (reports.scores), of a ranked breakdown's units

    @property
    def key(self) -> str | None:
        return self.unit.key

    @property
    def name(self) -> str:
        return self.unit.name

    def as_json(self) -> dict:
        return {"key": self.key, "name": self.name, **self.figures.as_json()}


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
