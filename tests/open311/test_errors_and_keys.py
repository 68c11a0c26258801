"""Open311 errors in the spec's format, keys that stop working, and who may follow what."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree

from integrations.models import IntegrationKey
from integrations.services import integration_create, integration_key_issue, integration_key_revoke
from tickets.models import Ticket

from .conftest import HOTLINE_KEY
from .test_georeport import BASE, file_problem


def errors_of(response) -> list[tuple[int, str]]:
    if response["Content-Type"].startswith("text/xml"):
        root = ElementTree.fromstring(response.content)
        assert root.tag == "errors"
        return [(int(e.findtext("code")), e.findtext("description")) for e in root]
    return [(e["code"], e["description"]) for e in response.json()]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_filing_without_a_key_is_forbidden_and_files_nothing(client, world, hotline, fmt):
    response = file_problem(client, world, fmt, api_key="")
    assert response.status_code == 403
    [(code, description)] = errors_of(response)
    assert code == 403 and "api_key" in description
    assert not Ticket.objects.exists()


def test_a_revoked_key_stops_working(client, world, hotline):
    assert file_problem(client, world, "json").status_code == 200
    integration_key_revoke(key=IntegrationKey.objects.get(integration=hotline))
    assert file_problem(client, world, "json").status_code == 403
    number = Ticket.objects.get().number
    followed = client.get(f"{BASE}/requests/{number}.json", {"api_key": HOTLINE_KEY})
    assert followed.status_code == 403
    assert Ticket.objects.count() == 1


def test_a_switched_off_integration_cannot_file(client, world, hotline):
    hotline.is_active = False
    hotline.save()
    assert file_problem(client, world, "json").status_code == 403


@pytest.mark.parametrize(
    "change,field",
    [
        ({"service_code": "no-such-service"}, "service_code"),
        ({"attribute[uscc]": "91220101000000001X"}, "attribute[uscc]"),  # wrong check character
        ({"attribute[uscc]": ""}, "attribute[uscc]"),
        ({"description": ""}, "description"),
        ({"lat": "43.8"}, "long"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, world, hotline, change, field):
    response = file_problem(client, world, "json", **change)
    assert response.status_code == 400
    assert any(description.startswith(f"{field}:") for _code, description in errors_of(response))
    assert not Ticket.objects.exists()


def test_an_unknown_enterprise_is_a_400(client, world, hotline):
    from tests.factories import valid_uscc

    response = file_problem(client, world, "xml", **{"attribute[uscc]": valid_uscc(999999)})
    assert response.status_code == 400
    [(code, description)] = errors_of(response)
    assert code == 400 and description.startswith("attribute[uscc]:")


def test_messages_speak_chinese_first_and_english_on_request(client, world, hotline):
    chinese = file_problem(client, world, "json", service_code="nope")
    english = client.post(
        f"{BASE}/requests.json",
        {"api_key": HOTLINE_KEY, "service_code": "nope"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "没有" in errors_of(chinese)[0][1]
    assert "There is no service with this code." in [
        d.split(": ", 1)[1] for _c, d in errors_of(english)
    ]


def test_one_integration_cannot_follow_another_ones_problems(client, world, hotline):
    other = integration_create(name="wechat-bot")
    integration_key_issue(integration=other, raw="wechat-bot-key-0123456789")
    [answer] = file_problem(client, world, "json").json()
    number = answer["service_request_id"]
    theirs = client.get(f"{BASE}/requests/{number}.json", {"api_key": "wechat-bot-key-0123456789"})
    missing = client.get(f"{BASE}/requests/ZQ-2026-999999.json", {"api_key": HOTLINE_KEY})
    assert theirs.status_code == missing.status_code == 404
    listed = client.get(f"{BASE}/requests.json", {"api_key": "wechat-bot-key-0123456789"})
    assert listed.json() == []
    token = client.get(
        f"{BASE}/tokens/{answer['token']}.json", {"api_key": "wechat-bot-key-0123456789"}
    )
    assert token.status_code == 404


def test_without_a_key_or_a_session_no_request_exists(client, world, hotline):
    [answer] = file_problem(client, world, "json").json()
    number = answer["service_request_id"]
    assert client.get(f"{BASE}/requests/{number}.json").status_code == 404
    assert client.get(f"{BASE}/requests.json").json() == []
    client.force_login(world.office)  # a signed-in user sees what the web shows it
    assert client.get(f"{BASE}/requests/{number}.json").status_code == 200
    client.force_login(world.other_enterprise_user)
    assert client.get(f"{BASE}/requests/{number}.json").status_code == 404


def test_filtering_requests_by_status_and_service(client, world, hotline, make_ticket):
    [answer] = file_problem(client, world, "json").json()
    query = {"api_key": HOTLINE_KEY}
    open_ = client.get(f"{BASE}/requests.json", {**query, "status": "open"}).json()
    closed = client.get(f"{BASE}/requests.json", {**query, "status": "closed"}).json()
    other = client.get(f"{BASE}/requests.json", {**query, "service_code": "land"}).json()
    old = client.get(
        f"{BASE}/requests.json",
        {**query, "start_date": "2020-01-01T00:00:00+08:00", "end_date": "2020-02-01T00:00:00Z"},
    ).json()
    assert [r["service_request_id"] for r in open_] == [answer["service_request_id"]]
    assert closed == other == old == []
    bad = client.get(f"{BASE}/requests.json", {**query, "start_date": "yesterday"})
    assert bad.status_code == 400
    assert client.get(f"{BASE}/requests.json", {**query, "status": "lost"}).status_code == 400


def test_unknown_services_and_paths_answer_404_in_the_spec_format(client, world):
    assert errors_of(client.get(f"{BASE}/services/nope.json"))[0][0] == 404
    response = client.get(f"{BASE}/nothing-here.xml")
    assert response.status_code == 404
    assert errors_of(response)[0][0] == 404


def test_filing_too_fast_is_throttled(client, world, hotline, settings):
    settings.OPEN311_SUBMIT_RATE = "2/d"  # per day: see tests/api/test_throttling.py
    assert file_problem(client, world, "json").status_code == 200
    assert file_problem(client, world, "json").status_code == 200
    throttled = file_problem(client, world, "xml")
    assert throttled.status_code == 429
    assert errors_of(throttled)[0][0] == 429
    assert int(throttled["Retry-After"]) >= 1
    assert Ticket.objects.count() == 2


def test_listing_requests_takes_the_same_queries_for_one_or_many(
    client, world, hotline, django_assert_num_queries
):
    file_problem(client, world, "json")

    def listed() -> int:
        return len(client.get(f"{BASE}/requests.json", {"api_key": HOTLINE_KEY}).json())

    # 1 the key (with its integration and user: the user's integration, whose requests these
    # are, is known from it), 2 the user's official profile, 3 its member profile, 4 the
    # requests with enterprise, category, department and Open311 row joined and the last public
    # note as a subquery.
    with django_assert_num_queries(4):
        assert listed() == 1
    for _n in range(5):
        file_problem(client, world, "json")
    with django_assert_num_queries(4):
        assert listed() == 6
