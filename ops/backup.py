"""Backups of the whole service: the database and the uploaded files, in one dated archive.

An archive `qinqing-YYYYMMDD-HHMMSS.tar` (Asia/Shanghai time) holds
- `database.dump`: `pg_dump --format=custom` of the database (compressed; pg_restore reads it,
  table by table if need be);
- `media/…`: every file under MEDIA_ROOT (the attachments), as they are;
- `manifest.json`: when, from which database, and the SHA-256 of the dump and of every file.

The database is dumped first, in one snapshot, then the files are copied: every attachment the
dump knows of is in the archive (a file uploaded meanwhile may be there without its row, which
is harmless). PostgreSQL's own pg_dump and pg_restore do the database's part: they are what the
field uses, and django-dbbackup (which wraps them) keeps the database and the files in separate
archives, while a restore here needs both, checked against each other.

A restore goes only into an empty database (a fresh `createdb`), so it can never mix a backup
into live data; the files are checked against the manifest before the database is touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

PREFIX = "qinqing-"
SUFFIX = ".tar"
DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    database: str
    tables: int
    files: int


def backup_create(*, output: Path, keep: int | None = None, now: dt.datetime | None = None) -> Path:
    """Write one archive of the database and the media files into `output`, then delete the
    oldest archives there beyond the newest `keep`; answer the new archive's path."""
    if keep is not None and keep < 1:
        raise BackupError("--keep must be 1 or more: the backup just made is always kept.")
    env, database = _postgres()
    output.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    archive = output / f"{PREFIX}{stamp}{SUFFIX}"
    if archive.exists():
        raise BackupError(f"{archive} exists already: one backup a second at most.")
    with tempfile.TemporaryDirectory(dir=output, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        _run(["pg_dump", "--format=custom", "--file", str(dump)], env=env, what="pg_dump")
        media_root = Path(settings.MEDIA_ROOT)
        files = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        )
        manifest = {
            "created_at": timezone.localtime(now).isoformat(),
            "database": database,
            "dump_sha256": _sha256(dump),
            "media": {p.relative_to(media_root).as_posix(): _sha256(p) for p in files},
        }
        partial = Path(work) / archive.name
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
            tar.add(dump, arcname=DUMP)
            for path in files:
                tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
        partial.chmod(0o600)  # everything the service knows is in here
        partial.rename(archive)  # a failed backup leaves no half archive behind
    if keep is not None:
        for old in backups_in(output)[:-keep]:
            old.unlink()
    return archive


def backups_in(directory: Path) -> list[Path]:
    """The archives in `directory`, oldest first (their names sort by date)."""
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def backup_restore(*, archive: Path) -> Restored:
    """Restore `archive` into the (empty) database and MEDIA_ROOT of these settings."""
    env, database = _postgres()
    tables = connections[DEFAULT_DB_ALIAS].introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {database} is not empty ({len(tables)} tables): a backup is restored "
            "only into an empty database, so that it can never mix with live data. Create a new "
            "one (createdb), point DATABASE_URL at it and run restore again."
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".restore-") as work:
        manifest = _unpack(archive, Path(work))
        staged = Path(work) / MEDIA
        clashes = [name for name in manifest["media"] if (media_root / name).exists()]
        if clashes:
            raise BackupError(
                f"{len(clashes)} files of the backup exist already under {media_root} "
                f"(e.g. {clashes[0]}): restore into an empty MEDIA_ROOT."
            )
        _run(
            [
                "pg_restore",
                "--dbname",
                database,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                str(Path(work) / DUMP),
            ],
            env=env,
            what="pg_restore",
        )
        for name in manifest["media"]:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staged / name, target)
    connections[DEFAULT_DB_ALIAS].close()
    return Restored(
        database=database,
        tables=len(connections[DEFAULT_DB_ALIAS].introspection.table_names()),
        files=len(manifest["media"]),
    )


# --- helpers ---------------------------------------------------------------------------------


def _postgres() -> tuple[dict[str, str], str]:
    """pg_dump's and pg_restore's environment for the default database, and its name."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore work on PostgreSQL only (production's database). For the "
            "SQLite database of `make run`, stop the server and copy db.sqlite3 and media/."
        )
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    for option, name in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if db.get("OPTIONS", {}).get(option):
            env[name] = str(db["OPTIONS"][option])
    return env, db["NAME"]


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{what} is not installed: apt-get install postgresql-client (the same major "
            "version as the server, or newer)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()}")


def _unpack(archive: Path, work: Path) -> dict:
    """Extract `archive` into `work` and check every file against its manifest."""
    try:
        with tarfile.open(archive, "r") as tar:
            tar.extractall(work, filter="data")  # no paths outside `work`, no devices or links
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} is not a backup archive: {error}") from None
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        expected = {DUMP: manifest["dump_sha256"]} | {
            f"{MEDIA}/{name}": digest for name, digest in manifest["media"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(
            f"{archive} has no readable manifest: not a backup of this service."
        ) from None
    for name, digest in expected.items():
        path = work / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(
                f"{archive} is damaged: {name} is missing or differs from its checksum."
            )
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))
