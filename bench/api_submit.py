"""POST /api/v1/tickets/ under a real server: gunicorn in front, PostgreSQL behind.

    python -m bench api_submit [--requests 2000] [--concurrency 4] [--workers 3]

Prepares its own database (postgres://postgres@127.0.0.1:5432/qinqing_bench_api unless
DATABASE_URL says otherwise): migrates it, loads the demo master data and gives 40 enterprise
users a token. Starts gunicorn on a free local port, sends the requests from as many client
processes as --concurrency (each request from one of the enterprise users, once without and once
with an Idempotency-Key), then checks that every 201 answer's ticket is in the database, once,
and that no other ticket appeared. Prints a table; stops the server.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/qinqing_bench_api"
SETTINGS = "bench._api_settings"
USERS = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


TOKENS_SCRIPT = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
users = get_user_model().objects.filter(enterprise_member__isnull=False).order_by("username")
for user in users[:{count}]:
    print(Token.objects.get_or_create(user=user)[0].key)
"""


def _prepare(env: dict) -> list[str]:
    _manage(env, "migrate", "--no-input")
    _manage(env, "seed_demo", "--no-tickets")
    output = _manage(env, "shell", "-c", TOKENS_SCRIPT.format(count=USERS))
    tokens = [word for word in output.split() if re.fullmatch(r"[0-9a-f]{40}", word)]
    if not tokens:
        raise SystemExit("no enterprise users to submit as")
    return tokens


def _start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)
    _stop(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _client(job: tuple[str, list[str], int, int, bool]) -> list[tuple[int, float, str]]:
    """One client process: its share of the requests, one after another."""
    url, tokens, start, count, with_key = job
    session = requests.Session()
    answers = []
    for n in range(start, start + count):
        headers = {"Authorization": f"Token {tokens[n % len(tokens)]}"}
        if with_key:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        body = {
            "category": "power",
            "title": f"基准测试诉求 {n}",
            "description": "新增生产线需要扩容变压器，请协调供电公司。",
        }
        began = time.perf_counter()
        response = session.post(url, json=body, headers=headers, timeout=60)
        elapsed = time.perf_counter() - began
        number = response.json().get("number", "") if response.status_code == 201 else ""
        answers.append((response.status_code, elapsed, number))
    return answers


def _run(url: str, tokens: list[str], requests_: int, concurrency: int, with_key: bool):
    share = [
        requests_ // concurrency + (1 if i < requests_ % concurrency else 0)
        for i in range(concurrency)
    ]
    starts = [sum(share[:i]) for i in range(concurrency)]
    jobs = [(url, tokens, starts[i], share[i], with_key) for i in range(concurrency)]
    with ProcessPoolExecutor(max_workers=concurrency) as pool:
        began = time.perf_counter()
        answers = [a for chunk in pool.map(_client, jobs) for a in chunk]
        seconds = time.perf_counter() - began
    return answers, seconds


def _count_tickets(url: str, numbers: list[str]) -> tuple[int, int]:
    """Tickets in the database in all, and how many of `numbers` are there."""
    with psycopg.connect(url) as conn:
        total = conn.execute("SELECT count(*) FROM tickets_ticket").fetchone()[0]
        found = conn.execute(
            "SELECT count(*) FROM tickets_ticket WHERE number = ANY(%s)", [numbers]
        ).fetchone()[0]
    return total, found


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench api_submit")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    options = parser.parse_args(argv)

    database = os.environ.get("BENCH_API_DATABASE_URL", DEFAULT_DATABASE)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
    }
    _ensure_database(database)
    tokens = _prepare(env)
    port = _free_port()
    server = _start_server(env, port, options.workers)
    url = f"http://127.0.0.1:{port}/api/v1/tickets/"
    rows = []
    try:
        for with_key in (False, True):
            before, _found = _count_tickets(database, [])
            answers, seconds = _run(url, tokens, options.requests, options.concurrency, with_key)
            created = [number for code, _t, number in answers if code == 201]
            after, found = _count_tickets(database, created)
            latencies = sorted(t for _c, t, _n in answers)
            rows.append(
                {
                    "case": "with Idempotency-Key" if with_key else "no Idempotency-Key",
                    "requests": len(answers),
                    "seconds": seconds,
                    "rps": len(answers) / seconds,
                    "p50": statistics.median(latencies) * 1000,
                    "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
                    "201": len(created),
                    "other": len(answers) - len(created),
                    "unique": len(set(created)),
                    "in_db": found,
                    "new_rows": after - before,
                }
            )
    finally:
        _stop(server)

    print(
        f"\nPOST /api/v1/tickets/ — gunicorn {options.workers} sync workers, PostgreSQL, Redis; "
        f"{options.concurrency} client processes, {len(tokens)} enterprise users, "
        f"{os.cpu_count()} cores\n"
    )
    header = (
        f"{'case':<22} {'requests':>8} {'seconds':>8} {'req/s':>7} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'201':>6} {'other':>6} {'in DB':>6} {'new rows':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['case']:<22} {r['requests']:>8} {r['seconds']:>8.1f} {r['rps']:>7.1f} "
            f"{r['p50']:>7.1f} {r['p95']:>7.1f} {r['201']:>6} {r['other']:>6} "
            f"{r['in_db']:>6} {r['new_rows']:>8}"
        )
    accounted = all(
        r["201"] == r["requests"] == r["unique"] == r["in_db"] == r["new_rows"] for r in rows
    )
    print("\nevery submission accounted for in the database:", "yes" if accounted else "NO")
    if not accounted:
        sys.exit(1)
