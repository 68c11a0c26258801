"""The deadline job (every 10 minutes): due-soon warnings, and overdue tickets escalating one
step at a time — the assignee, then the enterprise's primary covering leader, then the office,
which puts the ticket under supervision (督办).

Every warning and every step happens once: each is recorded in `SentOnce` under a key naming
the ticket, the clock, the deadline and the step, in the same transaction as its event and
notifications. A second run that overlaps the first finds the key taken and skips it (on
PostgreSQL its insert waits for the first run's commit, then fails on the unique key).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enterprises.escalation import escalation_steps_due
from enterprises.selectors import office_users
from notifications.ledger import once
from notifications.models import Kind
from notifications.services import notify
from workdays.calendar import WorkCalendar

from .clocks import FOLLOW_UP, Clock, running_clocks
from .models import OPEN_STATUSES, Action, Status, Ticket
from .notices import responsible_for
from .services import ticket_transition
from .workflow import TransitionError

logger = logging.getLogger(__name__)

UNRATED_CLOSE_AFTER = dt.timedelta(days=7)  # no rating 7 days after resolution: it closes itself
LOOKAHEAD = dt.timedelta(days=14)  # a deadline one working day away is never further than this


def tickets_with_deadlines_near(now: dt.datetime):
    """Open tickets with a deadline passed or close; everything else cannot need a step."""
    soon = now + LOOKAHEAD
    return (
        Ticket.objects.filter(merged_into__isnull=True)
        .filter(
            Q(status=Status.SUBMITTED, acceptance_due__lte=soon)
            | Q(
                status__in=OPEN_STATUSES,
                first_progress_at__isnull=True,
                first_progress_due__lte=soon,
            )
            | Q(status__in=OPEN_STATUSES, completion_due__lte=soon)
            | Q(followed_up_at__isnull=True, follow_up_due__lte=soon)
        )
        .select_related("enterprise", "assignee")
        .order_by("pk")
    )


def check_deadlines(*, now: dt.datetime | None = None) -> Counter:
    """One run of the job; answers how many warnings and steps it took."""
    now = now or timezone.now()
    calendar = WorkCalendar.load()
    today = timezone.localdate(now)
    done: Counter = Counter()
    for ticket in tickets_with_deadlines_near(now).iterator(chunk_size=500):
        try:
            for clock in running_clocks(ticket):
                key = f"ticket:{ticket.pk}:{clock.name}:{clock.due:%Y%m%d%H%M}"
                if clock.due >= now:
                    if calendar.working_days_left(clock.due, now) == 1:
                        done["due_soon"] += _warn_due_soon(ticket, clock, key)
                    continue
                overdue_days = calendar.working_days_between(timezone.localdate(clock.due), today)
                done[f"step_{_next_step(ticket, clock, key, overdue_days)}"] += 1
        except Exception:  # one bad ticket must not stop the others' warnings
            logger.exception("Deadline check of ticket %s failed", ticket.pk)
            done["errors"] += 1
    done.pop("step_0", None)
    return done


def _warn_due_soon(ticket: Ticket, clock: Clock, key: str) -> int:
    with transaction.atomic():
        if not once(f"{key}:soon"):
            return 0
        recipients = office_users() if clock.name == FOLLOW_UP else responsible_for(ticket)
        notify(
            recipients=recipients,
            kind=Kind.DUE_SOON,
            ticket=ticket,
            params={"number": ticket.number, "title": ticket.title, "clock": clock.name},
            url=ticket.get_absolute_url(),
        )
    return 1


def _next_step(ticket: Ticket, clock: Clock, key: str, overdue_days: int) -> int:
    """Take the next step of the ladder that is due, at most one per run; 0 when none is."""
    reachable = escalation_steps_due(overdue_days)
    for step in range(1, reachable + 1):
        with transaction.atomic():
            if not once(f"{key}:step{step}"):
                continue
            try:
                _escalation_step(ticket, clock, step)
            except TransitionError as refused:  # the ticket moved on meanwhile: nothing to do
                logger.info("Step %s of %s skipped: %s", step, ticket.number, refused.message)
            return step
    return 0


def _escalation_step(ticket: Ticket, clock: Clock, step: int) -> None:
    if clock.name == FOLLOW_UP:
        notify(
            recipients=office_users(),
            kind=Kind.OVERDUE,
            ticket=ticket,
            params={"number": ticket.number, "title": ticket.title, "clock": clock.name},
            url=ticket.get_absolute_url(),
        )
        return
    if step == 3 and not ticket.supervised:
        ticket_transition(
            ticket=ticket, actor=None, action=Action.SUPERVISE, note=_overdue_note(clock)
        )
        return
    ticket_transition(
        ticket=ticket,
        actor=None,
        action=Action.REMIND,
        clock=clock.name,
        step=step,
        note=_overdue_note(clock),
    )


def _overdue_note(clock: Clock) -> str:
    return f"{clock.name}: {timezone.localtime(clock.due):%Y-%m-%d}"


def close_unrated(*, now: dt.datetime | None = None) -> int:
    """Close resolved tickets nobody rated within 7 days (counted as unrated, not satisfied)."""
    now = now or timezone.now()
    closed = 0
    stale = Ticket.objects.filter(
        status=Status.RESOLVED, merged_into__isnull=True, resolved_at__lt=now - UNRATED_CLOSE_AFTER
    ).values_list("pk", flat=True)
    for pk in list(stale):
        try:
            ticket_transition(ticket=pk, actor=None, action=Action.CLOSE)
        except TransitionError:
            continue  # rated or reopened in the meantime
        closed += 1
    return closed
