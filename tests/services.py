"""Real moving parts for the tests about tasks: a Redis server of the test's own, Celery workers
in their own processes, and an HTTP receiver standing in for a webhook or a group robot.

Each outage test runs its own redis-server on a spare port, so stopping it never disturbs the
machine's Redis on 6379 (which other test runs and the cache use).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], bool], *, timeout: float = 30, what: str = "") -> None:
    """Poll until `condition()` holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or condition}")


@dataclass
class RedisServer:
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                "/tmp",
                "--logfile",
                f"/tmp/qinqing-test-redis-{self.port}.log",
            ],
            check=True,
        )
        wait_for(self.is_up, timeout=10, what=f"redis on port {self.port}")

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        wait_for(lambda: not self.is_up(), timeout=10, what=f"redis {self.port} to stop")

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False


def point_celery_at(url: str) -> str:
    """Send this process's Celery messages to `url`; answers the previous broker address."""
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = url
    app._after_fork()  # drop pooled connections to the old broker, as Celery does after a fork
    return previous


@dataclass
class Worker:
    """A Celery worker in its own process, on the test database and the given broker."""

    broker_url: str
    extra_env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def start(self) -> Worker:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": self.broker_url,
            "CELERY_BROKER_URL": self.broker_url,
            **self.extra_env,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(f"/tmp/qinqing-test-worker-{os.getpid()}.log", "ab"),  # noqa: SIM115
        )
        return self

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on a power cut or an OOM kill."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    completed: bool = False

    def json(self):
        return json.loads(self.body)


class Receiver:
    """A local HTTP endpoint recording what it receives. `hold_first` keeps the first request
    waiting (as a slow receiver would) until `release()`; `status`, `headers` and `body` make
    it answer something else than 200 with `answer` as JSON."""

    def __init__(
        self,
        *,
        answer: dict | None = None,
        hold_first: bool = False,
        status: int = 200,
        headers: dict | None = None,
        body: bytes | None = None,
    ) -> None:
        self.requests: list[Received] = []
        self.answer = answer or {"errcode": 0, "errmsg": "ok"}
        self.hold_first = hold_first
        self.status, self.headers, self.body = status, headers or {}, body
        self._release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                item = Received(self.path, dict(self.headers), body)
                receiver.requests.append(item)
                if receiver.hold_first and len(receiver.requests) == 1:
                    receiver._release.wait(60)
                    return  # never answers: the sender is gone by now
                payload = receiver.body or json.dumps(receiver.answer).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
                item.completed = True

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def release(self) -> None:
        self._release.set()

    @property
    def completed(self) -> list[Received]:
        return [r for r in self.requests if r.completed]


# --- PostgreSQL clusters of a test's own ----------------------------------------------------

# Debian keeps the server's programs (initdb, pg_ctl, pg_basebackup) out of PATH, per version.
PG_BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda path: float(path.parent.name),
    default=Path("/usr/bin"),
)


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: under root (as in CI) run it as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster in a folder of its own on a spare port (initdb, or pg_basebackup of
    another for a streaming replica); a replica may be asked to log every statement, so that a
    test reads which server ran what. Stopped and removed by `destroy()`; the machine's cluster
    is never touched.
    """

    directory: Path
    port: int

    @classmethod
    def primary(cls) -> PostgresCluster:
        cluster = cls._new()
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(cluster.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        with open(cluster.data / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        cluster._configure(wal_level="replica", max_wal_senders=4)
        cluster.start()
        return cluster

    def replica(self, **settings: str) -> PostgresCluster:
        """A hot standby of this cluster, streaming from it."""
        replica = PostgresCluster._new()
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_basebackup"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-D",
                    str(replica.data),
                    "--write-recovery-conf",
                    "--wal-method=stream",
                ]
            ),
            check=True,
            capture_output=True,
        )
        replica._configure(hot_standby="on", **settings)
        replica.start()
        return replica

    @classmethod
    def _new(cls) -> PostgresCluster:
        import pwd
        import tempfile

        directory = Path(tempfile.mkdtemp(prefix="qinqing-pg-"))
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(directory, entry.pw_uid, entry.pw_gid)
        return cls(directory=directory, port=free_port())

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "server.log"

    def _configure(self, **extra) -> None:
        settings = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.directory}'",
            "fsync": "off",
            "full_page_writes": "off",
            "log_line_prefix": "'%m %a: '",
            **extra,
        }
        # Appended last, so these win over what pg_basebackup copied from the primary.
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def start(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            ),
            check=True,
            capture_output=True,
        )

    def url(self, database: str, **options: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in options.items())
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}" + (
            f"?{query}" if query else ""
        )

    def sql(self, statement: str, database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def destroy(self) -> None:
        import shutil

        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
            ),
            capture_output=True,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class Gunicorn:
    """The web process as production runs it (`gunicorn config.wsgi -c config/gunicorn.conf.py`),
    on a free port with two workers, with exactly the environment given (and PATH)."""

    env: dict
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        self.log = Path(f"/tmp/qinqing-test-gunicorn-{self.port}.log")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-c",
                "config/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **self.env},
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "wb"),  # noqa: SIM115
        )

        def answers() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_for(answers, timeout=60, what="gunicorn to answer")
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
