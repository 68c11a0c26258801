"""Ticket numbers: `ZQ-<year>-<6 digits>` (7 past a year's 999,999th), unique and never given out twice; gaps are allowed
(a submission that fails after taking its number leaves one).

On PostgreSQL each year has a sequence, `tickets_number_<year>`: `nextval` takes no lock that
another submission waits for (a counter row updated in place would be held until COMMIT and
queue every submission behind the one before it). The sequence is made by the year's first
submission, starting after the year's TicketCounter (the numbers given out before sequences, or
loaded by `seed_bench`, which drops the sequences it makes stale). Elsewhere (SQLite, `make
run`) the counter row is updated: that database has one writer at a time anyway.
"""

from __future__ import annotations

from django.db import DatabaseError, IntegrityError, connection, transaction

from .models import TicketCounter


def next_number(year: int) -> str:
    """The next number of `year`, taken at once; call it inside the submission's transaction."""
    last = _from_sequence(year) if connection.vendor == "postgresql" else _from_counter(year)
    return f"ZQ-{year}-{last:06d}"


def sequence_name(year: int) -> str:
    return f"tickets_number_{int(year)}"


def _from_sequence(year: int) -> int:
    for _attempt in range(2):
        with connection.cursor() as cursor:
            # nextval(NULL) is NULL: one statement both takes the number and says whether the
            # year's sequence is there yet.
            cursor.execute("SELECT nextval(to_regclass(%s))", [sequence_name(year)])
            value = cursor.fetchone()[0]
        if value is not None:
            return value
        _create_sequence(year)
    raise RuntimeError("could not number the ticket")  # pragma: no cover


def _create_sequence(year: int) -> None:
    counted = TicketCounter.objects.filter(year=year).values_list("last", flat=True).first()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE SEQUENCE IF NOT EXISTS {sequence_name(year)} START WITH {(counted or 0) + 1}"
            )
    except (IntegrityError, DatabaseError):
        pass  # another submission made it at the same moment: take the number from it


def _from_counter(year: int) -> int:
    table = TicketCounter._meta.db_table
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year]
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        try:
            with transaction.atomic():
                TicketCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another submission created the year's counter first
    raise RuntimeError("could not number the ticket")  # pragma: no cover
