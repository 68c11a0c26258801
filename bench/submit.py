"""Filing at speed: the web form and the API against a bare view, under production's shape.

    python -m bench submit [--seconds 8] [--concurrency 1 4 8] [--workers 2]
    make bench BENCH_ARGS="submit"

A database of its own (qinqing_bench_submit on BENCH_PG, default postgres://postgres@127.0.0.1:5432),
migrated, with the demo city's master data and accounts. Redis: REDIS_URL (default DB 5).
gunicorn with config/gunicorn.conf.py and production settings, from the environment the README
gives (bench/_submit_settings.py adds one URL: the ceiling), 2 sync workers; a Celery worker; a
local mail sink. Anything else set in the environment (CONN_MAX_AGE, …) reaches them as it would
in production; the submission budgets are lifted, the throttles still count in Redis.

For each concurrency, back to back, for --seconds each, with the ceiling measured again after
every other kind (each kind's "× ceiling" is against the mean of the ceilings just before and
just after it; a ceiling row's, against the mean of all its ceilings, which shows the drift):
- ceiling: a bare view doing one transaction of three inserts (bench/_submit_urls.py);
- web: enterprise users, logged in as a browser is, each GET the filing form (CSRF token, the
  form's one-time token) and POST it as multipart; one submission is that GET and that POST;
- web POST: the same POST alone (the CSRF token of a form read before the phase, a fresh one-time
  token each time, as the next blank form would carry): the form's own rate, as a peer's form is
  measured when its page is not counted;
- api: enterprise users POST JSON to /api/v1/tickets/ with their token.
Every answer that says a ticket was filed is checked in the database: the number is there, once,
and the new tickets equal the successes. CPU per request is the web workers' (utime + stime from
/proc, reaped workers included); lock waits are sampled every 20 ms from pg_stat_activity and
pg_locks. At the end, each web worker's resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import multiprocessing
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from . import _submit_stack as stack
from ._setup import table
from ._submit_clients import FORM_KINDS, Browser, Job, run

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "qinqing_bench_submit"
KINDS = ("ceiling", "web", "post", "api")
LABELS = {"ceiling": "ceiling", "web": "web", "post": "web POST", "api": "api"}
PREPARE = """
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from enterprises.models import Category
call_command("migrate", "--no-input", verbosity=0)
users = get_user_model().objects.filter(
    is_active=True, enterprise_member__isnull=False, enterprise_member__enterprise__is_active=True
).order_by("username")
if not users.exists():
    call_command("seed_demo", "--no-tickets", verbosity=0)
for user in users[:16]:
    print("user", user.username, Token.objects.get_or_create(user=user)[0].key)
print("category", Category.objects.get(code="power").pk)
"""


def _manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def _prepare(url: str) -> tuple[list[tuple[str, str]], str]:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": url}
    output = _manage(env, "shell", "-c", PREPARE)
    users = re.findall(r"^user (\S+) ([0-9a-f]{40})$", output, re.M)
    category = re.search(r"^category (\d+)$", output, re.M).group(1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(stack.CEILING_TABLES)
    if len(users) < 8:
        raise SystemExit("the demo city has fewer than 8 enterprise users")
    return users, category


def _counts(url: str, numbers: list[str]) -> tuple[int, int, int]:
    """Tickets in all, ceiling rows in all, and how many of `numbers` are tickets."""
    with psycopg.connect(url) as conn:
        tickets = conn.execute("SELECT count(*) FROM tickets_ticket").fetchone()[0]
        ceiling = conn.execute("SELECT count(*) FROM bench_ceiling_item").fetchone()[0]
        found = conn.execute(
            "SELECT count(DISTINCT number) FROM tickets_ticket WHERE number = ANY(%s)", [numbers]
        ).fetchone()[0]
    return tickets, ceiling, found


def _phase(kind, concurrency, seconds, *, base, users, category, cookies, url, master, sampler):
    tickets0, ceiling0, _ = _counts(url, [])
    cpu0 = stack.web_cpu_seconds(master)
    start = time.time() + 0.5
    jobs = [
        Job(
            kind=kind,
            base=base,
            user=users[i][0] if kind in FORM_KINDS else users[i][1],
            category=category if kind in FORM_KINDS else "power",
            cookies=cookies.get(users[i][0], {}),
            start=start,
            end=start + seconds,
        )
        for i in range(concurrency)
    ]
    sampler.phase()
    sampler.running.set()
    with multiprocessing.get_context("fork").Pool(concurrency) as pool:
        answers = [a for chunk in pool.map(run, jobs) for a in chunk]
    sampler.running.clear()
    elapsed = time.time() - start
    samples, waiting, waits = sampler.phase()
    cpu = stack.web_cpu_seconds(master) - cpu0
    numbers = [number for ok, _t, number in answers if ok and number]
    tickets1, ceiling1, found = _counts(url, numbers)
    ok = sum(1 for a in answers if a[0])
    new = (ceiling1 - ceiling0) if kind == "ceiling" else (tickets1 - tickets0)
    lost = ok - (new if kind == "ceiling" else min(new, found))
    latencies = sorted(t for _ok, t, _n in answers) or [0.0]
    return {
        "kind": kind,
        "concurrency": concurrency,
        "requests": len(answers),
        "errors": len(answers) - ok,
        "rate": ok / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        "cpu": cpu / max(1, len(answers)) * 1000,
        "lock": 100 * waiting / max(1, samples),
        "waits": waits,
        "new": new,
        "lost": lost,
        "extra": new - ok,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench submit")
    parser.add_argument("--seconds", type=float, default=8, help="length of each phase")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    options = parser.parse_args(argv)

    url = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432") + "/" + DATABASE
    users, category = _prepare(url)
    work = Path(tempfile.mkdtemp(prefix="qinqing-bench-submit-"))
    sink = stack.MailSink()
    port = stack.free_port()
    env = {
        **os.environ,
        # production's environment (deploy/qinqing.env.example), on this machine
        "DJANGO_SETTINGS_MODULE": "bench._submit_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "MEDIA_ROOT": str(work / "media"),
        # kept between runs: collectstatic then only compares
        "STATIC_ROOT": str(ROOT / "var/bench-static"),
        "TICKET_SUBMIT_RATE": "100000000/h",
        "TICKET_SUBMIT_IP_RATE": "100000000/h",
    }
    _manage(env, "collectstatic", "--no-input", "-v0")
    server = worker = None
    sampler = stack.LockSampler(url, DATABASE)
    sampler.start()
    rows = []
    try:
        server = stack.start_gunicorn(env, port, options.workers, work / "gunicorn.log")
        worker = stack.start_celery(env, work / "celery.log")
        base = f"http://127.0.0.1:{port}"
        cookies = {}
        for username, _token in users[: max(options.concurrency)]:
            browser = Browser(base)
            browser.log_in(username)
            cookies[username] = browser.cookies
        phase = functools.partial(
            _phase, base=base, users=users, category=category, cookies=cookies, url=url,
            master=server.pid, sampler=sampler,
        )  # fmt: skip
        for kind in KINDS:  # warm up: each worker's first requests load code
            phase(kind, 2, 1.5)
        for concurrency in options.concurrency:
            rows.extend(_interleaved(phase, concurrency, options.seconds))
        rss = stack.web_rss_mb(server.pid)
    finally:
        sampler.done.set()
        stack.stop(server)
        stack.stop(worker)
        sink.stop()
    _report(rows, rss, options)


def _interleaved(phase, concurrency: int, seconds: float) -> list[dict]:
    """The ceiling before and after each kind, and each kind's ratio to the mean of the two.

    The machine's speed drifts within a run (on a shared machine the ceiling fell by 30 %
    from one of its phases to the next); a kind compared with the ceilings measured next to it
    in time is compared under the conditions it ran in."""
    rows = [phase("ceiling", concurrency, seconds)]
    for kind in KINDS[1:]:
        row = phase(kind, concurrency, seconds)
        after = phase("ceiling", concurrency, seconds)
        row["ceiling"] = (rows[-1]["rate"] + after["rate"]) / 2
        rows += [row, after]
    mean = statistics.mean(r["rate"] for r in rows if r["kind"] == "ceiling")
    for row in rows:
        row.setdefault("ceiling", mean)
    return rows


def _report(rows: list[dict], rss: list[float], options) -> None:
    print(
        f"\nbench submit, {dt.date.today()}: gunicorn {options.workers} sync workers, production "
        f"settings (CONN_MAX_AGE={os.environ.get('CONN_MAX_AGE', 'default')}, "
        f"DATABASE_POOL={os.environ.get('DATABASE_POOL', 'default')}), PostgreSQL, Redis, "
        f"1 Celery worker; {options.seconds:g} s a phase; {os.cpu_count()} cores\n"
    )
    headers = ["conc", "what", "requests", "errors", "req/s", "× ceiling", "p50 ms", "p95 ms",
               "CPU ms/req", "lock-wait samples", "new rows", "lost"]  # fmt: skip
    print(
        table(
            headers,
            [
                [
                    r["concurrency"],
                    LABELS[r["kind"]],
                    r["requests"],
                    r["errors"],
                    f"{r['rate']:.1f}",
                    f"{r['rate'] / r['ceiling']:.2f}",
                    f"{r['p50']:.0f}",
                    f"{r['p95']:.0f}",
                    f"{r['cpu']:.1f}",
                    f"{r['lock']:.1f}%",
                    r["new"],
                    r["lost"],
                ]
                for r in rows
            ],
        )
    )
    print("\nlock waits (backend-samples: wait event, lock, statement):")
    for r in rows:
        for (event, lock, query), n in r["waits"].most_common(3):
            print(f"  {LABELS[r['kind']]} ×{r['concurrency']}: {n:4d}  {event} on {lock}: {query}")
    print("\nweb workers' resident memory after the run: " + ", ".join(f"{m:.0f} MB" for m in rss))
    lost = sum(r["lost"] for r in rows) + sum(max(0, r["extra"]) for r in rows)
    print("every submission accounted for in the database:", "yes" if lost == 0 else "NO")
    if lost:
        sys.exit(1)
