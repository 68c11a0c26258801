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
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from enterprises.models import Coverage
from notifications.batch import Notice, announce_many, notify_many
from notifications.models import Kind, SentOnce
from notifications.services import office_users
from workdays.calendar import WorkCalendar

from .models import OPEN_STATUSES, Action, Status, Ticket, TicketEvent
from .services import ticket_transition
from .workflow import TRANSITIONS, Role, TransitionError, precondition_error, visibility

logger = logging.getLogger(__name__)

UNRATED_CLOSE_AFTER = dt.timedelta(days=7)  # no rating 7 days after resolution: it closes itself
LOOKAHEAD = dt.timedelta(days=14)  # a deadline one working day away is never further than this


@dataclass(frozen=True)
class Clock:
    name: str  # acceptance, progress, completion, follow_up
    due: dt.datetime


def running_clocks(ticket: Ticket) -> list[Clock]:
    """The deadlines `ticket` is running against now."""
    if ticket.merged_into_id is not None:
        return []
    if ticket.status == Status.SUBMITTED:
        return [Clock("acceptance", ticket.acceptance_due)]
    clocks = []
    if ticket.status in OPEN_STATUSES:
        if ticket.first_progress_at is None and ticket.first_progress_due is not None:
            clocks.append(Clock("progress", ticket.first_progress_due))
        if ticket.completion_due is not None:
            clocks.append(Clock("completion", ticket.completion_due))
    if ticket.follow_up_due is not None and ticket.followed_up_at is None:
        clocks.append(Clock("follow_up", ticket.follow_up_due))
    return clocks


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
        .select_related("enterprise", "assignee", "category")
        .order_by("pk")
    )


def claim(keys: list[str]) -> set[str]:
    """Claim `keys` inside the caller's transaction; answers those claimed now, never before.

    One INSERT … ON CONFLICT DO NOTHING for all of them: on PostgreSQL a second run's insert of
    the same keys waits for the first run's commit and then inserts nothing, without an error."""
    if not keys:
        return set()
    table = connection.ops.quote_name(SentOnce._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, created_at) VALUES "
            + ", ".join(["(%s, %s)"] * len(keys))
            + " ON CONFLICT (key) DO NOTHING RETURNING key",
            [value for key in keys for value in (key, now)],
        )
        return {row[0] for row in cursor.fetchall()}


def once(key: str) -> bool:
    """Claim one key inside the caller's transaction: True the first time, False ever after."""
    return bool(claim([key]))


BATCH_SIZE = 500


def check_deadlines(*, now: dt.datetime | None = None) -> Counter:
    """One run of the job; answers how many warnings and steps it took.

    Set-based: the tickets with a deadline near are taken BATCH_SIZE at a time, and each batch
    costs the same dozen queries whatever its size (tickets.deadline_batch). A batch that fails
    is retried ticket by ticket, so that one bad ticket does not stop the others' warnings."""
    now = now or timezone.now()
    calendar = WorkCalendar.load()
    done: Counter = Counter()
    candidates = tickets_with_deadlines_near(now)
    last = 0
    while ids := list(candidates.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH_SIZE]):
        last = ids[-1]
        try:
            with transaction.atomic():
                done.update(run_batch(candidates.filter(pk__in=ids), now=now, calendar=calendar))
        except Exception:
            logger.exception("Deadline check of tickets %s to %s failed; one by one", ids[0], last)
            for pk in ids:
                try:
                    with transaction.atomic():
                        done.update(run_batch(candidates.filter(pk=pk), now=now, calendar=calendar))
                except Exception:
                    logger.exception("Deadline check of ticket %s failed", pk)
                    done["errors"] += 1
    done.pop("step_0", None)
    return done


def run_batch(tickets, *, now: dt.datetime, calendar: WorkCalendar) -> Counter:
    """Every warning and escalation step due for `tickets` (a queryset), inside the caller's
    transaction, in a fixed number of queries: lock the tickets; read which steps were taken;
    claim the next ones (SentOnce); load who is responsible; write the events, the tickets'
    supervision flag, the notifications with their e-mails, and the robots' and webhooks'
    messages, each in one statement.

    The escalation events are the system's own moves (remind, supervise), checked against the
    same table as every other move (tickets.workflow.TRANSITIONS and precondition_error) and
    written as tickets.services.ticket_transition writes them; only the loading and writing is
    done for the whole batch at once. A step another run claimed first is skipped here and
    taken by the next run."""
    done: Counter = Counter()
    today = timezone.localdate(now)
    locked = list(tickets.select_for_update(of=("self",)))
    soon: list[tuple[Ticket, Clock, str]] = []
    overdue: list[tuple[Ticket, Clock, str, int]] = []
    for ticket in locked:
        for clock in running_clocks(ticket):
            key = f"ticket:{ticket.pk}:{clock.name}:{clock.due:%Y%m%d%H%M}"
            if clock.due >= now:
                if calendar.working_days_left(clock.due, now) == 1:
                    soon.append((ticket, clock, f"{key}:soon"))
                continue
            days = calendar.working_days_between(timezone.localdate(clock.due), today)
            overdue.append((ticket, clock, key, escalation_steps_due(days)))
    step_keys = [f"{key}:step{n}" for _t, _c, key, reach in overdue for n in range(1, reach + 1)]
    taken = set(SentOnce.objects.filter(key__in=step_keys).values_list("key", flat=True))
    steps: list[tuple[Ticket, Clock, str, int]] = []
    for ticket, clock, key, reach in overdue:
        step = next((n for n in range(1, reach + 1) if f"{key}:step{n}" not in taken), None)
        if step is not None:
            steps.append((ticket, clock, f"{key}:step{step}", step))
    claimed = claim([key for *_rest, key in soon] + [key for _t, _c, key, _s in steps])
    soon = [item for item in soon if item[2] in claimed]
    steps = [item for item in steps if item[2] in claimed]
    if not soon and not steps:
        return done

    audience = Audience([item[0] for item in (*soon, *steps)])
    notices: list[Notice] = []
    for ticket, clock, _key in soon:
        recipients = audience.office if clock.name == "follow_up" else audience.responsible(ticket)
        notices.append(Notice(recipients, Kind.DUE_SOON, ticket, _params(ticket, clock)))
        done["due_soon"] += 1
    events: list[TicketEvent] = []
    for ticket, clock, _key, step in steps:
        done[f"step_{step}"] += 1
        if clock.name == "follow_up":
            notices.append(Notice(audience.office, Kind.OVERDUE, ticket, _params(ticket, clock)))
            continue
        action = Action.SUPERVISE if step == 3 and not ticket.supervised else Action.REMIND
        if (refused := _refusal(ticket, action)) is not None:
            logger.info("Step %s of %s skipped: %s", step, ticket.number, refused)
            continue
        public, note_public = visibility(action)
        events.append(
            TicketEvent(
                ticket=ticket,
                action=action,
                actor=None,
                from_status=ticket.status,
                to_status=ticket.status,
                note=_overdue_note(clock),
                public=public,
                note_public=note_public,
                data={"clock": clock.name, "step": step} if action == Action.REMIND else {},
                created_at=now,
            )
        )
        if action == Action.SUPERVISE:
            ticket.supervised = True
            recipients = [*audience.responsible(ticket), *audience.office]
            notices.append(Notice(recipients, Kind.SUPERVISED, ticket, _params(ticket)))
        else:
            recipients = {1: audience.responsible, 2: audience.primary_leaders}.get(
                step, lambda t: audience.office
            )(ticket)
            notices.append(Notice(recipients, Kind.OVERDUE, ticket, _params(ticket, clock)))
    if events:
        TicketEvent.objects.bulk_create(events)
        supervised = [e.ticket_id for e in events if e.action == Action.SUPERVISE]
        Ticket.objects.filter(pk__in=[e.ticket_id for e in events]).update(
            updated_at=now,
            supervised=Case(When(pk__in=supervised, then=Value(True)), default=F("supervised")),
        )
    notify_many(notices)
    announce_many(events)
    return done


class Audience:
    """Who must act on each of a batch of tickets, loaded in three queries: the coordinators of
    their lead departments, the officials covering their enterprises, and the office."""

    def __init__(self, tickets: list[Ticket]) -> None:
        departments = {
            t.lead_department_id for t in tickets if not t.assignee_id and t.lead_department_id
        }
        self.coordinators: dict[int, list] = defaultdict(list)
        for user in (
            get_user_model()
            .objects.filter(official__is_coordinator=True, official__department_id__in=departments)
            .select_related("official")
        ):
            self.coordinators[user.official.department_id].append(user)
        self.covering: dict[int, list[tuple[object, str]]] = defaultdict(list)
        for coverage in Coverage.objects.filter(
            enterprise_id__in={t.enterprise_id for t in tickets}, official__user__is_active=True
        ).select_related("official__user"):
            self.covering[coverage.enterprise_id].append((coverage.official.user, coverage.role))
        self.office = list(office_users())

    def responsible(self, ticket) -> list:
        """services.responsible_for: the assignee; else the lead department's coordinators;
        else the officials covering the enterprise; else the office."""
        if ticket.assignee_id:
            return [ticket.assignee]
        if ticket.lead_department_id and self.coordinators.get(ticket.lead_department_id):
            return self.coordinators[ticket.lead_department_id]
        covering = _distinct(user for user, _role in self.covering[ticket.enterprise_id])
        return covering or self.office

    def primary_leaders(self, ticket) -> list:
        return _distinct(
            user
            for user, role in self.covering[ticket.enterprise_id]
            if role == Coverage.Role.PRIMARY
        )


def _distinct(users) -> list:
    return list({user.pk: user for user in users}.values())


def _refusal(ticket: Ticket, action: Action) -> str | None:
    """Why the system may not take `action` on `ticket` now (the table's checks), or None."""
    move = TRANSITIONS[action]
    if Role.SYSTEM not in move.roles:
        return "not the system's move"
    if ticket.merged_into_id is not None or ticket.status not in move.sources:
        return f"not from {ticket.status}"
    return precondition_error(ticket, action)


def _params(ticket: Ticket, clock: Clock | None = None) -> dict:
    params = {"number": ticket.number, "title": ticket.title}
    if clock is not None:
        params["clock"] = clock.name
    return params


def escalation_steps_due(overdue_days: int) -> int:
    """How far up the ladder an overdue clock may be: step 1 as soon as its deadline passes,
    step 2 on the second working day after it, step 3 on the third (working days counted after
    the deadline's day, today included)."""
    return 1 + max(0, min(2, overdue_days - 1))


def _overdue_note(clock: Clock) -> str:
    return f"{clock.name}: {timezone.localtime(clock.due):%Y-%m-%d}"


def close_unrated(*, now: dt.datetime | None = None, actor: AbstractBaseUser | None = None) -> int:
    """Close resolved tickets nobody rated within 7 days (counted as unrated, not satisfied)."""
    now = now or timezone.now()
    closed = 0
    stale = Ticket.objects.filter(
        status=Status.RESOLVED, merged_into__isnull=True, resolved_at__lt=now - UNRATED_CLOSE_AFTER
    ).values_list("pk", flat=True)
    for pk in list(stale):
        try:
            ticket_transition(ticket=pk, actor=actor, action=Action.CLOSE)
        except TransitionError:
            continue  # rated or reopened in the meantime
        closed += 1
    return closed
