"""Who may see and do what through the API: the web's table, answered in API terms.

Invisible and nonexistent both answer 404; visible but not allowed answers 403; the
anonymous get 401. Nothing changes unless the answer is 200.
"""

from __future__ import annotations

import pytest

from tests.conftest import PERSONAS
from tickets.models import Status, Ticket

ROWS = {
    #              anon ent  ent2 off  unrel coord offc lead dlead
    "detail": (401, 200, 404, 200, 404, 200, 200, 200, 404),
    "accept_new": (401, 403, 404, 200, 404, 404, 200, 200, 404),
    "resolve": (401, 403, 404, 200, 404, 200, 200, 403, 404),
    "rate": (401, 200, 404, 403, 404, 403, 403, 403, 404),
}


def expect(row: str, persona: str) -> int:
    return dict(zip(PERSONAS, ROWS[row], strict=True))[persona]


def client(api, persona):
    return api(None if persona == "anonymous" else persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_ticket_is_not_found_for_those_who_may_not_see_it(api, world, make_ticket, persona):
    ticket = make_ticket(Status.IN_PROGRESS)
    response = client(api, persona).get(f"/api/v1/tickets/{ticket.number}/")
    assert response.status_code == expect("detail", persona)
    if response.status_code == 404:
        missing = client(api, persona).get("/api/v1/tickets/ZQ-2026-999999/")
        assert missing.status_code == 404
        assert missing.json() == response.json()


@pytest.mark.parametrize("persona", PERSONAS)
def test_accepting_is_for_the_office_and_the_covering_officials(api, world, make_ticket, persona):
    ticket = make_ticket(Status.SUBMITTED)
    response = client(api, persona).post(f"/api/v1/tickets/{ticket.number}/accept/", {})
    assert response.status_code == expect("accept_new", persona)
    accepted = Ticket.objects.get(pk=ticket.pk).status == Status.ACCEPTED
    assert accepted == (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_resolving_is_for_the_assignee_its_coordinator_and_the_office(
    api, world, make_ticket, persona
):
    ticket = make_ticket(Status.IN_PROGRESS)
    response = client(api, persona).post(
        f"/api/v1/tickets/{ticket.number}/resolve/",
        {"outcome": "solved", "resolution": "已完成扩容"},
    )
    assert response.status_code == expect("resolve", persona)
    if response.status_code == 403:
        assert response.json()["code"] in ("permission_denied", "forbidden")
    resolved = Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED
    assert resolved == (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_enterprise_rates(api, world, make_ticket, persona):
    ticket = make_ticket(Status.RESOLVED)
    response = client(api, persona).post(
        f"/api/v1/tickets/{ticket.number}/rate/", {"rating": "satisfied"}
    )
    assert response.status_code == expect("rate", persona)
    closed = Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
    assert closed == (response.status_code == 200)


def test_the_list_shows_each_persona_what_the_web_queue_shows(api, world, make_ticket):
    mine = make_ticket(Status.SUBMITTED)
    theirs = make_ticket(Status.SUBMITTED, enterprise=world.other_enterprise)

    def numbers(persona) -> set[str]:
        return {t["number"] for t in client(api, persona).get("/api/v1/tickets/").json()["results"]}

    assert numbers("enterprise_user") == {mine.number}
    assert numbers("other_enterprise_user") == {theirs.number}
    assert numbers("office") == {mine.number, theirs.number}
    assert numbers("unrelated_official") == set()
    assert numbers("district_leader") == {theirs.number}


def test_an_enterprise_user_cannot_name_another_enterprise(api, world):
    response = api("enterprise_user").post(
        "/api/v1/tickets/",
        {
            "enterprise": world.other_enterprise.uscc,
            "category": "power",
            "title": "冒名提交",
            "description": "试图替别的企业提交诉求",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "enterprise" in response.json()
    assert not Ticket.objects.exists()


def test_an_enterprise_user_may_name_its_own_enterprise(api, world):
    response = api("enterprise_user").post(
        "/api/v1/tickets/",
        {
            "enterprise": world.enterprise.uscc.lower(),
            "category": "power",
            "title": "用电",
            "description": "变压器容量不足",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Ticket.objects.get().enterprise == world.enterprise


def test_an_official_files_only_for_the_enterprises_it_covers(api, world):
    body = {
        "category": "power",
        "title": "代企业提交",
        "description": "电话反映",
        "channel": "phone",
    }
    covered = api("official").post(
        "/api/v1/tickets/", {**body, "enterprise": world.enterprise.uscc}, format="json"
    )
    assert covered.status_code == 201
    assert covered.json()["channel"] == "phone"
    # The city leader sees every enterprise but covers only world.enterprise: visible, not allowed.
    refused = api("leader").post(
        "/api/v1/tickets/", {**body, "enterprise": world.other_enterprise.uscc}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert Ticket.objects.count() == 1


def test_only_the_office_adds_enterprises(api, world):
    from tests.factories import valid_uscc

    body = {
        "uscc": valid_uscc(424242),
        "name": "新落户企业有限公司",
        "district": "nanguan",
        "revenue_tier": "c",
    }
    assert api("leader").post("/api/v1/enterprises/", body, format="json").status_code == 403
    assert (
        api("enterprise_user").post("/api/v1/enterprises/", body, format="json").status_code == 403
    )
    created = api("office").post("/api/v1/enterprises/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["district_name"] == "南关区"
    again = api("office").post("/api/v1/enterprises/", body, format="json")
    assert again.status_code == 400 and "uscc" in again.json()
    bad = api("office").post(
        "/api/v1/enterprises/", {**body, "uscc": body["uscc"][:-1] + "0"}, format="json"
    )
    if bad.status_code != 400:  # the check character happened to be 0
        bad = api("office").post(
            "/api/v1/enterprises/", {**body, "uscc": body["uscc"][:-1] + "1"}, format="json"
        )
    assert bad.status_code == 400 and "uscc" in bad.json()


def test_enterprises_are_what_the_caller_may_see(api, world):
    def usccs(persona) -> set[str]:
        return {e["uscc"] for e in api(persona).get("/api/v1/enterprises/").json()["results"]}

    assert usccs("enterprise_user") == {world.enterprise.uscc}
    assert usccs("office") == {world.enterprise.uscc, world.other_enterprise.uscc}
    own = api("enterprise_user").get(f"/api/v1/enterprises/{world.enterprise.uscc}/")
    other = api("enterprise_user").get(f"/api/v1/enterprises/{world.other_enterprise.uscc}/")
    assert own.status_code == 200 and other.status_code == 404
