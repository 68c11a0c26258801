"""The client's address comes from the proxy's header only when the connection itself comes from
a trusted proxy (TRUSTED_PROXIES); a client reaching the application server directly is known by
its own address, whatever it writes in the header. Every limit counts that one address."""

from django.urls import reverse

from config.network import client_ip
from tests.factories import PASSWORD

DIRECT = "203.0.113.7"  # a client that reached the application server without the proxy


def test_a_client_reaching_the_server_directly_cannot_choose_its_address(rf, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"  # nginx's, as in production
    forged = rf.get("/", REMOTE_ADDR=DIRECT, HTTP_X_REAL_IP="10.1.1.1")
    assert client_ip(forged) == DIRECT


def test_behind_a_trusted_proxy_its_header_names_the_client(rf, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip(rf.get("/", REMOTE_ADDR="10.3.3.3", HTTP_X_REAL_IP="198.51.100.4")) == (
        "198.51.100.4"
    )
    # A dual-stack socket shows the IPv4 proxy as ::ffff:127.0.0.1.
    mapped = rf.get("/", REMOTE_ADDR="::ffff:127.0.0.1", HTTP_X_REAL_IP="2001:db8::9")
    assert client_ip(mapped) == "2001:db8::9"
    # X-Forwarded-For as nginx appends to it: the right-most entry is the one the proxy wrote;
    # what the client put on its left is not believed.
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    appended = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.4")
    assert client_ip(appended) == "198.51.100.4"


def test_a_broken_header_from_the_proxy_falls_back_to_the_connection(rf):
    assert client_ip(rf.get("/", HTTP_X_REAL_IP="not an address")) == "127.0.0.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="", HTTP_X_REAL_IP="10.1.1.1")) == "0.0.0.0"


def test_forged_addresses_do_not_buy_a_direct_client_more_token_requests(client, world, settings):
    settings.TOKEN_REQUEST_RATE = "3/d"  # per address and per user name
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.RATELIMIT_IP_META_KEY = "config.network.client_ip"
    answers = [
        client.post(
            reverse("api:token"),
            {"username": f"nobody{n}", "password": PASSWORD},
            REMOTE_ADDR=DIRECT,
            HTTP_X_REAL_IP=f"10.0.0.{n}",
        ).status_code
        for n in range(4)
    ]
    assert answers == [400, 400, 400, 429]


def test_a_mistyped_proxy_address_stops_the_start_rather_than_every_request():
    import os
    import subprocess
    import sys
    from pathlib import Path

    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parent.parent,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TRUSTED_PROXIES": "10.0.0.0/8,10.0.0.l",
        },
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0
    assert "TRUSTED_PROXIES: '10.0.0.l' is not an address or a network." in started.stderr
