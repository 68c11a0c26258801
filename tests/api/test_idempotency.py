"""An Idempotency-Key makes a retried POST /tickets/ return the first ticket, even when the
retries arrive at the same time."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tickets.models import Ticket

BODY = {"category": "power", "title": "新增生产线需要扩容变压器", "description": "变压器容量不足"}


def test_a_retry_with_the_same_key_returns_the_first_ticket(api, world):
    client = api("enterprise_user")
    first = client.post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="retry-1")
    again = client.post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


def test_without_a_key_or_with_another_key_each_post_files_a_ticket(api, world):
    client = api("enterprise_user")
    client.post("/api/v1/tickets/", BODY)
    client.post("/api/v1/tickets/", BODY)
    client.post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="a")
    client.post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="b")
    assert Ticket.objects.count() == 4


def test_keys_belong_to_their_user(api, world):
    mine = api("enterprise_user").post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="k")
    theirs = api("other_enterprise_user").post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="k")
    assert mine.json()["number"] != theirs.json()["number"]
    assert theirs.json()["enterprise"]["uscc"] == world.other_enterprise.uscc


def test_reusing_a_key_for_a_different_request_is_a_conflict(api, world):
    client = api("enterprise_user")
    client.post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="k")
    other = client.post(
        "/api/v1/tickets/", {**BODY, "title": "另一个问题"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert Ticket.objects.count() == 1


def test_a_failed_request_does_not_use_up_its_key(api, world):
    client = api("enterprise_user")
    failed = client.post("/api/v1/tickets/", {**BODY, "category": "gone"}, HTTP_IDEMPOTENCY_KEY="k")
    assert failed.status_code == 400
    assert client.post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="k").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_file_one_ticket(world):
    """Four requests with the same key start together, each on its own database connection."""
    token = Token.objects.create(user=world.enterprise_user).key
    start = threading.Barrier(4)
    answers: list[tuple[int, str]] = []

    def post() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait(timeout=10)
            response = client.post(
                "/api/v1/tickets/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="same-retry"
            )
            answers.append((response.status_code, response.json().get("number")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 4
    assert {code for code, _n in answers} == {201}
    assert len({number for _c, number in answers}) == 1
    assert Ticket.objects.count() == 1


def test_old_idempotency_keys_are_forgotten(api, world):
    import datetime as dt

    from django.utils import timezone

    from api.models import IdempotencyKey
    from api.services import idempotency_keys_purge

    api("enterprise_user").post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="old-key")
    api("enterprise_user").post("/api/v1/tickets/", BODY, HTTP_IDEMPOTENCY_KEY="new-key")
    IdempotencyKey.objects.filter(key="old-key").update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new-key"]
