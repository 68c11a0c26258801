"""A ticket's clocks (时限), in one place: which ones run now, which one the ticket runs against,
and what "overdue" means.

- acceptance: while submitted (accept within 1 working day);
- progress: from acceptance until the first progress report (or the resolution);
- completion: from acceptance until resolution (moved by an approved extension, restarted by
  rework);
- follow_up: the call back after a rework ordered by a bad rating (回访).

超期 ("overdue") is the figure's meaning (reports.figures): an open ticket past its completion
deadline. A submitted ticket past its acceptance deadline is 受理超期 ("late for acceptance"),
a separate name on screen and a separate filter. A merged duplicate runs on its main ticket's
clocks, never its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import OPEN_STATUSES, Status

if TYPE_CHECKING:  # the model asks the clocks (Ticket.current_clock), not the other way round
    from .models import Ticket

ACCEPTANCE = "acceptance"
PROGRESS = "progress"
COMPLETION = "completion"
FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class Clock:
    name: str  # ACCEPTANCE, PROGRESS, COMPLETION or FOLLOW_UP
    due: dt.datetime


def running_clocks(ticket: Ticket) -> list[Clock]:
    """Every deadline `ticket` runs against now (the deadline job warns and escalates on each)."""
    if ticket.merged_into_id is not None:
        return []
    if ticket.status == Status.SUBMITTED:
        return [Clock(ACCEPTANCE, ticket.acceptance_due)]
    clocks = []
    if ticket.status in OPEN_STATUSES:
        if ticket.first_progress_at is None and ticket.first_progress_due is not None:
            clocks.append(Clock(PROGRESS, ticket.first_progress_due))
        if ticket.completion_due is not None:
            clocks.append(Clock(COMPLETION, ticket.completion_due))
    if ticket.follow_up_due is not None and ticket.followed_up_at is None:
        clocks.append(Clock(FOLLOW_UP, ticket.follow_up_due))
    return clocks


# running_clocks in SQL: each clock's deadline field and the condition under which it runs.
RUNNING: dict[str, tuple[str, Q]] = {
    ACCEPTANCE: ("acceptance_due", Q(status=Status.SUBMITTED)),
    PROGRESS: ("first_progress_due", Q(status__in=OPEN_STATUSES, first_progress_at__isnull=True)),
    COMPLETION: ("completion_due", Q(status__in=OPEN_STATUSES)),
    FOLLOW_UP: ("follow_up_due", Q(followed_up_at__isnull=True)),
}


def running_condition(name: str) -> Q:
    """The tickets on which the clock `name` runs (a merged duplicate runs on none)."""
    field, condition = RUNNING[name]
    return condition & Q(merged_into__isnull=True, **{f"{field}__isnull": False})


def current_clock(ticket: Ticket) -> Clock | None:
    """The clock the ticket's handling runs against now: acceptance while submitted; while
    open, first progress until it is reported, then completion; none otherwise."""
    return next((clock for clock in running_clocks(ticket) if clock.name != FOLLOW_UP), None)


def overdue_condition(now: dt.datetime | None = None) -> Q:
    """超期: open past the completion deadline (the figure `overdue`, reports.figures)."""
    now = now or timezone.now()
    return Q(status__in=OPEN_STATUSES, completion_due__lt=now, merged_into__isnull=True)


def acceptance_overdue_condition(now: dt.datetime | None = None) -> Q:
    """受理超期: submitted and not accepted by its acceptance deadline."""
    now = now or timezone.now()
    return Q(status=Status.SUBMITTED, acceptance_due__lt=now, merged_into__isnull=True)


def is_overdue(ticket: Ticket, now: dt.datetime | None = None) -> bool:
    """overdue_condition, of one ticket."""
    return (
        ticket.merged_into_id is None
        and ticket.status in OPEN_STATUSES
        and ticket.completion_due is not None
        and ticket.completion_due < (now or timezone.now())
    )


def is_acceptance_overdue(ticket: Ticket, now: dt.datetime | None = None) -> bool:
    """acceptance_overdue_condition, of one ticket."""
    return (
        ticket.merged_into_id is None
        and ticket.status == Status.SUBMITTED
        and ticket.acceptance_due < (now or timezone.now())
    )


def clock_label(code: str) -> str:
    """The clock's name in a sentence ("the %(clock)s deadline")."""
    return {
        ACCEPTANCE: _("acceptance"),
        PROGRESS: _("first progress"),
        COMPLETION: _("completion"),
    }.get(code, code or "")
