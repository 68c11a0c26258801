"""Every error is JSON of one shape, and nothing changes on any of them."""

from __future__ import annotations

import pytest

from tickets.models import Status, Ticket


def events(ticket: Ticket) -> int:
    return Ticket.objects.get(pk=ticket.pk).events.count()


def test_without_credentials_the_answer_is_401(api, world, make_ticket):
    ticket = make_ticket(Status.SUBMITTED)
    for response in (
        api(None).get("/api/v1/tickets/"),
        api(None).post(f"/api/v1/tickets/{ticket.number}/accept/", {}, format="json"),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response.json()["detail"]
        assert response["WWW-Authenticate"] == "Token"
    assert events(ticket) == 1


def test_a_wrong_token_is_401(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/tickets/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_bad_input_is_400_with_the_errors_of_each_field(api, world):
    response = api("enterprise_user").post(
        "/api/v1/tickets/", {"category": "no-such-category", "title": ""}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"category", "title", "description"}
    assert all(isinstance(m, str) for messages in body.values() for m in messages)
    assert not Ticket.objects.exists()


def test_a_body_that_is_not_json_is_400_too(api, world):
    response = api("office").post("/api/v1/tickets/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_a_refused_move_is_409_invalid_transition(api, world, make_ticket):
    ticket = make_ticket(Status.ACCEPTED)
    response = api("office").post(f"/api/v1/tickets/{ticket.number}/accept/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"]
    assert events(ticket) == 2


def test_a_service_rule_broken_is_400_under_the_api_field_name(api, world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    response = api("official").post(
        f"/api/v1/tickets/{ticket.number}/request-extension/",
        {"working_days": 0, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "working_days" in response.json()
    outsider = api("coordinator").post(
        f"/api/v1/tickets/{ticket.number}/assign/",
        {"official": "unrelated"},  # an official of another department
        format="json",
    )
    assert outsider.status_code == 400
    assert "official" in outsider.json()
    assert events(ticket) == 4


def test_an_unknown_official_or_department_is_400(api, world, make_ticket):
    ticket = make_ticket(Status.ACCEPTED)
    office = api("office")
    base = f"/api/v1/tickets/{ticket.number}"
    assert "official" in office.post(f"{base}/assign/", {"official": "nobody"}).json()
    assert "department" in office.post(f"{base}/transfer/", {"department": "nope"}).json()
    assert "into" in office.post(f"{base}/merge/", {"into": "ZQ-1999-000001"}).json()
    assert events(ticket) == 2


@pytest.mark.parametrize(
    "language,words", [(None, "该字段是必填项"), ("en", "This field is required")]
)
def test_messages_are_chinese_first_and_english_on_request(api, world, language, words):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = api("office").post("/api/v1/tickets/", {}, format="json", **headers)
    assert words in response.json()["title"][0]


def test_our_own_messages_are_translated_too(api, world):
    chinese = api("office").post(
        "/api/v1/tickets/", {"category": "power", "title": "t", "description": "d"}, format="json"
    )
    english = api("office").post(
        "/api/v1/tickets/",
        {"category": "power", "title": "t", "description": "d"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["enterprise"] == [
        "Name the enterprise by its unified social credit code."
    ]
    assert chinese.json()["enterprise"][0] != english.json()["enterprise"][0]
