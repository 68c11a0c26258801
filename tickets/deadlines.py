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
from notifications.ledger import claim, claimed_before, once
from notifications.models import Kind
from notifications.services import notify, notify_many
from workdays.calendar import WorkCalendar

from .clocks import FOLLOW_UP, Clock, running_clocks
from .models import OPEN_STATUSES, Action, Status, Ticket
from .notices import responsible_for_each
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
        .select_related("assignee")
        .only(*CHECKED_FIELDS, "assignee")
        .order_by("pk")
    )


# What the job reads of a ticket: its clocks (tickets.clocks.running_clocks), who answers for it
# (tickets.notices.responsible_for_each) and what a notice says. A province's run reads tens of
# thousands of tickets every ten minutes; the rest of a row is loaded only for a step taken.
CHECKED_FIELDS = (
    "number",
    "title",
    "status",
    "supervised",
    "merged_into_id",
    "enterprise_id",
    "lead_department_id",
    "acceptance_due",
    "first_progress_at",
    "first_progress_due",
    "completion_due",
    "follow_up_due",
    "followed_up_at",
)


BATCH_SIZE = 500


def check_deadlines(*, now: dt.datetime | None = None) -> Counter:
    """One run of the job; answers how many warnings and steps it took.

    Set-based: the tickets with a deadline near are read BATCH_SIZE at a time, and a batch with
    nothing new to do costs one query more (which of its warnings and steps were taken before),
    whatever its size; its due-soon warnings go out in a fixed handful. Each escalation step is
    a move of the ticket through tickets.services.ticket_transition, the one function that
    writes a ticket's events: the queries of a run grow with the steps it takes, not with the
    tickets it looks at."""
    now = now or timezone.now()
    calendar = WorkCalendar.current()
    done: Counter = Counter()
    candidates = tickets_with_deadlines_near(now)
    last = 0
    while batch := list(candidates.filter(pk__gt=last)[:BATCH_SIZE]):
        last = batch[-1].pk
        _check_batch(batch, now=now, calendar=calendar, done=done)
    done.pop("step_0", None)
    return done


def _check_batch(
    tickets: list[Ticket], *, now: dt.datetime, calendar: WorkCalendar, done: Counter
) -> None:
    today = timezone.localdate(now)
    warnings: list[tuple[Ticket, Clock, str]] = []
    overdue: list[tuple[Ticket, Clock, str, int]] = []
    for ticket in tickets:
        for clock in running_clocks(ticket):
            key = f"ticket:{ticket.pk}:{clock.name}:{clock.due:%Y%m%d%H%M}"
            if clock.due >= now:
                if calendar.working_days_left(clock.due, now) == 1:
                    warnings.append((ticket, clock, f"{key}:soon"))
                continue
            days = calendar.working_days_between(timezone.localdate(clock.due), today)
            overdue.append((ticket, clock, key, escalation_steps_due(days)))
    taken = claimed_before(
        [key for *_, key in warnings]
        + [f"{key}:step{n}" for _t, _c, key, reach in overdue for n in range(1, reach + 1)]
    )
    if warnings := [warning for warning in warnings if warning[2] not in taken]:
        try:
            done["due_soon"] += _warn_due_soon(warnings)
        except Exception:  # one bad ticket must not stop the others' warnings: one by one
            logger.exception("Due-soon warnings of %s tickets failed; one by one", len(warnings))
            for warning in warnings:
                try:
                    done["due_soon"] += _warn_due_soon([warning])
                except Exception:
                    logger.exception("Due-soon warning of ticket %s failed", warning[0].pk)
                    done["errors"] += 1
    for ticket, clock, key, reach in overdue:
        step = next((n for n in range(1, reach + 1) if f"{key}:step{n}" not in taken), 0)
        if not step:
            continue
        try:
            done[f"step_{_take_step(ticket, clock, f'{key}:step{step}', step)}"] += 1
        except Exception:  # one bad ticket must not stop the others' steps
            logger.exception("Deadline step of ticket %s failed", ticket.pk)
            done["errors"] += 1


def _warn_due_soon(warnings: list[tuple[Ticket, Clock, str]]) -> int:
    """The warnings' keys claimed in one statement, their notices written in three more."""
    with transaction.atomic():
        claimed = claim([key for *_, key in warnings])
        warnings = [warning for warning in warnings if warning[2] in claimed]
        handled = [ticket for ticket, clock, _key in warnings if clock.name != FOLLOW_UP]
        responsible = responsible_for_each(handled) if handled else {}
        office = list(office_users()) if len(handled) < len(warnings) else []
        notify_many(
            {
                "recipients": office if clock.name == FOLLOW_UP else responsible[ticket.pk],
                "kind": Kind.DUE_SOON,
                "ticket": ticket,
                "params": {"number": ticket.number, "title": ticket.title, "clock": clock.name},
                "url": ticket.get_absolute_url(),
            }
            for ticket, clock, _key in warnings
        )
    return len(warnings)


def _take_step(ticket: Ticket, clock: Clock, key: str, step: int) -> int:
    """Take step `step` of the ladder, the next one due; 0 when an overlapping run took it
    first (the next run takes the one after)."""
    with transaction.atomic():
        if not once(key):
            return 0
        try:
            _escalation_step(ticket, clock, step)
        except TransitionError as refused:  # the ticket moved on meanwhile: nothing to do
            logger.info("Step %s of %s skipped: %s", step, ticket.number, refused.message)
        return step


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
