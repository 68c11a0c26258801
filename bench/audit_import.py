"""What the audit records cost an import of enterprises.

    python -m bench audit_import [--rows 1000] [--repeat 3]

In a database of its own (qinqing_bench_audit), imports ROWS new enterprises with their coverage
(a primary leader and a liaison each) from a spreadsheet, then the same file changed (every
enterprise moved to another district, its liaison made its primary leader and the leader
dropped), each run in a transaction that is rolled back, so that every run starts from the same
database. Each import runs as it is, audited (one record per enterprise and per coverage,
written a few hundred to an INSERT), and with the audit switched off (records neither prepared
nor written), in alternation; the table shows the medians, their ratio and the queries of each.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import time
from contextlib import ExitStack
from unittest import mock

from ._setup import QueryCounter, table, use_database


def uscc(n: int) -> str:
    from stdnum.cn import uscc as stdnum_uscc

    body = f"91220101{900000 + n:09d}"
    return body + stdnum_uscc.calc_check_digit(body)


def spreadsheet(rows: int, *, moved: bool) -> bytes:
    district, primary, liaisons = (
        ("bench-b", "bench-2", "") if moved else ("bench-a", "bench-1", "bench-2")
    )
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["uscc", "name", "district", "revenue_tier", "primary_official", "liaisons"])
    for n in range(rows):
        writer.writerow([uscc(n), f"基准企业{n}", district, "c", primary, liaisons])
    return text.getvalue().encode()


def master_data() -> None:
    from django.contrib.auth import get_user_model

    from enterprises.models import District, Official

    for code, name in [("bench-a", "基准甲区"), ("bench-b", "基准乙区")]:
        District.objects.get_or_create(code=code, defaults={"name": name})
    for username in ["bench-1", "bench-2"]:
        user, _created = get_user_model().objects.get_or_create(username=username)
        Official.objects.get_or_create(user=user, defaults={"name": username})


class Rollback(Exception):
    pass


def run(rows: int, *, audited: bool) -> list[tuple[float, int]]:
    """(seconds, queries) of the first import and of the changed one."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from exchange import imports, services

    office = get_user_model().objects.get(username="bench-1")
    measured = []
    with ExitStack() as off:
        if not audited:
            off.enter_context(mock.patch.object(services, "audit_prepare", lambda **kw: None))
            off.enter_context(mock.patch.object(services, "audit_state", lambda obj: None))
            off.enter_context(mock.patch.object(services, "audit_record_many", lambda r: []))
        try:
            with transaction.atomic():
                for moved in (False, True):
                    content = spreadsheet(rows, moved=moved)
                    plan = imports.enterprise_import_plan(content=content, filename="bench.csv")
                    assert not plan.errors, plan.errors[:3]
                    counter = QueryCounter()
                    with connection.execute_wrapper(counter):
                        start = time.perf_counter()
                        services.enterprise_import(actor=office, plan=plan)
                        measured.append((time.perf_counter() - start, counter.count))
                raise Rollback
        except Rollback:
            pass
    return measured


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench audit_import")
    parser.add_argument("--rows", type=int, default=1000, help="Enterprises in the file.")
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each (median).")
    args = parser.parse_args(argv)
    use_database("qinqing_bench_audit")
    from django.db import connection

    master_data()
    print(f"database: {connection.settings_dict['NAME']}, {args.rows} rows, {args.repeat} runs")
    times: dict[bool, list[list[float]]] = {True: [[], []], False: [[], []]}
    queries: dict[bool, list[int]] = {}
    for _ in range(args.repeat):
        for audited in (False, True):
            result = run(args.rows, audited=audited)
            for i, (seconds, _count) in enumerate(result):
                times[audited][i].append(seconds)
            queries[audited] = [count for _seconds, count in result]
    headers = ["import", "audit off ms", "audited ms", "ratio", "queries off", "queries audited"]
    lines = []
    for i, name in enumerate(["new enterprises", "the same, changed"]):
        off = statistics.median(times[False][i]) * 1000
        on = statistics.median(times[True][i]) * 1000
        lines.append(
            [
                name,
                f"{off:.0f}",
                f"{on:.0f}",
                f"{on / off:.2f}",
                queries[False][i],
                queries[True][i],
            ]
        )
    print(table(headers, lines))
