"""How many notifications per second the outbox delivers to a local webhook receiver.

    python -m bench outbox [--count 2000] [--workers 1 2]

Writes COUNT webhook deliveries into the outbox (as ticket events do), starts real Celery
workers (prefork, 2 processes each) on Redis, enqueues them all as the sweep would, and times
until every row is marked sent; the receiver counts what arrived. Run on this machine's
PostgreSQL and Redis, in a database of its own (qinqing_bench_outbox).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ._setup import table, use_database

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/4")


class Counter(BaseHTTPRequestHandler):
    received = 0
    lock = threading.Lock()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with Counter.lock:
            Counter.received += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def run(count: int, workers: int, url: str) -> list:
    from django.utils import timezone

    from notifications.models import Delivery
    from notifications.services import enqueue

    Delivery.objects.all().delete()
    Counter.received = 0
    payload = {"event": {"action": "accept"}, "ticket": {"number": "ZQ-2026-000001"}}
    rows = Delivery.objects.bulk_create(
        Delivery(
            channel="webhook",
            target=url,
            secret="bench",
            payload=payload,
            next_attempt_at=timezone.now(),
        )
        for _ in range(count)
    )
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER,
        "REDIS_URL": BROKER,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    }
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=2",
                "-n",
                f"bench{n}@%h",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "error",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    try:
        time.sleep(4)  # let the workers connect
        started = time.perf_counter()
        enqueue([d.pk for d in rows])
        while Delivery.objects.filter(state="sent").count() < count:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
    return [count, workers * 2, f"{elapsed:.2f}", f"{count / elapsed:.0f}", Counter.received]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench outbox")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ["CELERY_BROKER_URL"] = os.environ["REDIS_URL"] = BROKER
    use_database("qinqing_bench_outbox")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    rows = [run(args.count, w, url) for w in args.workers]
    server.shutdown()
    print(table(["deliveries", "worker processes", "seconds", "per second", "received"], rows))


if __name__ == "__main__":
    main(sys.argv[1:])
