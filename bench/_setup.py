"""Shared set-up for benchmarks: a database of their own, migrated, on the machine's PostgreSQL."""

from __future__ import annotations

import os
import time

import psycopg
import psycopg.sql


def create_database(url: str) -> None:
    """Create the database that `url` (postgres://…/<name>) names, unless it exists."""
    base, _, name = url.rstrip("/").rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def use_database(name: str) -> None:
    """Point Django at postgres://…/<name> (created if missing) and migrate it."""
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    create_database(f"{base}/{name}")
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


class QueryCounter:
    """Counts and times every statement run under `connection.execute_wrapper(counter)` (a
    long run makes more than Django's query log keeps)."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table, numbers right-aligned."""
    widths = [max(len(str(x)) for x in [h, *(r[i] for r in rows)]) for i, h in enumerate(headers)]

    def line(cells) -> str:
        return "| " + " | ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])
