"""Wrong passwords lock an account (django-axes): five from one address lock that address out of
it, twenty from any number of addresses lock the account itself, for an hour. Forged address
headers change nothing, the office unlocks one account in the admin, and the locked-out page
and the token endpoint say so in Chinese. An overlong user name is a form error, not a 500."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD

DIRECT = "203.0.113.7"  # an attacker reaching the application server without the proxy


@pytest.fixture(autouse=True)
def production_addresses(settings):
    """The client address as production.py has always taken it (behind nginx's X-Real-IP)."""
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.AXES_CLIENT_IP_CALLABLE = "config.network.client_ip"
    settings.RATELIMIT_IP_META_KEY = "config.network.client_ip"


def login(client, username, password, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_from_thirty_forged_addresses_lock_the_account(client, world):
    for n in range(30):
        login(client, "enterprise", "wrong", REMOTE_ADDR=DIRECT, HTTP_X_REAL_IP=f"10.0.0.{n}")
    right = login(client, "enterprise", PASSWORD, REMOTE_ADDR=DIRECT, HTTP_X_REAL_IP="10.9.9.9")
    assert right.status_code == 429
    assert not signed_in(client)
    page = right.content.decode()
    assert "登录失败次数过多" in page and "领导小组办公室" in page


def test_twenty_failures_from_twenty_real_clients_lock_the_account_everywhere(client, world):
    # Through the trusted proxy (the test client connects from 127.0.0.1): twenty clients.
    for n in range(20):
        assert login(client, "enterprise", "wrong", HTTP_X_REAL_IP=f"198.51.100.{n}").status_code
    assert login(client, "enterprise", PASSWORD, HTTP_X_REAL_IP="192.0.2.50").status_code == 429
    assert not signed_in(client)
    token = client.post(
        reverse("api:token"),
        {"username": "enterprise", "password": PASSWORD},
        HTTP_X_REAL_IP="192.0.2.51",
    )
    assert token.status_code == 429
    assert token.json()["code"] == "locked_out"
    assert "领导小组办公室" in token.json()["detail"]


def test_five_failures_from_one_address_do_not_lock_the_user_out_of_its_own_desk(client, world):
    for _attempt in range(5):
        login(client, "enterprise", "wrong", HTTP_X_REAL_IP="198.51.100.1")
    assert login(client, "enterprise", PASSWORD, HTTP_X_REAL_IP="198.51.100.1").status_code == 429
    assert login(client, "enterprise", PASSWORD, HTTP_X_REAL_IP="192.0.2.50").status_code == 302
    assert signed_in(client)


def test_the_office_unlocks_one_account_and_only_that(client, world, office_in_admin):
    for username in ("enterprise", "enterprise2"):
        for n in range(20):
            login(client, username, "wrong", HTTP_X_REAL_IP=f"198.51.100.{n}")
    assert login(client, "enterprise", PASSWORD).status_code == 429

    client.force_login(office_in_admin)
    page = client.get(reverse("admin:auth_user_changelist"))
    assert page.status_code == 200
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [world.enterprise_user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    client.logout()

    assert login(client, "enterprise", PASSWORD).status_code == 302
    assert signed_in(client)
    client.logout()
    assert login(client, "enterprise2", PASSWORD).status_code == 429  # still locked
    assert AccessAttempt.objects.filter(username="enterprise2").exists()


def test_the_office_cannot_unlock_another_administrator(client, world, office_in_admin):
    admin = type(world.office).objects.create_superuser("root", "root@example.cn", PASSWORD)
    for n in range(20):
        login(client, "root", "wrong", HTTP_X_REAL_IP=f"198.51.100.{n}")
    client.force_login(office_in_admin)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [admin.pk]},
    )
    client.logout()
    assert login(client, "root", PASSWORD).status_code == 429


LONG_NAME = "x" * 300


def test_a_user_name_over_255_characters_is_a_form_error_and_nothing_is_written(client, db):
    # What this test's requests write, whatever a server of an earlier test left behind.
    before = set(AccessAttempt.objects.values_list("pk", flat=True))
    response = login(client, LONG_NAME, "whatever")
    assert response.status_code == 200
    assert "150" in response.content.decode()  # 请确保该值最多包含 150 个字符
    admin_login = client.post(
        reverse("admin:login"), {"username": LONG_NAME, "password": "whatever"}
    )
    assert admin_login.status_code == 200
    assert "150" in admin_login.content.decode()
    token = client.post(reverse("api:token"), {"username": LONG_NAME, "password": "whatever"})
    assert token.status_code == 400
    assert list(token.json()) == ["username"]
    assert set(AccessAttempt.objects.values_list("pk", flat=True)) == before
