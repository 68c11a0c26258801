"""Filing is rate-limited per user and per client address; behind a proxy the address comes
from the header the proxy sets (production's RATELIMIT_IP_META_KEY)."""

from django.urls import reverse

from tickets.models import Ticket


def file(client, world, **headers):
    return client.post(
        reverse("tickets:create"),
        {"category": world.category.pk, "title": "用电", "description": "变压器容量不足"},
        **headers,
    )


def test_a_user_filing_too_fast_gets_429_and_nothing_more_is_filed(client, world, settings):
    settings.TICKET_SUBMIT_RATE = "2/d"  # per day, so no window ends in the middle of the test
    client.force_login(world.enterprise_user)
    assert [file(client, world).status_code for _ in range(3)] == [302, 302, 429]
    assert Ticket.objects.count() == 2


def test_behind_a_proxy_each_client_address_has_its_own_budget(client, world, settings):
    settings.TICKET_SUBMIT_IP_RATE = "1/d"
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.RATELIMIT_IP_META_KEY = "config.network.client_ip"  # as production.py
    client.force_login(world.enterprise_user)
    assert file(client, world, HTTP_X_REAL_IP="10.1.1.1").status_code == 302
    client.force_login(world.other_enterprise_user)
    assert file(client, world, HTTP_X_REAL_IP="10.2.2.2").status_code == 302  # another client
    assert file(client, world, HTTP_X_REAL_IP="10.1.1.1").status_code == 429  # the first again


def test_a_missing_or_forged_address_header_falls_back_to_the_connection(rf, settings):
    from config.network import client_ip

    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(rf.get("/", HTTP_X_REAL_IP="10.1.1.1")) == "10.1.1.1"
    assert client_ip(rf.get("/", HTTP_X_REAL_IP="not an address")) == "127.0.0.1"
    assert client_ip(rf.get("/")) == "127.0.0.1"
