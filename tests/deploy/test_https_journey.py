"""The service as a city runs it: Debian's nginx with deploy/nginx/qinqing.conf (only its ports,
paths and certificate replaced) in front of gunicorn and a Celery worker under production
settings, on PostgreSQL and Redis, with a self-signed certificate for 127.0.0.1. Real users,
each a `requests` session that logs in and posts forms with their CSRF token as a browser does,
take a problem from filing to rating over HTTPS; the worker's e-mail reaches an SMTP server.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import os
import re
import socket
import ssl
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from django.core.management.utils import get_random_secret_key
from django.db import connection

from config.uploads import max_request_size
from tests.factories import PASSWORD
from tests.files import PDF_BYTES
from tests.parts.gunicorn import Gunicorn
from tests.parts.processes import ROOT, RedisServer, free_port, wait_for
from tickets.models import Attachment, Rating, Status, Ticket

# All transactional, so that pytest-django keeps them together and the stack starts once.
pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]
NGINX = Path("/usr/sbin/nginx")
SITE = ROOT / "deploy/nginx/qinqing.conf"
HSTS = "Strict-Transport-Security"
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


@pytest.fixture
def users(world, settings):
    """The journey's users, with password hashes production can check (the tests' own hasher
    is a fast one that production does not accept)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for user in (world.enterprise_user, world.office, world.official):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    world.enterprise_user.email = "chen@example.cn"
    world.enterprise_user.save(update_fields=["email"])
    return world


class Browser:
    """A person at a browser: cookies, the CSRF token from its cookie, Origin and Referer."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.session = requests.Session()
        self.session.trust_env = False  # else REQUESTS_CA_BUNDLE would replace `verify` below
        self.session.verify = str(stack.cert)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.stack.url(path), **kwargs)

    def post(self, path: str, data: dict, files=None, **kwargs) -> requests.Response:
        return self.session.post(
            self.stack.url(path),
            data={**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")},
            files=files,
            headers={"Origin": self.stack.origin, "Referer": self.stack.url(path)},
            allow_redirects=False,
            **kwargs,
        )

    def log_in(self, username: str) -> Browser:
        assert self.get("/accounts/login/").status_code == 200
        response = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.text[-2000:]
        return self


def ticket_path(response: requests.Response) -> str:
    assert response.status_code == 302, response.text[-3000:]
    return response.headers["Location"]


def test_a_problem_from_filing_to_rating_over_https(stack, users):
    world = users
    enterprise = Browser(stack).log_in("enterprise")
    assert enterprise.get("/tickets/new/").status_code == 200
    filed = enterprise.post(
        "/tickets/new/",
        {
            "category": world.category.pk,
            "title": "新增生产线需要扩容变压器",
            "description": "我公司新增两条生产线，现有变压器容量不足。",
        },
        files={"attachments": ("用电负荷测算.pdf", PDF_BYTES, "application/pdf")},
    )
    path = ticket_path(filed)
    ticket = Ticket.objects.get()
    assert path == ticket.get_absolute_url()
    page = enterprise.get(path)
    assert page.status_code == 200 and "用电负荷测算.pdf" in page.text

    office = Browser(stack).log_in("office")
    assert ticket_path(office.post(f"{path}accept/", {"accept-note": ""})) == path
    assigned = office.post(f"{path}assign/", {"assign-assignee": world.official.pk})
    assert ticket_path(assigned) == path

    official = Browser(stack).log_in("official")
    resolved = official.post(
        f"{path}resolve/",
        {"resolve-outcome": "solved", "resolve-resolution": "已协调供电公司完成扩容。"},
    )
    assert ticket_path(resolved) == path

    assert ticket_path(enterprise.post(f"{path}rate/", {"rate-rating": "satisfied"})) == path
    page = enterprise.get(path)
    assert "已协调供电公司完成扩容" in page.text
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == (Status.CLOSED, Rating.SATISFIED)

    # The worker sent the enterprise its e-mail through the SMTP server.
    def to_enterprise():
        return [m for m in stack.inbox.messages if "chen@example.cn" in m.rcpt_tos]

    wait_for(to_enterprise, timeout=60, what="the worker's e-mail to the enterprise")
    subjects = [
        email.message_from_bytes(m.content, policy=email.policy.default)["Subject"]
        for m in to_enterprise()
    ]
    assert any(ticket.number in subject for subject in subjects), subjects

    # The attachment goes out through the app to those who may see it, and by no other URL.
    attachment = Attachment.objects.get()
    assert (stack.media / attachment.file.name).read_bytes() == PDF_BYTES
    download = enterprise.get(f"/tickets/attachments/{attachment.pk}/")
    assert (download.status_code, download.content) == (200, PDF_BYTES)
    anonymous = Browser(stack)
    assert anonymous.get(f"/tickets/attachments/{attachment.pk}/").url.startswith(
        stack.url("/accounts/login/")
    )
    for url in (f"/media/{attachment.file.name}", f"/media-not-served/{attachment.file.name}"):
        response = enterprise.get(url)
        assert response.status_code == 404, url
        assert PDF_BYTES not in response.content


def test_plain_http_is_sent_to_https(stack):
    response = requests.get(
        f"http://127.0.0.1:{stack.http_port}/reports/?week=1", allow_redirects=False
    )
    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1/reports/?week=1"
    assert response.headers["Server"] == "nginx"  # no version


def test_https_offers_http2_and_current_tls_only(stack):
    context = ssl.create_default_context(cafile=str(stack.cert))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", stack.https_port)) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.load_verify_locations(str(stack.cert))
    old.minimum_version = ssl.TLSVersion.TLSv1_2
    old.maximum_version = ssl.TLSVersion.TLSv1_2
    with (
        socket.create_connection(("127.0.0.1", stack.https_port)) as raw,
        old.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.version() == "TLSv1.2"


def test_nginx_serves_static_files_itself_with_long_caching(stack):
    manifest = (stack.static / "staticfiles.json").read_text()
    hashed = re.search(r'"vendor/bootstrap/css/bootstrap\.min\.css": "([^"]+)"', manifest)[1]
    response = requests.get(
        stack.url(f"/static/{hashed}"),
        verify=str(stack.cert),
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"  # the .gz collectstatic made
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers[HSTS].startswith("max-age=31536000")
    # Not the app: Django's SecurityMiddleware would have added this one.
    assert "Cross-Origin-Opener-Policy" not in response.headers
    assert response.text.startswith("@charset") or "bootstrap" in response.text[:500].lower()


def test_pages_come_from_the_app_with_one_hsts_header_and_no_server_version(stack):
    response = requests.get(stack.url("/accounts/login/"), verify=str(stack.cert))
    assert response.status_code == 200
    assert len(response.raw.headers.getlist(HSTS)) == 1
    assert response.headers["Server"] == "nginx"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"  # Django's


def test_the_app_sees_the_address_nginx_saw_not_the_one_a_client_claims(stack, users):
    from axes.models import AccessAttempt

    browser = Browser(stack)
    browser.get("/accounts/login/")
    response = browser.session.post(
        stack.url("/accounts/login/"),
        data={
            "username": "enterprise",
            "password": "wrong",
            "csrfmiddlewaretoken": browser.session.cookies["csrftoken"],
        },
        headers={
            "Origin": stack.origin,
            "Referer": stack.url("/accounts/login/"),
            "X-Real-IP": "203.0.113.7",
            "X-Forwarded-For": "203.0.113.7",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


def test_a_body_over_the_upload_limit_is_refused_by_nginx(stack):
    [(size, unit)] = re.findall(r"client_max_body_size (\d+)([km]?);", SITE.read_text())
    limit = int(size) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]
    assert limit == max_request_size()  # the proxy's limit is the app's

    context = ssl.create_default_context(cafile=str(stack.cert))
    for length, refused in ((limit + 1, True), (1024, False)):
        conn = http.client.HTTPSConnection("127.0.0.1", stack.https_port, context=context)
        conn.putrequest("POST", "/tickets/new/")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(length))
        conn.endheaders()
        if not refused:
            conn.send(b"x" * length)
        response = conn.getresponse()
        assert (response.status == 413) is refused, (length, response.status)
        conn.close()
