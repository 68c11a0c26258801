"""Putting a holiday notice into the calendar: preview what it changes, then apply it in one step.

The calendar is the lowest room of the house: it does not know what has deadlines. The apps that
keep deadlines counted in working days register a `DeadlineSource` (tickets do, in their
AppConfig.ready); the preview asks each which of its deadlines the new calendar moves, and the
apply writes those moves with the calendar's days, in one transaction.

A deadline keeps the working days it had left: one due on the k-th working day after today under
the old calendar is due on the k-th working day after today under the new one, at the same time
of day. Deadlines due before the first day the notice changes cannot move, so only the rest are
read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models, transaction
from django.utils import timezone

from audit.models import Action
from audit.services import audit_prepare, audit_record_many
from audit.state import audit_state

from .calendar import WorkCalendar
from .models import CalendarDay
from .notice import Notice


@dataclass(frozen=True)
class DayChange:
    date: dt.date
    before: bool  # a working day before the notice (the office's entry, the package or Mon–Fri)
    after: bool


@dataclass(frozen=True)
class Move:
    """One deadline the notice moves: `field` of the `model` row `pk`, shown as `label`."""

    model: type[models.Model]
    pk: int
    field: str
    label: str
    what: str
    before: dt.datetime
    after: dt.datetime

    @property
    def days_later(self) -> int:
        """How far it moves, in calendar days (negative when earlier)."""
        return (timezone.localtime(self.after).date() - timezone.localtime(self.before).date()).days


@dataclass(frozen=True)
class Preview:
    notice: Notice
    days: list[DayChange]  # the days whose status changes
    unchanged: int  # the notice's days the calendar already had right
    moves: list[Move]

    @property
    def changes_anything(self) -> bool:
        return bool(self.days or self.moves)


class Rescheduler:
    """Maps an old deadline to the new one; many deadlines share a date, so each is worked once."""

    def __init__(self, old: WorkCalendar, new: WorkCalendar, today: dt.date) -> None:
        self.old, self.new, self.today = old, new, today
        self._dates: dict[dt.date, dt.date] = {}

    def __call__(self, due: dt.datetime) -> dt.datetime:
        local = timezone.localtime(due)
        if local.date() <= self.today:
            return due
        if local.date() not in self._dates:
            left = self.old.working_days_between(self.today, local.date())
            start = timezone.make_aware(dt.datetime.combine(self.today, dt.time(12)))
            self._dates[local.date()] = timezone.localtime(
                self.new.add_working_days(start, left)
            ).date()
        moved = self._dates[local.date()]
        return (
            due
            if moved == local.date()
            else timezone.make_aware(dt.datetime.combine(moved, local.time()))
        )


# A source yields the moves of its deadlines due on or after `since` (the first changed day).
DeadlineSource = Callable[[Rescheduler, dt.date], Iterable[Move]]
_sources: list[DeadlineSource] = []


def register_deadlines(source: DeadlineSource) -> None:
    """Called once by each app that keeps deadlines in working days (from its AppConfig.ready)."""
    if source not in _sources:
        _sources.append(source)


def notice_preview(notice: Notice, *, today: dt.date | None = None) -> Preview:
    """What applying `notice` would change, without changing anything."""
    today = today or timezone.localdate()
    old = WorkCalendar.load()
    new = WorkCalendar({**old.overrides, **notice.days()})
    fixed = notice.days()
    days = [DayChange(d, old.is_working_day(d), w) for d, w in sorted(fixed.items())]
    changed = [d for d in days if d.before != d.after]
    moves: list[Move] = []
    if changed:
        reschedule = Rescheduler(old, new, today)
        since = max(changed[0].date, today + dt.timedelta(days=1))
        for source in _sources:
            moves += source(reschedule, since)
    moves.sort(key=lambda m: (m.before, m.label, m.field))
    return Preview(notice, changed, len(days) - len(changed), moves)


def notice_apply(
    notice: Notice, *, actor: AbstractBaseUser | None, today: dt.date | None = None
) -> Preview:
    """Write the notice's days into the calendar and move the deadlines it moves, in one
    transaction with an audit record for each day entered or corrected. A notice applied a second
    time finds nothing to change and writes nothing."""
    with transaction.atomic():
        # One import at a time: the preview below is the calendar that the writes start from.
        _lock_the_calendar()
        preview = notice_preview(notice, today=today)
        entered = {d.date: d for d in CalendarDay.objects.filter(date__in=notice.days())}
        records = []
        note = f"{notice.year}年节假日安排"
        for day, working in notice.days().items():
            row = entered.get(day)
            if row is None:
                row = CalendarDay.objects.create(date=day, is_working=working, note=note)
                records.append(audit_prepare(actor=actor, action=Action.CREATED, obj=row))
            elif row.is_working != working:
                before = audit_state(row)
                row.is_working, row.note = working, note
                row.save(update_fields=["is_working", "note"])
                records.append(
                    audit_prepare(actor=actor, action=Action.CHANGED, obj=row, before=before)
                )
        audit_record_many(records)
        _write(preview.moves)
    return preview


# The key of the transaction-level advisory lock that serialises imports: any constant that no
# other lock of this database uses (bigint; these are the digits of "calendar" in ASCII).
CALENDAR_LOCK = 0x63616C656E646172


def _lock_the_calendar() -> None:
    """Wait for any other import to commit. Locking the year's rows would lock nothing while the
    year has none (the first notice of a year), and two imports would then both insert its days.
    SQLite (`make run`) has one writer at a time already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CALENDAR_LOCK])


def _write(moves: list[Move]) -> None:
    """One UPDATE per row: a row's deadlines move together."""
    rows: dict[tuple[type[models.Model], int], dict[str, dt.datetime]] = defaultdict(dict)
    for move in moves:
        rows[move.model, move.pk][move.field] = move.after
    for (model, pk), values in rows.items():
        model._default_manager.filter(pk=pk).update(**values)
