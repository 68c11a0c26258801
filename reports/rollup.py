"""Keeps the rollup (reports.models.DayFigures) current, in the transaction of every change,
without a row that concurrent changes wait for.

A ticket's contribution (the clock-free counts of reports.figures, for its day and district) is
appended to DayFiguresDelta negated before it is saved, and again as it is after: one INSERT …
SELECT each, compiled once per process, that neither reads into Python nor locks a row. Saves
that touch no counted field (a note, a supervision flag…) cost nothing. A return event (退单)
appends one to `returned` of its own day. When an enterprise moves to another district its
tickets' counts and returns move with it. Appends commute and roll back with their transaction.

`rollup_fold()` (every minute, reports.tasks) deletes the appended rows and adds them to
DayFigures; readers (reports.aggregates) add the rows not folded yet, so the figures are exact
at any moment.

Writes that bypass the model's save (`QuerySet.update`, raw SQL, the benchmark's COPY) do not
reach here: `rollup_rebuild()` recomputes everything from the tickets (`manage.py report_rollup
--rebuild`), and the nightly `reports.tasks.check_rollup` repairs any difference it finds.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from enterprises.models import Enterprise
from tickets.models import Action, Ticket, TicketEvent

from .figures import ROLLUP, STATIC, conditions
from .models import DayFigures, DayFiguresDelta

logger = logging.getLogger(__name__)

# The ticket fields the rollup's counts (and their day and district) depend on.
COUNTED_FIELDS = frozenset(
    {
        "submitted_at",
        "enterprise",
        "merged_into",
        "status",
        "outcome",
        "rating",
        "accepted_at",
        "rejected_at",
        "acceptance_due",
        "first_progress_at",
        "first_progress_due",
        "resolved_at",
        "completion_due",
        "reworked_at",
    }
)

Key = tuple[dt.date, int]


def contributions_query(tickets: QuerySet[Ticket]) -> QuerySet:
    """The clock-free counts of `tickets` grouped by (local day of submission, district)."""
    conds = conditions(timezone.now())  # the static conditions do not read the clock
    counted = Q(merged_into__isnull=True)
    return (
        tickets.annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_default_timezone()))
        .values("day", district=F("enterprise__district_id"))
        .annotate(**{code: Count("pk", filter=counted & conds[code]) for code in STATIC})
        .order_by()
    )


def contributions(tickets: QuerySet[Ticket]) -> dict[Key, dict[str, int]]:
    """The clock-free counts of `tickets` by (local day of submission, district)."""
    return {(row.pop("day"), row.pop("district")): row for row in contributions_query(tickets)}


def return_contributions(events: QuerySet[TicketEvent]) -> dict[Key, dict[str, int]]:
    """The returns among `events` by (local day of the return, district of the ticket)."""
    rows = (
        events.filter(action=Action.RETURN)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values("day", district=F("ticket__enterprise__district_id"))
        .annotate(returned=Count("pk"))
        .order_by()
    )
    return {(row["day"], row["district"]): {"returned": row["returned"]} for row in rows}


def add(key: Key, counts: dict[str, int], *, sign: int = 1) -> None:
    """Add (or subtract) `counts` to the rollup row of `key`, creating it when missing."""
    if not any(counts.values()):
        return
    q = connection.ops.quote_name
    table = q(DayFigures._meta.db_table)
    columns = ", ".join(q(code) for code in ROLLUP)
    placeholders = ", ".join(["%s"] * len(ROLLUP))
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + EXCLUDED.{q(c)}" for c in ROLLUP)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, district_id, {columns}) VALUES (%s, %s, {placeholders}) "
            f"ON CONFLICT (day, district_id) DO UPDATE SET {updates}",
            [key[0], key[1], *(sign * counts.get(code, 0) for code in ROLLUP)],
        )


def append(key: Key, counts: dict[str, int], *, sign: int = 1) -> None:
    """Append (or take back) `counts` for `key` as a delta, folded in later."""
    if not any(counts.values()):
        return
    q = connection.ops.quote_name
    columns = ", ".join(q(code) for code in ROLLUP)
    placeholders = ", ".join(["%s"] * len(ROLLUP))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(DayFiguresDelta._meta.db_table)} (day, district_id, {columns}) "
            f"VALUES (%s, %s, {placeholders})",
            [key[0], key[1], *(sign * counts.get(code, 0) for code in ROLLUP)],
        )


_SENTINEL = -7_345_678_901_234  # stands for the ticket's id in the compiled statement


@cache
def _append_ticket_sql(vendor: str, sign: int) -> tuple[str, list, int]:
    """INSERT INTO the deltas SELECT one ticket's contribution (times `sign`): compiled once per
    process and sign (building the grouped aggregate through the ORM costs milliseconds)."""
    sql, params = contributions_query(Ticket.objects.filter(pk=_SENTINEL)).query.sql_with_params()
    q = connection.ops.quote_name
    columns = ", ".join(q(code) for code in STATIC)
    counts = ", ".join(f"{sign} * c.{q(code)}" for code in STATIC)
    statement = (
        f"INSERT INTO {q(DayFiguresDelta._meta.db_table)} (day, district_id, {columns}, returned) "
        f"SELECT c.day, c.district, {counts}, 0 FROM ({sql}) c"
    )
    return statement, list(params), list(params).index(_SENTINEL)


def _append_ticket(pk: int, *, sign: int) -> None:
    statement, params, at = _append_ticket_sql(connection.vendor, sign)
    params = params.copy()
    params[at] = pk
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _apply(before: dict[Key, dict], after: dict[Key, dict]) -> None:
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, {}), after.get(key, {})
        append(key, {code: new.get(code, 0) - old.get(code, 0) for code in ROLLUP})


def _merge(*parts: dict[Key, dict]) -> dict[Key, dict[str, int]]:
    merged: dict[Key, dict[str, int]] = {}
    for part in parts:
        for key, counts in part.items():
            row = merged.setdefault(key, dict.fromkeys(ROLLUP, 0))
            for code, value in counts.items():
                row[code] += value
    return merged


# --- signal receivers (connected in reports.apps) ---------------------------------------------


def ticket_pre_save(sender, instance: Ticket, raw=False, update_fields=None, **kwargs) -> None:
    instance._rollup_skip = raw or (
        update_fields is not None and not (set(update_fields) & COUNTED_FIELDS)
    )
    if not instance._rollup_skip and instance.pk is not None and not instance._state.adding:
        _append_ticket(instance.pk, sign=-1)  # as stored, before this save


def ticket_post_save(sender, instance: Ticket, raw=False, **kwargs) -> None:
    if not getattr(instance, "_rollup_skip", False):
        _append_ticket(instance.pk, sign=1)


def ticket_pre_delete(sender, instance: Ticket, **kwargs) -> None:
    """A deleted ticket takes its counts and its returns (its events go with it) away."""
    gone = _merge(
        contributions(Ticket.objects.filter(pk=instance.pk)),
        return_contributions(TicketEvent.objects.filter(ticket_id=instance.pk)),
    )
    _apply(gone, {})


def event_post_save(sender, instance: TicketEvent, created=False, raw=False, **kwargs) -> None:
    if created and not raw and instance.action == Action.RETURN:
        _apply({}, return_contributions(TicketEvent.objects.filter(pk=instance.pk)))


def enterprise_pre_save(sender, instance: Enterprise, raw=False, update_fields=None, **kwargs):
    instance._rollup_district = None
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and "district" not in update_fields:
        return
    stored = Enterprise.objects.filter(pk=instance.pk)
    if connection.in_atomic_block:
        # Lock the enterprise (new tickets of it wait: their insert needs a key-share lock on
        # it) and its tickets (transitions under way finish first), so that no ticket's counts
        # are read in one district and written in the other while it moves.
        stored = stored.select_for_update()
    instance._rollup_district = stored.values_list("district_id", flat=True).first()
    if connection.in_atomic_block and instance._rollup_district != instance.district_id:
        list(
            Ticket.objects.select_for_update()
            .filter(enterprise_id=instance.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def enterprise_post_save(sender, instance: Enterprise, **kwargs) -> None:
    """An enterprise moved to another district: move its tickets' counts along."""
    old = getattr(instance, "_rollup_district", None)
    if old is None or old == instance.district_id:
        return
    moved = _merge(
        contributions(Ticket.objects.filter(enterprise_id=instance.pk)),
        return_contributions(TicketEvent.objects.filter(ticket__enterprise_id=instance.pk)),
    )
    for (day, district), counts in sorted(moved.items()):
        append((day, old), counts, sign=-1)
        append((day, district), counts)


# --- rebuilding and checking -----------------------------------------------------------------


def _computed() -> dict[Key, dict[str, int]]:
    computed = _merge(
        contributions(Ticket.objects.all()), return_contributions(TicketEvent.objects.all())
    )
    return {key: counts for key, counts in computed.items() if any(counts.values())}


def _stored() -> dict[Key, dict[str, int]]:
    stored = _merge(
        *(
            {(row.pop("day"), row.pop("district_id")): row}
            for model in (DayFigures, DayFiguresDelta)
            for row in model.objects.values("day", "district_id", *ROLLUP)
        )
    )
    return {key: counts for key, counts in stored.items() if any(counts.values())}


@transaction.atomic
def rollup_fold() -> int:
    """Add the appended deltas to DayFigures and delete them; answer how many were folded.

    DELETE … RETURNING takes exactly the rows it removes: a delta committed meanwhile stays for
    the next fold, and two folds at once never add one row twice."""
    q = connection.ops.quote_name
    columns = ", ".join(q(code) for code in ROLLUP)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {q(DayFiguresDelta._meta.db_table)} RETURNING day, district_id, {columns}"
        )
        rows = cursor.fetchall()
    folded: dict[Key, dict[str, int]] = {}
    for day, district, *counts in rows:
        row = folded.setdefault((_as_date(day), district), dict.fromkeys(ROLLUP, 0))
        for code, value in zip(ROLLUP, counts, strict=True):
            row[code] += value
    for key in sorted(folded):  # one order: two folds at once cannot deadlock
        add(key, folded[key])
    return len(rows)


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text


@transaction.atomic
def rollup_rebuild() -> int:
    """Recompute the whole rollup from the tickets; answer the number of rows.

    The rollup's tables are locked against writes first, so a transition running meanwhile
    either committed before (and is counted by the recomputation) or appends its own difference
    after it.
    """
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(DayFigures._meta.db_table)
        deltas = connection.ops.quote_name(DayFiguresDelta._meta.db_table)
        cursor.execute(f"LOCK TABLE {table}, {deltas} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {deltas}")
        cursor.execute(f"DELETE FROM {table}")
    rows = [
        DayFigures(day=day, district_id=district, **counts)
        for (day, district), counts in _computed().items()
    ]
    DayFigures.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rollup_differences() -> list[tuple[Key, dict, dict]]:
    """Rows where the rollup differs from the tickets: (key, stored, computed)."""
    stored, computed = _stored(), _computed()
    return [
        (key, stored.get(key, {}), computed.get(key, {}))
        for key in sorted(set(stored) | set(computed))
        if stored.get(key) != computed.get(key)
    ]


def rollup_repair() -> int:
    """Rebuild the rollup when it differs from the tickets; answer the rows that differed."""
    differences = rollup_differences()
    if differences:
        logger.warning(
            "The reports rollup differed from the tickets on %d day(s) (first: %s); rebuilt. "
            "Something changed tickets without saving them through the model.",
            len(differences),
            differences[0][0],
        )
        rollup_rebuild()
    return len(differences)
