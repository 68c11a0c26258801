"""Group robots and webhooks reach public addresses only: an address leading to this machine or
inside the network is refused when it is saved and again when its name is resolved at send
time, unless it is on the allow-list (OUTBOUND_ALLOWED_NETWORKS; the tests' receivers sit on
127.0.0.1, which config/settings/test.py allows). The message goes to the address that was
checked, redirects are not followed, and a failure keeps only its status and a short reason."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import Delivery, GroupRobot, WebhookEndpoint
from notifications.services import delivery_send
from tests.parts.receiver import Receiver
from tickets.models import Status

INSIDE = [
    "http://127.0.0.1:8000/hook",
    "http://127.9.9.9/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
    "http://100.64.0.1/hook",  # shared address space (carrier-grade NAT)
    "http://224.0.0.1/hook",
    "http://0.0.0.0:8000/hook",
    "http://240.0.0.1/hook",
    "https://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://[ff02::1]/hook",
    "http://[::]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped
    "http://[::ffff:10.0.0.1]/hook",
    "http://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
    "http://[2002:a00:1::1]/hook",  # 6to4 of 10.0.0.1
]


@pytest.fixture
def nothing_allowed(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []


@pytest.mark.parametrize("url", INSIDE)
def test_an_address_leading_inside_is_refused_when_it_is_saved(url, world, nothing_allowed):
    robot = GroupRobot(name="南关区", kind="wecom", url=url, district=world.district)
    with pytest.raises(ValidationError) as refused:
        robot.full_clean()
    assert list(refused.value.message_dict) == ["url"]
    with pytest.raises(ValidationError):
        WebhookEndpoint(name="ERP", url=url).full_clean()


def test_the_office_is_told_why_an_address_is_refused_and_nothing_is_saved(
    client, world, office_in_admin, nothing_allowed
):
    client.force_login(office_in_admin)
    response = client.post(
        reverse("admin:notifications_grouprobot_add"),
        {
            "name": "南关区",
            "kind": "wecom",
            "url": "http://169.254.169.254/latest/meta-data/",
            "district": world.district.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "169.254.169.254" in page and "公开地址" in page
    assert not GroupRobot.objects.exists()


def test_every_address_of_a_name_is_checked(world, monkeypatch):
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host == "mixed.example.cn":  # one allowed address, one inside
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(ValidationError) as refused:
        WebhookEndpoint(name="ERP", url="http://mixed.example.cn/hook").full_clean()
    assert "10.0.0.1" in str(refused.value)


def test_an_address_allowed_when_saved_is_checked_again_when_sent(world, make_ticket, settings):
    with Receiver() as receiver:
        GroupRobot.objects.create(
            name="南关区", kind="wecom", url=receiver.url, district=world.district
        )
        make_ticket(Status.SUBMITTED)
        settings.OUTBOUND_ALLOWED_NETWORKS = []  # the allow-list no longer holds it
        delivery = Delivery.objects.get(channel="wecom")
        assert delivery_send(delivery_id=delivery.pk) == "retry"
        assert receiver.requests == []
    delivery.refresh_from_db()
    assert "127.0.0.1" in delivery.last_error and "公开地址" in delivery.last_error


def test_the_address_checked_is_the_one_connected_to(world, make_ticket, monkeypatch):
    """A name that answers an allowed address when checked and another a moment later (DNS
    rebinding) is sent to the address that was checked, resolved once."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "127.0.0.2"])  # the second: nobody listens there
    asked = []

    def rebinding(host, port, *args, **kwargs):
        if host != "hooks.example.cn":
            return real(host, port, *args, **kwargs)
        asked.append(next(answers))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (asked[-1], port))]

    with Receiver() as receiver:
        port = receiver.server.server_port
        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        WebhookEndpoint.objects.create(
            name="ERP", url=f"http://hooks.example.cn:{port}/hook", secret="k"
        )
        make_ticket(Status.SUBMITTED)
        delivery = Delivery.objects.get(channel="webhook")
        assert delivery_send(delivery_id=delivery.pk) == "sent"
        assert asked == ["127.0.0.1"]
        [received] = receiver.requests
        assert received.headers["Host"] == f"hooks.example.cn:{port}"


def test_a_redirect_is_not_followed(world, make_ticket):
    with (
        Receiver() as inside,
        Receiver(status=307, headers={"Location": inside.url}) as outside,
    ):
        WebhookEndpoint.objects.create(name="ERP", url=outside.url, secret="k")
        make_ticket(Status.SUBMITTED)
        delivery = Delivery.objects.get(channel="webhook")
        assert delivery_send(delivery_id=delivery.pk) == "retry"
        assert len(outside.requests) == 1
        assert inside.requests == []
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("HTTP 307")


def test_a_failed_delivery_keeps_the_status_and_never_the_answer(world, make_ticket):
    echo = b'{"error": "Traceback: db password=hunter2 at 10.0.0.5"}'
    with (
        Receiver(status=500, body=echo) as webhook,
        Receiver(answer={"errcode": 93000, "errmsg": "invalid url, hint: [hunter2]"}) as robot,
    ):
        WebhookEndpoint.objects.create(name="ERP", url=webhook.url, secret="k")
        GroupRobot.objects.create(
            name="南关区", kind="wecom", url=robot.url + "?key=robot-key", district=world.district
        )
        make_ticket(Status.SUBMITTED)
        for delivery in Delivery.objects.exclude(channel="email"):
            assert delivery_send(delivery_id=delivery.pk) == "retry"
    errors = dict(Delivery.objects.exclude(channel="email").values_list("channel", "last_error"))
    assert errors["webhook"] == "HTTP 500"
    assert "93000" in errors["wecom"]
    for error in errors.values():
        assert "hunter2" not in error and "robot-key" not in error and len(error) < 100


def test_over_https_the_checked_address_is_verified_under_the_host_name(tmp_path, monkeypatch):
    """Connecting to the checked address keeps TLS honest: the server is asked for the host
    name (SNI) and its certificate must name it, as if the name had been connected to."""
    import shutil
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    import requests

    from notifications.outbound import PinnedAdapter

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", key, "-out", cert, "-subj", "/CN=hooks.example.cn"),
            *("-addext", "subjectAltName=DNS:hooks.example.cn"),
        ],
        check=True,
        capture_output=True,
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    asked_for = []
    context.sni_callback = lambda _socket, name, _context: asked_for.append(name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host.endswith(".example.cn"):  # both names lead to the local server
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    try:
        for name, works in [("hooks.example.cn", True), ("other.example.cn", False)]:
            with requests.Session() as session:
                session.trust_env, session.verify = False, str(cert)
                session.mount("https://", PinnedAdapter())
                url = f"https://{name}:{server.server_port}/hook"
                if works:
                    assert session.post(url, data=b"{}", timeout=5).status_code == 200
                else:
                    with pytest.raises(requests.exceptions.SSLError):
                        session.post(url, data=b"{}", timeout=5)
        assert asked_for[0] == "hooks.example.cn"
    finally:
        server.shutdown()
        server.server_close()
