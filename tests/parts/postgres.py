"""PostgreSQL clusters of a test's own, on spare ports (a primary and its streaming replica)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.parts.processes import free_port

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
