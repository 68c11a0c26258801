"""Submissions and token requests are throttled per user and per address (429)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from tickets.models import Ticket

BODY = {"category": "power", "title": "用电", "description": "变压器容量不足"}


# Budgets are per day here: django-ratelimit staggers its windows, so with a per-minute budget a
# window could end between two requests of a test (about one run in fifty).


def test_submitting_too_fast_is_429_and_files_nothing_more(api, world, settings):
    settings.TICKET_SUBMIT_RATE = "2/d"
    client = api("enterprise_user")
    assert client.post("/api/v1/tickets/", BODY).status_code == 201
    assert client.post("/api/v1/tickets/", BODY).status_code == 201
    throttled = client.post("/api/v1/tickets/", BODY)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) >= 1
    assert Ticket.objects.count() == 2
    assert client.get("/api/v1/tickets/").status_code == 200  # reading is not throttled


def test_the_api_and_the_web_form_share_one_budget(api, client, world, settings):
    settings.TICKET_SUBMIT_RATE = "2/d"
    client.force_login(world.enterprise_user)
    web = client.post(
        "/tickets/new/", {"category": world.category.pk, "title": "网页", "description": "x"}
    )
    assert web.status_code == 302
    assert api("enterprise_user").post("/api/v1/tickets/", BODY).status_code == 201
    assert api("enterprise_user").post("/api/v1/tickets/", BODY).status_code == 429


def test_the_limit_per_address_holds_across_users(api, world, settings):
    settings.TICKET_SUBMIT_RATE = "100/d"
    settings.TICKET_SUBMIT_IP_RATE = "2/d"
    assert api("enterprise_user").post("/api/v1/tickets/", BODY).status_code == 201
    assert api("other_enterprise_user").post("/api/v1/tickets/", BODY).status_code == 201
    assert api("enterprise_user").post("/api/v1/tickets/", BODY).status_code == 429


def test_asking_for_tokens_too_fast_is_429(client, world, settings):
    settings.TOKEN_REQUEST_RATE = "2/d"
    user = get_user_model().objects.get(username="office")
    user.set_password("s3cret-pass")
    user.save()
    for _attempt in range(2):
        ok = client.post("/api/v1/auth/token/", {"username": "office", "password": "s3cret-pass"})
        assert ok.status_code == 200
    throttled = client.post(
        "/api/v1/auth/token/", {"username": "office", "password": "s3cret-pass"}
    )
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"


def test_wrong_passwords_get_400_and_no_token(client, world):
    response = client.post("/api/v1/auth/token/", {"username": "office", "password": "nope"})
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_after_five_wrong_passwords_the_account_is_locked_out_with_429(client, world):
    user = get_user_model().objects.get(username="office")
    user.set_password("s3cret-pass")
    user.save()
    for _attempt in range(4):
        wrong = client.post("/api/v1/auth/token/", {"username": "office", "password": "nope"})
        assert wrong.status_code == 400
    locked = client.post("/api/v1/auth/token/", {"username": "office", "password": "nope"})
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    right = client.post("/api/v1/auth/token/", {"username": "office", "password": "s3cret-pass"})
    assert right.status_code == 429  # django-axes keeps it locked for an hour
