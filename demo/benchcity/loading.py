"""Writing the benchmark city's tickets and events with PostgreSQL's COPY, and the working-day
deadlines they carry, looked up in the calendar once per day."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection
from django.utils import timezone

from tickets.numbers import sequence_name
from workdays.calendar import END_OF_DAY, WorkCalendar

from .lives import CATEGORY_WEIGHTS, DAYS, HOUR, Generator

TICKET_COLUMNS = (
    "id", "number", "title", "description", "channel", "status", "outcome", "resolution",
    "reject_reason", "supervised", "escalation_level", "submitted_at", "accepted_at",
    "first_progress_at", "resolved_at", "closed_at", "rejected_at", "acceptance_due",
    "first_progress_due", "completion_due", "extension_days", "extension_reason", "rating",
    "rating_comment", "rated_at", "contact_name", "contact_phone", "updated_at", "assignee_id",
    "category_id", "enterprise_id", "extension_requested_by_id", "lead_department_id",
    "merged_into_id", "submitted_by_id", "contact_email", "reworked_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "action", "from_status", "to_status", "note", "public", "note_public", "data",
    "created_at", "actor_id", "department_id", "ticket_id",
)  # fmt: skip


class Deadlines:
    """The end of the k-th working day after a local date, from the calendar, cached by day."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        calendar = WorkCalendar.load()
        self.first = first
        self.working: list[dt.date] = []
        self.position: list[int] = []  # working days up to and including each date
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.working.append(day)
            self.position.append(len(self.working))
            day += dt.timedelta(days=1)
        self.cache: dict[tuple[int, int], float] = {}

    def after(self, moment: float, days: int) -> float:
        local = timezone.localtime(dt.datetime.fromtimestamp(moment, dt.UTC))
        index = (local.date() - self.first).days
        key = (index, days)
        if key not in self.cache:
            due = self.working[self.position[index] + days - 1]
            self.cache[key] = timezone.make_aware(dt.datetime.combine(due, END_OF_DAY)).timestamp()
        return self.cache[key]


def load_tickets(rng: random.Random, world: dict, count: int, now: dt.datetime, log) -> int:
    """Generate and COPY the tickets and their events; answer the number of events."""
    today = timezone.localdate(now)
    first_day = today - dt.timedelta(days=DAYS)
    deadlines = Deadlines(first_day - dt.timedelta(days=7), today + dt.timedelta(days=400))
    picks = _picks(rng, world, count, first_day, now.timestamp())
    generator = Generator(rng, world, deadlines, now.timestamp())
    started = time.monotonic()
    counters: dict[int, int] = {}  # the last number of each year
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY tickets_ticket ({', '.join(TICKET_COLUMNS)}) FROM STDIN") as copy:
            for n, (day, at, enterprise, category) in enumerate(picks):
                year = day.year
                counters[year] = counters.get(year, 0) + 1
                copy.write_row(
                    generator.ticket(
                        pk=n + 1,
                        number=f"ZQ-{year}-{counters[year]:06d}",
                        at=at,
                        enterprise=enterprise,
                        category=world["categories"][category],
                    )
                )
                if n and n % 100_000 == 0:
                    log(f"  {n:,} tickets ({time.monotonic() - started:.0f} s)")
        log(f"tickets written ({time.monotonic() - started:.0f} s); events …")
        with raw.copy(f"COPY tickets_ticketevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
            for row in generator.events:
                copy.write_row(row)
        events = len(generator.events)
        cursor.execute("SELECT setval('tickets_ticket_id_seq', %s)", [count + 1])
        cursor.execute("SELECT setval('tickets_ticketevent_id_seq', %s)", [events + 1])
        for year, last in counters.items():
            cursor.execute(
                "INSERT INTO tickets_ticketcounter (year, last) VALUES (%s, %s)", [year, last]
            )
            # the year's number sequence (tickets.numbers) starts again after these
            cursor.execute(f"DROP SEQUENCE IF EXISTS {sequence_name(year)}")
    log(f"{count:,} tickets and {events:,} events written ({time.monotonic() - started:.0f} s)")
    return events


def _picks(rng: random.Random, world: dict, count: int, first_day: dt.date, now: float):
    """Each ticket's day, moment, enterprise and category, in the order of submission: weekdays
    four times busier than weekends, the two years growing busier, enterprises and categories
    by their weights. Yields (day, timestamp, enterprise id, category code)."""
    days = [first_day + dt.timedelta(days=n) for n in range(DAYS + 1)]
    weights = [
        (0.7 + 0.6 * n / DAYS) * (1 if d.weekday() < 5 else 0.25) for n, d in enumerate(days)
    ]
    day_picks = sorted(rng.choices(range(len(days)), weights=weights, k=count))
    midnight = {
        n: timezone.make_aware(dt.datetime.combine(d, dt.time())).timestamp()
        for n, d in enumerate(days)
    }
    enterprise_picks = rng.choices(
        world["enterprises"], weights=world["enterprise_weights"], k=count
    )
    codes = list(CATEGORY_WEIGHTS)
    category_picks = rng.choices(codes, weights=list(CATEGORY_WEIGHTS.values()), k=count)
    for n in range(count):
        day = day_picks[n]
        at = midnight[day] + rng.uniform(8, 18) * HOUR
        if at >= now:
            at = now - rng.uniform(60, 3600)
        yield days[day], at, enterprise_picks[n], category_picks[n]


def multiply(copies: int, tickets: int, events: int, log) -> None:
    """Make `copies - 1` more of the `tickets` generated tickets and their `events`, set-based
    (INSERT … SELECT over generate_series), each copy with ids and numbers of its own and the
    same days, enterprises and lives: 10 million tickets in minutes, where generating each in
    Python would take hours and hold tens of millions of events in memory."""
    started = time.monotonic()
    with connection.cursor() as cursor:

        def columns(table: str, replaced: dict[str, str]) -> tuple[str, str]:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY ordinal_position",
                [table],
            )
            names = [row[0] for row in cursor.fetchall()]
            return ", ".join(names), ", ".join(replaced.get(name, f"t.{name}") for name in names)

        # A copy's number: the year's counter plus k million (ZQ-2026-000123 → ZQ-2026-3000123).
        names, values = columns(
            "tickets_ticket",
            {
                "id": f"t.id + k * {tickets}",
                "number": "left(t.number, 8) || (substr(t.number, 9)::int + k * 1000000)::text",
                "merged_into_id": f"t.merged_into_id + k * {tickets}",
            },
        )
        cursor.execute(
            f"INSERT INTO tickets_ticket ({names}) SELECT {values} "
            f"FROM tickets_ticket t CROSS JOIN generate_series(1, %s) AS k WHERE t.id <= %s",
            [copies - 1, tickets],
        )
        log(f"  tickets copied {copies - 1} times ({time.monotonic() - started:.0f} s)")
        names, values = columns(
            "tickets_ticketevent",
            {"id": f"t.id + k * {events}", "ticket_id": f"t.ticket_id + k * {tickets}"},
        )
        cursor.execute(
            f"INSERT INTO tickets_ticketevent ({names}) SELECT {values} "
            f"FROM tickets_ticketevent t CROSS JOIN generate_series(1, %s) AS k WHERE t.id <= %s",
            [copies - 1, events],
        )
        log(f"  events copied {copies - 1} times ({time.monotonic() - started:.0f} s)")
        cursor.execute("SELECT setval('tickets_ticket_id_seq', %s)", [tickets * copies + 1])
        cursor.execute("SELECT setval('tickets_ticketevent_id_seq', %s)", [events * copies + 1])
        cursor.execute(
            "UPDATE tickets_ticketcounter SET last = last + %s", [(copies - 1) * 1_000_000]
        )
