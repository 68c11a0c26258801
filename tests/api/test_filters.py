"""The list takes the web queue's filters, naming things by code and USCC."""

from __future__ import annotations

from tickets.models import Status


def test_the_list_filters_like_the_queue(api, world, make_ticket):
    submitted = make_ticket(Status.SUBMITTED)
    working = make_ticket(Status.IN_PROGRESS, category=world.complex_category, title="用地指标")
    elsewhere = make_ticket(Status.SUBMITTED, enterprise=world.other_enterprise)
    client = api("office")

    def numbers(**query) -> list[str]:
        response = client.get("/api/v1/tickets/", query)
        assert response.status_code == 200, response.content
        return sorted(t["number"] for t in response.json()["results"])

    assert numbers(status="submitted") == sorted([submitted.number, elsewhere.number])
    assert numbers(category="land") == [working.number]
    assert numbers(district="kuancheng") == [elsewhere.number]
    assert numbers(enterprise=world.other_enterprise.uscc) == [elsewhere.number]
    assert numbers(search="用地") == [working.number]
    assert numbers(overdue="false") == sorted([submitted.number, working.number, elsewhere.number])
    assert numbers(submitted_after="2000-01-01", submitted_before="2000-12-31") == []


def test_a_bad_filter_value_is_a_400(api, world):
    response = api("office").get("/api/v1/tickets/", {"category": "no-such", "status": "lost"})
    assert response.status_code == 400
    assert set(response.json()) == {"category", "status"}


def test_pages_carry_count_next_and_previous(api, world, make_ticket):
    for _n in range(3):
        make_ticket(Status.SUBMITTED)
    page = api("office").get("/api/v1/tickets/", {"page_size": 2}).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 3 and len(page["results"]) == 2 and page["previous"] is None
    assert api("office").get(page["next"]).json()["previous"] is not None
