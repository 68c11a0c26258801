"""`manage.py backup` and `manage.py restore`: a round trip into a fresh database loses nothing.

The test backs the test database up, creates a fresh database on the same PostgreSQL server,
restores into it (dropped afterwards), and compares what a person would look at: the figures,
every ticket's events, and every attachment's bytes.
"""

import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from reports.periods import Period
from reports.services import bulletin_publish
from tests.files import PDF_BYTES, png_bytes
from tests.parts.processes import ROOT
from tickets.models import Status
from tickets.services import ticket_submit

pytestmark = pytest.mark.django_db(transaction=True)
EVENTS = (
    "SELECT e.id, t.number, e.action, e.actor_id, e.from_status, e.to_status, e.note, "
    "e.public, e.data::text, e.created_at FROM tickets_ticketevent e "
    "JOIN tickets_ticket t ON t.id = e.ticket_id ORDER BY e.id"
)
ATTACHMENTS = "SELECT file, size FROM tickets_attachment ORDER BY id"


def server_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def manage(*args: str, database: str, media: Path, settings="config.settings.test"):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": database,
            "MEDIA_ROOT": str(media),
        },
        capture_output=True,
        text=True,
    )


def rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def figures(url: str, media: Path) -> dict:
    today = dt.date.today().isoformat()
    result = manage(
        "report", "--to", today, "--cumulative", "--group-by", "district", "--format", "json",
        database=url, media=media,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fresh_database():
    """An empty database on the test server, dropped after the test."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield server_url(name)
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def busy_city(world, make_ticket, settings):
    """Problems in several states, with attachments, and a published bulletin."""
    make_ticket(Status.CLOSED)
    make_ticket(Status.IN_PROGRESS, title="土地手续办理缓慢")
    make_ticket(Status.REJECTED, enterprise=world.other_enterprise, title="申请政策补贴")
    ticket_submit(
        enterprise=world.enterprise,
        category=world.category,
        title="厂区道路破损",
        description="厂区门口道路破损，影响货车通行。",
        submitted_by=world.enterprise_user,
        attachments=[
            SimpleUploadedFile("现场照片.png", png_bytes()),
            SimpleUploadedFile("情况说明.pdf", PDF_BYTES),
        ],
    )
    bulletin_publish(week=Period.iso_week(*dt.date.today().isocalendar()[:2]))
    return Path(settings.MEDIA_ROOT)


def test_a_backup_restored_into_a_fresh_database_has_the_same_figures_events_and_files(
    busy_city, fresh_database, tmp_path
):
    media = busy_city
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    archive = Path(out.getvalue().strip().splitlines()[-1])  # the path is the last line
    assert archive.parent == tmp_path / "backups" and archive.name.startswith("qinqing-")
    assert archive.stat().st_mode & 0o077 == 0  # readable by its owner only

    restored_media = tmp_path / "restored-media"
    result = manage("restore", str(archive), database=fresh_database, media=restored_media)
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout

    original = server_url(connection.settings_dict["NAME"])
    before = figures(original, media)
    assert before["totals"]["submitted"] == 4
    assert figures(fresh_database, restored_media) == before
    assert rows(fresh_database, EVENTS) == rows(original, EVENTS)
    attachments = rows(original, ATTACHMENTS)
    assert len(attachments) == 2
    assert rows(fresh_database, ATTACHMENTS) == attachments
    for name, _size in attachments:
        assert sha256(restored_media / name) == sha256(media / name)


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(busy_city, tmp_path):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path), stdout=out)
    archive = out.getvalue().strip().splitlines()[-1]
    original = server_url(connection.settings_dict["NAME"])
    events = rows(original, EVENTS)

    result = manage("restore", archive, database=original, media=tmp_path / "media2")
    assert result.returncode != 0
    assert "is not empty" in result.stderr
    assert "createdb" in result.stderr
    assert rows(original, EVENTS) == events
    assert not (tmp_path / "media2").exists()


def test_restore_refuses_a_damaged_archive(fresh_database, world, tmp_path):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path), stdout=out)
    archive = Path(out.getvalue().strip().splitlines()[-1])
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.dump":
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))

    result = manage("restore", str(damaged), database=fresh_database, media=tmp_path / "m")
    assert result.returncode != 0
    assert "damaged" in result.stderr and "database.dump" in result.stderr
    assert rows(fresh_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [
        (0,)
    ]


def test_backup_keeps_only_the_newest_archives(world, tmp_path):
    for old in ("qinqing-20250101-020000.tar", "qinqing-20250102-020000.tar"):
        (tmp_path / old).write_bytes(b"an older backup")
    (tmp_path / "notes.txt").write_text("not a backup")

    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path), "--keep", "2", stdout=out)
    newest = Path(out.getvalue().strip().splitlines()[-1])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["qinqing-20250102-020000.tar", newest.name, "notes.txt"]
    )


def test_backup_on_sqlite_says_it_works_on_postgresql_only(tmp_path):
    result = manage(
        "backup",
        "--output",
        str(tmp_path),
        database=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        media=tmp_path / "media",
        settings="config.settings.dev",
    )
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr
    assert list(tmp_path.glob("qinqing-*")) == []
