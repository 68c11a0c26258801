"""Reports at scale: `make bench BENCH_ARGS="reports [--sizes 10000,100000,1000000]"`.

For each size, fills the benchmark database with `seed_bench` (tickets over two years, see
demo/benchcity/), then times, as the office and on a warm database, the median of several
runs of:

- the weekly bulletin with every breakdown (what Monday's job computes for the city: the
  week's and the cumulative figures, seven breakdowns, the ranking, the overdue and supervised
  lists);
- the dashboard page (a full request through the test client: middleware, templates);
- the queue page, as the office opens it (every ticket, newest first, first page);
- the cumulative totals;
- for comparison, not a target: a cumulative breakdown by covering official, which cannot use
  the rollup and reads every ticket of the campaign.

It prints one table with the number of queries of each; the target is under 300 ms at 1M tickets
with a number of queries that does not depend on the number of tickets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

TARGET_MS = 300


def main(argv: list[str]) -> None:
    import os

    import django

    from ._setup import create_database

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        create_database(url)  # `make bench` names qinqing_bench
    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench reports")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="Ticket counts.")
    parser.add_argument("--repeat", type=int, default=7, help="Timed runs of each (median).")
    parser.add_argument(
        "--no-seed", action="store_true", help="Measure the database as it is (one size)."
    )
    args = parser.parse_args(argv)

    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    rows = []
    sizes = [None] if args.no_seed else [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        if size is not None:
            from demo.benchcity import seed

            started = time.monotonic()
            seed(tickets=size, log=lambda line: None)
            print(f"seeded {size:,} tickets in {time.monotonic() - started:.0f} s")
        rows.extend(measure(size, repeat=args.repeat))
    print_table(rows, argv)


def measure(size: int | None, *, repeat: int) -> list[tuple]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from demo.benchcity import OFFICE_USERNAME
    from enterprises.selectors import ReportScope
    from reports import aggregates
    from reports.bulletins import bulletin_data
    from reports.periods import last_week
    from reports.selectors import cumulative
    from tickets.models import Ticket

    size = size or Ticket.objects.count()
    city = ReportScope(None)
    week = last_week()
    client = Client()
    client.force_login(get_user_model().objects.get(username=OFFICE_USERNAME))
    dashboard_url = reverse("reports:dashboard")
    queue_url = reverse("tickets:queue")

    def dashboard() -> None:
        response = client.get(dashboard_url)
        assert response.status_code == 200, response.status_code

    def queue() -> None:
        response = client.get(queue_url)
        assert response.status_code == 200, response.status_code

    cases: list[tuple[str, Callable[[], object], bool]] = [
        ("weekly bulletin, every breakdown", lambda: bulletin_data(period=week, scope=city), True),
        ("dashboard page", dashboard, True),
        ("queue page (office, first page)", queue, True),
        (
            "cumulative totals",
            lambda: aggregates.totals(period=cumulative(week.end), scope=city),
            True,
        ),
        (
            "cumulative by covering official (live; no target)",
            lambda: aggregates.breakdown(
                period=cumulative(week.end), scope=city, dimension="official"
            ),
            False,
        ),
    ]
    rows = []
    for label, run, target in cases:
        times, queries = timed(run, repeat=repeat if target else max(1, repeat // 3))
        rows.append((size, label, statistics.median(times), max(times), queries, target))
    return rows


def timed(run: Callable[[], object], *, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm up: caches, prepared plans, pages in memory
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return times, queries


def print_table(rows: list[tuple], argv: list[str]) -> None:
    command = 'make bench BENCH_ARGS="reports' + (" " + " ".join(argv) if argv else "") + '"'
    print()
    print(f"{command}  ({dt.date.today().isoformat()}, {_machine()})")
    print()
    print("| tickets | measure | median ms | max ms | queries | under 300 ms |")
    print("| ---: | --- | ---: | ---: | ---: | :---: |")
    for size, label, median, slowest, queries, target in rows:
        verdict = ("yes" if median < TARGET_MS else "**no**") if target else "—"
        print(f"| {size:,} | {label} | {median:.0f} | {slowest:.0f} | {queries} | {verdict} |")


def _machine() -> str:
    import os
    import platform

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"{os.cpu_count()} cores, PostgreSQL {version}, Python {platform.python_version()}"
