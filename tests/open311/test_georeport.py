"""Filing and following a problem through Open311 GeoReport v2, in JSON and in XML."""

from __future__ import annotations

import datetime as dt

import pytest
from defusedxml import ElementTree

from tickets.models import Action, Outcome
from tickets.services import ticket_transition

from .conftest import HOTLINE_KEY

BASE = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def file_problem(client, world, fmt: str, **extra):
    return client.post(
        f"{BASE}/requests.{fmt}",
        {
            "api_key": HOTLINE_KEY,
            "service_code": "power",
            "attribute[uscc]": world.enterprise.uscc,
            "description": "企业来电：园区频繁停电影响生产\n请尽快协调。",
            "first_name": "静",
            "last_name": "陈",
            "phone": "0431-88886666",
            "email": "chen@example.cn",
            **extra,
        },
    )


def work_the_problem(world, number: str) -> None:
    """The office accepts it and hands it to 工信局; the official solves it."""
    from tickets.models import Ticket

    ticket = Ticket.objects.get(number=number)
    ticket_transition(ticket=ticket, actor=world.office, action=Action.ACCEPT)
    ticket_transition(
        ticket=ticket, actor=world.office, action=Action.TRANSFER, department=world.department
    )
    ticket_transition(
        ticket=ticket, actor=world.coordinator, action=Action.ASSIGN, assignee=world.official
    )
    ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.RESOLVE,
        outcome=Outcome.SOLVED,
        resolution="已协调供电公司更换线路",
    )


def test_a_client_files_and_follows_a_problem_in_json(client, world, hotline, georeport):
    services = client.get(f"{BASE}/services.json")
    assert services.status_code == 200
    assert services["Content-Type"].startswith("application/json")
    georeport("services.json", services.json())
    assert "power" in [s["service_code"] for s in services.json()]

    definition = client.get(f"{BASE}/services/power.json").json()
    georeport("service-definition.json", definition)
    uscc = next(a for a in definition["attributes"] if a["code"] == "uscc")
    assert uscc["required"] is True and uscc["datatype"] == "string"

    filed = file_problem(client, world, "json")
    assert filed.status_code == 200, filed.content
    [answer] = filed.json()
    number, token = answer["service_request_id"], answer["token"]
    assert number.startswith("ZQ-")

    followed = client.get(f"{BASE}/requests/{number}.json", {"api_key": HOTLINE_KEY}).json()
    georeport("requests.json", followed)
    [request] = followed
    assert list(request) == REQUEST_FIELDS
    assert request["status"] == "open"
    assert request["address"] == world.enterprise.address or request["address"] is None
    assert request["agency_responsible"] is None and request["expected_datetime"] is None
    moment = dt.datetime.fromisoformat(request["requested_datetime"])
    assert moment.utcoffset() == dt.timedelta(hours=8)  # ISO 8601 with its offset (Shanghai)

    by_token = client.get(f"{BASE}/tokens/{token}.json", {"api_key": HOTLINE_KEY}).json()
    assert by_token == [{"service_request_id": number, "token": token}]

    work_the_problem(world, number)
    [done] = client.get(f"{BASE}/requests/{number}.json", {"api_key": HOTLINE_KEY}).json()
    georeport("request.json", done)
    assert done["status"] == "closed"
    assert done["status_notes"] == "已协调供电公司更换线路"
    assert done["agency_responsible"] == world.department.name
    assert done["expected_datetime"] is not None

    listed = client.get(
        f"{BASE}/requests.json", {"api_key": HOTLINE_KEY, "service_request_id": number}
    ).json()
    georeport("requests.json", listed)
    assert [r["service_request_id"] for r in listed] == [number]


def test_a_client_files_and_follows_a_problem_in_xml(client, world, hotline):
    services = client.get(f"{BASE}/services.xml")
    assert services["Content-Type"].startswith("text/xml")
    assert services.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ElementTree.fromstring(services.content)
    assert root.tag == "services"
    power = next(s for s in root.findall("service") if s.findtext("service_code") == "power")
    assert power.findtext("metadata") == "true"
    assert power.findtext("type") == "realtime"

    definition = ElementTree.fromstring(client.get(f"{BASE}/services/power.xml").content)
    assert definition.tag == "service_definition"
    codes = [a.findtext("code") for a in definition.find("attributes").findall("attribute")]
    assert codes[0] == "uscc"

    filed = file_problem(
        client, world, "xml", address_string="南关区产业路1号", lat="43.88", long="125.35"
    )
    assert filed.status_code == 200, filed.content
    answer = ElementTree.fromstring(filed.content)
    assert answer.tag == "service_requests"
    number = answer.find("request").findtext("service_request_id")
    token = answer.find("request").findtext("token")

    work_the_problem(world, number)
    followed = ElementTree.fromstring(
        client.get(f"{BASE}/requests/{number}.xml", {"api_key": HOTLINE_KEY}).content
    )
    assert followed.tag == "service_requests"
    [request] = followed.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == "已协调供电公司更换线路"
    assert request.findtext("address") == "南关区产业路1号"
    assert float(request.findtext("lat")) == pytest.approx(43.88)
    assert request.findtext("agency_responsible") == world.department.name

    by_token = ElementTree.fromstring(
        client.get(f"{BASE}/tokens/{token}.xml", {"api_key": HOTLINE_KEY}).content
    )
    assert by_token.find("request").findtext("service_request_id") == number

    discovery = ElementTree.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert discovery.tag == "discovery"
    endpoint = discovery.find("endpoints").find("endpoint")
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]


def test_the_enterprise_address_is_the_location_when_none_is_given(client, world, hotline):
    world.enterprise.address = "南关区长春大街100号"
    world.enterprise.save()
    [answer] = file_problem(client, world, "json").json()
    [request] = client.get(
        f"{BASE}/requests/{answer['service_request_id']}.json", {"api_key": HOTLINE_KEY}
    ).json()
    assert request["address"] == "南关区长春大街100号"


def test_the_problem_is_filed_by_the_integration_on_its_channel(client, world, hotline):
    from tickets.models import Ticket

    [answer] = file_problem(client, world, "json").json()
    ticket = Ticket.objects.get(number=answer["service_request_id"])
    assert ticket.submitted_by == hotline.user
    assert ticket.channel == "hotline"
    assert ticket.enterprise == world.enterprise
    assert ticket.contact_name == "陈静"
    assert ticket.title == "企业来电：园区频繁停电影响生产"
    assert ticket.events.get().actor == hotline.user
