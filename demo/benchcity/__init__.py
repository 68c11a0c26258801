"""A city for the benchmarks: master data and N tickets with their events over two years.

Tickets are generated in Python with realistic spreads (districts and enterprises unevenly busy,
weekdays busier than weekends, most old tickets closed and most open ones recent, a few
rejected, merged, returned, extended, late or badly rated: lives.py) and written with
PostgreSQL's COPY (psycopg 3; loading.py), the secondary indexes dropped during the load and
rebuilt after it, and foreign-key triggers skipped (`session_replication_role = replica`)
because every id is generated here. Deadlines come from the real working-day calendar, looked up
once per day.

Past GENERATED_AT_MOST tickets, that many are generated and then copied set-based in the
database (`loading.multiply`: INSERT … SELECT over generate_series) until there are N: each copy
has its own ids and numbers and the same days, enterprises and lives as its original, so a week
holds N / GENERATED_AT_MOST times as many tickets. The copies sit after the originals in the
table rather than among the tickets of their day: reads of one week touch more pages than in a
table filled day by day (a pessimistic layout).

This is for the benchmark database only: it empties the tickets and master data first.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from reports.models import CampaignSettings
from reports.rollup import rollup_rebuild

from .lives import DAYS
from .loading import load_tickets, multiply
from .master_data import DISTRICT_LEADER_USERNAME, OFFICE_USERNAME, bench_master_data

__all__ = ["DISTRICT_LEADER_USERNAME", "OFFICE_USERNAME", "Seeded", "seed"]

BENCH_TABLES = [
    "tickets_ticketevent", "tickets_attachment", "tickets_ticket_supporting_departments",
    "tickets_ticket", "tickets_ticketcounter", "notifications_delivery",
    "notifications_notification", "notifications_preference", "reports_bulletin",
    "enterprises_coverage", "enterprises_enterprisemember", "enterprises_official",
    "enterprises_enterprise", "enterprises_industrychain", "enterprises_department",
    "enterprises_district", "django_admin_log", "auth_user_groups", "auth_user",
    "reports_dayfigures",
]  # fmt: skip
LOADED_TABLES = ["tickets_ticket", "tickets_ticketevent"]
# Generated one by one in Python at most this many; past it, copied in the database.
GENERATED_AT_MOST = 1_000_000


@dataclass
class Seeded:
    tickets: int
    events: int
    enterprises: int
    seconds: float


def seed(
    *,
    tickets: int,
    enterprises: int | None = None,
    seed: int = 2026,
    now: dt.datetime | None = None,
    log: Callable[[str], None] = print,
) -> Seeded:
    """Empty the bench tables and fill them with `tickets` tickets and their events (rounded
    down to a multiple of the number of copies past GENERATED_AT_MOST)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_bench writes with PostgreSQL's COPY; use a PostgreSQL database.")
    started = time.monotonic()
    copies = -(-tickets // GENERATED_AT_MOST)  # ceiling
    generated = tickets // copies
    rng = random.Random(seed)
    now = now or timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(BENCH_TABLES)} RESTART IDENTITY CASCADE")
        world = bench_master_data(rng, tickets, enterprises)
        log(f"master data: {len(world['enterprises'])} enterprises, {world['officials']} officials")
        dropped = _drop_indexes()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        counts = load_tickets(rng, world, generated, now, log)
        if copies > 1:
            multiply(copies, generated, counts, log)
        CampaignSettings.objects.update_or_create(
            pk=1, defaults={"campaign_start": timezone.localdate(now) - dt.timedelta(days=DAYS)}
        )
        log("rebuilding indexes …")
        with connection.cursor() as cursor:
            for statement in dropped:
                cursor.execute(statement)
            cursor.execute("SET LOCAL session_replication_role = origin")
    log(f"rollup: {rollup_rebuild()} rows")
    log("analyze …")
    with connection.cursor() as cursor:
        for table in BENCH_TABLES:
            cursor.execute(f"ANALYZE {table}")
    return Seeded(
        tickets=generated * copies,
        events=counts * copies,
        enterprises=len(world["enterprises"]),
        seconds=time.monotonic() - started,
    )


def _drop_indexes() -> list[str]:
    """Drop the secondary indexes of the loaded tables; answer the statements that rebuild them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[])
              AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [LOADED_TABLES],
        )
        rows = cursor.fetchall()
        for name, _definition in rows:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]
