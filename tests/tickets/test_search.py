"""Finding a problem by part of its number, its enterprise's USCC or name, or its words."""

import pytest
from django.db import connection
from django.urls import reverse

from tickets.models import Status


@pytest.fixture
def tickets(world, make_ticket):
    power = make_ticket(Status.SUBMITTED, title="新增生产线需要扩容变压器")
    land = make_ticket(
        Status.SUBMITTED, enterprise=world.other_enterprise, title="厂区用地审批缓慢"
    )
    return power, land


def found(client, user, search) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("tickets:queue"), {"search": search})
    assert response.status_code == 200
    return sorted(t.number for t in response.context["page"].object_list)


def test_the_office_finds_a_ticket_by_any_part_of_its_number(client, world, tickets):
    power, land = tickets
    assert found(client, world.office, land.number[-8:]) == [land.number]  # "6-000002"
    assert found(client, world.office, power.number.lower()) == [power.number]


def test_the_office_finds_tickets_by_the_enterprises_uscc_or_name(client, world, tickets):
    _power, land = tickets
    assert found(client, world.office, world.other_enterprise.uscc[-8:]) == [land.number]
    assert found(client, world.office, world.other_enterprise.uscc) == [land.number]
    assert found(client, world.office, "宽城光电") == [land.number]


def test_the_office_finds_tickets_by_words_of_title_and_description(client, world, tickets):
    power, land = tickets
    assert found(client, world.office, "扩容变压器") == [power.number]  # its title
    assert found(client, world.office, "审批缓慢") == [land.number]
    both = sorted([power.number, land.number])
    assert found(client, world.office, "现有变压器容量") == both  # their description
    assert found(client, world.office, "氢能源") == []


def test_a_search_finds_nothing_the_user_may_not_see(client, world, tickets):
    assert found(client, world.official, "宽城光电") == []
    assert found(client, world.official, "用地") == []


def test_the_api_searches_the_same_way(client, world, tickets):
    _power, land = tickets
    client.force_login(world.office)
    response = client.get("/api/v1/tickets/", {"search": world.other_enterprise.uscc[-8:]})
    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == [land.number]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
@pytest.mark.parametrize(
    "index", ["ticket_number_trgm_idx", "ticket_title_trgm_idx", "ticket_description_trgm_idx"]
)
def test_the_search_can_answer_from_trigram_indexes(world, tickets, index):
    from tickets.models import Ticket
    from tickets.search import search_condition

    query = Ticket.objects.filter(search_condition("变压器")).order_by().values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        # A table of two rows would be read whole: make the planner show what it can do.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan
