"""Pages, search and the deadline job at province scale: `python -m bench scale`.

`make bench BENCH_ARGS="scale [--sizes 10000:2500,1000000:100000]"` fills its own database
(`qinqing_scale_perf`, dropped at the end unless `--keep`) with `seed_bench` for each size
(tickets:enterprises; COPY, see demo/benchcity/), then times as the office, on a warm database,
the median of several full requests through the test client:

- the queue (first page, and filtered by one enterprise), a ticket's page, the enterprise list
  and the enterprise picker's search (enterprises.pickers);
- the queue's search (tickets.search) by part of a ticket number, part of a USCC, an
  enterprise's name, a word of the titles, a two-character word and a word nobody wrote;

and last, with 10% of the tickets made open (deadlines spread from 30 days ago to 60 days
ahead), the deadline job (tickets.deadlines.check_deadlines) twice at the same moment: its
first run takes every due warning and the first escalation step of every overdue ticket, the
second and third the next steps of those overdue for long enough (one step per ticket per run),
the fourth finds nothing new: what every ten minutes of a quiet day costs.

Each row shows the time at the largest size next to the smallest (the baseline, measured in
the same run) and their ratio, which is what says whether a page stays flat; and the number
of queries, which must not grow with the data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

DATABASE = "qinqing_scale_perf"
PAGE_TARGET_MS = 100
SEARCH_TARGET_MS = 200


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench scale")
    parser.add_argument(
        "--sizes",
        default="10000:2500,1000000:100000",
        help="tickets:enterprises for each size; the first is the baseline.",
    )
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs of each (median).")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument(
        "--no-seed", action="store_true", help="Measure the database as it is (one size)."
    )
    parser.add_argument(
        "--only", default="", help="Only the measures whose name contains this (e.g. deadline)."
    )
    args = parser.parse_args(argv)
    from bench._setup import use_database

    use_database(DATABASE)
    results: dict[str, dict[int, tuple[float, int, float]]] = {}
    sizes = (
        [None]
        if args.no_seed
        else [tuple(int(n) for n in size.split(":")) for size in args.sizes.split(",")]
    )
    labels: list[tuple[str, int | None]] = []
    counted: list[int] = []
    from bench.reports import _machine

    machine = _machine()
    try:
        for size in sizes:
            if size is not None:
                from demo.benchcity import seed

                started = time.monotonic()
                seeded = seed(tickets=size[0], enterprises=size[1], log=lambda line: None)
                print(
                    f"seeded {seeded.tickets:,} tickets, {seeded.events:,} events, "
                    f"{seeded.enterprises:,} enterprises in {time.monotonic() - started:.0f} s",
                    flush=True,
                )
            tickets = _count_tickets()
            counted.append(tickets)
            for label, target, (median, queries, sql) in measure(
                repeat=args.repeat, only=args.only
            ):
                results.setdefault(label, {})[tickets] = (median, queries, sql)
                if (label, target) not in labels:
                    labels.append((label, target))
                print(
                    f"  {tickets:,}: {label}: {median:.0f} ms ({sql:.0f} in SQL), "
                    f"{queries} queries",
                    flush=True,
                )
    finally:
        if not args.keep:
            _drop_database()
    print_table(labels, results, counted, argv, machine)


def _count_tickets() -> int:
    from tickets.models import Ticket

    return Ticket.objects.count()


def measure(*, repeat: int, only: str = "") -> list[tuple[str, int | None, tuple[float, int]]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from demo.benchcity import OFFICE_USERNAME
    from enterprises.models import Enterprise
    from tickets.models import Ticket

    client = Client()
    client.force_login(get_user_model().objects.get(username=OFFICE_USERNAME))
    # A busy enterprise (the seed makes the first ones busiest) and a ticket of it.
    enterprise = Enterprise.objects.order_by("pk")[5]
    ticket = Ticket.objects.filter(enterprise=enterprise).order_by("-pk").first()
    number_part = ticket.number[-6:]

    def get(url: str, **query) -> Callable[[], None]:
        def run() -> None:
            response = client.get(url, query)
            assert response.status_code == 200, (url, response.status_code)

        return run

    cases: list[tuple[str, int | None, Callable[[], None]]] = [
        ("queue, first page", PAGE_TARGET_MS, get("/tickets/")),
        ("queue, one enterprise", PAGE_TARGET_MS, get("/tickets/", enterprise=enterprise.pk)),
        ("ticket page", PAGE_TARGET_MS, get(ticket.get_absolute_url())),
        ("enterprise list", PAGE_TARGET_MS, get("/enterprises/")),
        ("enterprise picker, a name", PAGE_TARGET_MS, get("/enterprises/pick/enterprises/", q="企业00012")),
        ("search: part of a number", SEARCH_TARGET_MS, get("/tickets/", search=number_part)),
        ("search: part of a USCC", SEARCH_TARGET_MS, get("/tickets/", search=enterprise.uscc[-9:])),
        ("search: an enterprise's name", SEARCH_TARGET_MS, get("/tickets/", search=enterprise.name)),
        ("search: a word of titles (变压器)", SEARCH_TARGET_MS, get("/tickets/", search="变压器")),
        ("search: a two-character word (用电)", SEARCH_TARGET_MS, get("/tickets/", search="用电")),
        ("search: a word nobody wrote (氢能源)", SEARCH_TARGET_MS, get("/tickets/", search="氢能源")),
        ("API list, search by number", SEARCH_TARGET_MS, get("/api/v1/tickets/", search=number_part)),
    ]  # fmt: skip
    rows = [
        (label, target, timed(run, repeat=repeat)) for label, target, run in cases if only in label
    ]
    if only in "deadline job":
        rows.extend(measure_deadline_job())
    return rows


def timed(run: Callable[[], object], *, repeat: int) -> tuple[float, int, float]:
    """Median milliseconds of the whole run, its number of queries, and the median
    milliseconds spent waiting for the database (the part that could grow with the data)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm up: caches, prepared plans, pages in memory
    times, sql = [], []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return statistics.median(times), queries, statistics.median(sql)


def measure_deadline_job() -> list[tuple[str, int | None, tuple[float, int]]]:
    from django.db import connection
    from django.utils import timezone

    from bench._setup import QueryCounter
    from tickets.deadlines import check_deadlines

    now = timezone.now()
    with connection.cursor() as cursor:
        # One ticket in ten open, in progress, its completion deadline spread over 90 days
        # around now; every other ticket that was open is closed.
        cursor.execute(
            """
            UPDATE tickets_ticket SET
              status = CASE WHEN id %% 10 = 0 THEN 'in_progress' ELSE 'closed' END,
              outcome = '', resolved_at = NULL, rated_at = NULL, rating = '',
              closed_at = CASE WHEN id %% 10 = 0 THEN NULL ELSE %(now)s END,
              completion_due = %(now)s + ((id / 10) %% 90 - 30) * interval '1 day',
              first_progress_at = COALESCE(first_progress_at, submitted_at),
              follow_up_due = NULL, supervised = false, merged_into_id = NULL
            WHERE id %% 10 = 0 OR status IN ('submitted', 'accepted', 'in_progress', 'reopened')
            """,
            {"now": now},
        )
        cursor.execute("TRUNCATE notifications_sentonce")
        cursor.execute("ANALYZE tickets_ticket")
    rows = []
    for label in (
        "deadline job, first run (10% open)",
        "deadline job, second run (next steps)",
        "deadline job, third run (last steps)",
        "deadline job, fourth run (nothing new)",
    ):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            done = check_deadlines(now=now)
            elapsed = (time.perf_counter() - started) * 1000
        print(f"    {label}: {dict(done)}", flush=True)
        rows.append((label, None, (elapsed, counter.count, counter.seconds * 1000)))
    return rows


def _drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    print(f"dropped {DATABASE}")


def print_table(labels, results, counted: list[int], argv: list[str], machine: str) -> None:
    base, top = counted[0], counted[-1]
    command = "python -m bench scale" + (" " + " ".join(argv) if argv else "")
    print()
    print(f"{command}  ({dt.date.today().isoformat()}, {machine})")
    print()
    print(
        f"| measure | {base:,} tickets ms | {top:,} tickets ms | ratio "
        f"| SQL ms at {base:,} | SQL ms at {top:,} | queries | target | met |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    for label, target in labels:
        low, high = results[label].get(base), results[label].get(top)
        if low is None or high is None:
            continue
        ratio = high[0] / low[0] if low[0] else float("nan")
        queries = f"{low[1]}" if low[1] == high[1] else f"{low[1]} → {high[1]}"
        met = "—" if target is None else ("yes" if high[0] < target else "**no**")
        goal = "—" if target is None else f"< {target}"
        print(
            f"| {label} | {low[0]:,.0f} | {high[0]:,.0f} | {ratio:.2f}× | {low[2]:,.0f} "
            f"| {high[2]:,.0f} | {queries} | {goal} | {met} |"
        )
