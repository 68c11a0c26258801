"""The list endpoints take a number of queries that does not grow with the rows."""

from __future__ import annotations

from tickets.models import Status


def test_the_ticket_list_takes_the_same_queries_for_one_or_many(
    api, world, make_ticket, django_assert_num_queries
):
    client = api("office")
    make_ticket(Status.IN_PROGRESS)
    # 1 the token with its user, 2 the official profile, 3 the count, 4 the page of tickets
    # with enterprise, district, category, assignee, department and merged-into joined, 5 the
    # member profile (asked for once the page is read).
    with django_assert_num_queries(5):
        assert client.get("/api/v1/tickets/").json()["count"] == 1
    for status in (Status.SUBMITTED, Status.ACCEPTED, Status.RESOLVED, Status.REOPENED):
        make_ticket(status)
    with django_assert_num_queries(5):
        assert client.get("/api/v1/tickets/").json()["count"] == 5


def test_the_filtered_list_as_an_official_stays_flat_too(
    api, world, make_ticket, django_assert_num_queries
):
    client = api("official")
    make_ticket(Status.IN_PROGRESS)
    query = {"status": ["in_progress", "submitted"], "district": "nanguan", "category": "power"}
    # 1 the token with its user, 2 the official profile, 3 the member profile, 4 the category
    # and 5 the district named in the filter, 6 the count, 7 the page.
    with django_assert_num_queries(7):
        assert client.get("/api/v1/tickets/", query).json()["count"] == 1
    for _n in range(4):
        make_ticket(Status.IN_PROGRESS)
    with django_assert_num_queries(7):
        assert client.get("/api/v1/tickets/", query).json()["count"] == 5


def test_the_enterprise_list_takes_the_same_queries_for_one_or_many(
    api, world, django_assert_num_queries
):
    from tests.factories import EnterpriseFactory

    client = api("office")
    # 1 the token with its user, 2 the official profile (an official is no enterprise member:
    # the member profile is not asked for), 3 the count, 4 the page with districts joined.
    with django_assert_num_queries(4):
        assert client.get("/api/v1/enterprises/").json()["count"] == 2
    EnterpriseFactory.create_batch(6)
    with django_assert_num_queries(4):
        assert client.get("/api/v1/enterprises/").json()["count"] == 8


def test_the_category_list_is_one_query(api, world, django_assert_num_queries):
    client = api("enterprise_user")
    with django_assert_num_queries(2):  # token with its user, categories with parents
        assert len(client.get("/api/v1/categories/").json()) > 5
