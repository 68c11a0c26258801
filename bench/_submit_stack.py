"""The moving parts of bench/submit.py: gunicorn and a Celery worker with production settings, a
mail sink, what /proc says of the web workers, and a sampler of PostgreSQL's lock waits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")

# The three tables the ceiling writes, written by the ceiling view (bench/_submit_urls.py).
CEILING_TABLES = """
CREATE TABLE IF NOT EXISTS bench_ceiling_item (
    id bigserial PRIMARY KEY, title varchar(200) NOT NULL, body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS bench_ceiling_event (
    id bigserial PRIMARY KEY, item_id bigint NOT NULL REFERENCES bench_ceiling_item(id),
    kind varchar(20) NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS bench_ceiling_note (
    id bigserial PRIMARY KEY, event_id bigint NOT NULL REFERENCES bench_ceiling_event(id),
    text varchar(200) NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen | None) -> None:
    """Stop a process started here (in its own session) and whatever it started."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    """gunicorn as production runs it (config/gunicorn.conf.py), on a spare port."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=open(log, "ab"),  # noqa: SIM115
    )  # fmt: skip
    try:
        _wait_for(server, port, workers, log)
    except BaseException:
        stop(server)  # never leave a server behind
        raise
    return server


def _wait_for(server: subprocess.Popen, port: int, workers: int, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            answer = requests.get(
                f"http://127.0.0.1:{port}/healthz",
                headers={"X-Forwarded-Proto": "https"},
                timeout=5,
            )
            if answer.status_code == 200 and len(worker_pids(server.pid)) >= workers:
                return
        except requests.RequestException:
            pass  # not listening yet, or its workers still booting
        if server.poll() is not None:
            raise SystemExit(f"gunicorn did not start; see {log}")
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within 90 s; see {log}")


def start_celery(env: dict, log: Path) -> subprocess.Popen:
    """One Celery worker (one process), which sends the submissions' notifications."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--loglevel", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=open(log, "ab"),
    )  # fmt: skip


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def web_cpu_seconds(master: int) -> float:
    """CPU time of the web workers so far: the live ones', and that of the ones the master has
    reaped (max_requests replaces workers during a run)."""
    fields = _stat(master)
    total = int(fields[13]) + int(fields[14])  # cutime, cstime: reaped children
    for pid in worker_pids(master):
        try:
            worker = _stat(pid)
        except OSError:
            continue  # replaced meanwhile: the master's cutime has it
        total += int(worker[11]) + int(worker[12])  # utime, stime
    return total / TICK


def web_rss_mb(master: int) -> list[float]:
    """Resident memory of each web worker, in MB."""
    sizes = []
    for pid in worker_pids(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        sizes.append(kb / 1024)
    return sizes


class LockSampler(threading.Thread):
    """Every `interval` seconds, the benchmark database's backends that wait on a lock (from
    pg_stat_activity, with the lock they want from pg_locks and the statement they run)."""

    QUERY = """
        SELECT a.wait_event, coalesce(l.relation::regclass::text, l.locktype, ''),
               left(regexp_replace(a.query, '\\s+', ' ', 'g'), 60)
        FROM pg_stat_activity a
        LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
        WHERE a.datname = %s AND a.pid <> pg_backend_pid() AND a.state = 'active'
              AND a.wait_event_type = 'Lock'
    """

    def __init__(self, url: str, database: str, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.url, self.database, self.interval = url, database, interval
        self.running = threading.Event()
        self.done = threading.Event()
        self.samples = 0
        self.waiting_samples = 0  # samples with at least one backend waiting on a lock
        self.waits: Counter[tuple[str, str, str]] = Counter()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.done.is_set():
                if self.running.is_set():
                    rows = conn.execute(self.QUERY, [self.database]).fetchall()
                    self.samples += 1
                    self.waiting_samples += bool(rows)
                    self.waits.update(tuple(row) for row in rows)
                time.sleep(self.interval)

    def phase(self) -> tuple[int, int, Counter]:
        """Start counting afresh; answers what the previous phase counted."""
        counted = (self.samples, self.waiting_samples, self.waits)
        self.samples, self.waiting_samples, self.waits = 0, 0, Counter()
        return counted


class MailSink:
    """An SMTP server on a spare local port that takes every message and keeps none (the
    notifications' e-mails go out through it)."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        class Discard:
            async def handle_DATA(self, server, session, envelope) -> str:
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Discard(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
