"""The deployed stack the HTTPS journey runs against: Debian's nginx with deploy/nginx/qinqing.conf
(only its ports, paths and certificate replaced), gunicorn and a Celery worker under production
settings, Redis on a spare port, an SMTP server, a self-signed certificate for 127.0.0.1. The
`stack` fixture (offered by tests/deploy/conftest.py) starts it once per module."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.management.utils import get_random_secret_key
from django.db import connection

from tests.parts.gunicorn import Gunicorn
from tests.parts.processes import ROOT, RedisServer, free_port, wait_for

NGINX = Path("/usr/sbin/nginx")
SITE = ROOT / "deploy/nginx/qinqing.conf"
PRODUCTION = "config.settings.production"


class Inbox:
    """aiosmtpd's handler: keeps every message the worker sends."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(envelope)
        return "250 OK"


@dataclass
class Stack:
    origin: str
    http_port: int
    https_port: int
    cert: Path
    media: Path
    static: Path
    inbox: Inbox

    def url(self, path: str) -> str:
        return f"{self.origin}{path}"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def site_file(*, http_port, https_port, cert, key, static, upstream_port, logs) -> str:
    """The site file with this run's ports, paths and certificate: nothing else changes, and
    each value replaced must still be there (else the test is no longer testing the file)."""
    text = SITE.read_text()
    for old, new in [
        ("listen 80;", f"listen {http_port};"),
        ("listen [::]:80;", f"listen [::]:{http_port};"),
        ("listen 443 ssl http2;", f"listen {https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", f"listen [::]:{https_port} ssl http2;"),
        ("/etc/ssl/qinqing/fullchain.pem", str(cert)),
        ("/etc/ssl/qinqing/privkey.pem", str(key)),
        ("/opt/qinqing/staticfiles/", f"{static}/"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("/var/log/nginx/", f"{logs}/"),
    ]:
        assert old in text, f"{SITE.name} no longer has {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


def nginx_conf(base: Path, site: Path) -> str:
    """nginx.conf's part around the site, as Debian's /etc/nginx/nginx.conf has it."""
    temp = "".join(
        f"    {kind}_temp_path {base}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root (CI), nginx's workers would drop to `nobody`, who cannot read the test's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {base}/nginx.pid;\n"
        f"error_log {base}/error.log;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    sendfile on;\n    tcp_nopush on;\n    gzip on;\n{temp}"
        f"    access_log {base}/access.log;\n    include {site};\n}}\n"
    )


@pytest.fixture(scope="module")
def stack(django_db_setup, tmp_path_factory):
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: apt-get install nginx (.ci/run does)")
    base = tmp_path_factory.mktemp("deploy")
    cert, key = self_signed_certificate(base)
    media, static = base / "media", base / "static"
    http_port, https_port = free_port(), free_port()
    origin = f"https://127.0.0.1:{https_port}"
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    redis = RedisServer(free_port())
    redis.start()
    db = connection.settings_dict
    env = {
        # What the environment template asks for; gunicorn and Celery default to production's
        # settings (only manage.py, for collectstatic below, is told).
        "SECRET_KEY": get_random_secret_key(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": origin,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "SITE_URL": origin,
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(static),
    }
    processes: list = []
    web = worker = None
    try:
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": PRODUCTION, **env},
            capture_output=True,
            text=True,
        )
        assert collected.returncode == 0, collected.stderr
        web = Gunicorn(env).start()
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--without-gossip", "--without-mingle", "-l", "warning"],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", **env},
            stdout=subprocess.DEVNULL,
            stderr=open(base / "worker.log", "wb"),  # noqa: SIM115
        )  # fmt: skip
        processes.append(worker)
        site = base / "qinqing.conf"
        site.write_text(
            site_file(
                http_port=http_port,
                https_port=https_port,
                cert=cert,
                key=key,
                static=static,
                upstream_port=web.port,
                logs=base,
            )
        )
        conf = base / "nginx.conf"
        conf.write_text(nginx_conf(base, site))
        command = [str(NGINX), "-p", str(base), "-c", str(conf), "-e", str(base / "error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        nginx = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        processes.append(nginx)
        wait_for(lambda: _answers(https_port), what="nginx to listen")
        yield Stack(origin, http_port, https_port, cert, media, static, inbox)
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        if web is not None:
            web.stop()
        redis.stop()
        smtp.stop()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
