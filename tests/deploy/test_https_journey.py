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
import re
import socket
import ssl

import pytest
import requests

from config.uploads import max_request_size
from tests.deploy.stack import SITE, Stack
from tests.factories import PASSWORD
from tests.files import PDF_BYTES
from tests.parts.processes import wait_for
from tickets.models import Attachment, Rating, Status, Ticket

# All transactional, so that pytest-django keeps them together and the stack starts once.
pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]
HSTS = "Strict-Transport-Security"


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
