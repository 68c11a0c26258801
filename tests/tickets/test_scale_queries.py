"""At province scale the pages make a fixed number of queries: no list of every enterprise or
official, whatever the number of them, of tickets or of events."""

import pytest
from django.urls import reverse

from tests import factories as f
from tickets.models import Status


@pytest.fixture(params=[10, 60])
def crowd(request, world, make_ticket):
    """`n` more enterprises and officials, and tickets of them (the count must not matter)."""
    n = request.param
    for i in range(n):
        enterprise = f.EnterpriseFactory(name=f"规模企业{i:03d}有限公司", district=world.district)
        f.OfficialFactory(user=f.UserFactory(username=f"crowd{i:03d}"), name=f"干部{i:03d}")
        if i % 10 == 0:
            make_ticket(Status.ACCEPTED, enterprise=enterprise)
    make_ticket(Status.ACCEPTED)
    return n


def test_the_queue_filtered_and_searched_makes_a_fixed_number_of_queries(
    client, world, crowd, django_assert_num_queries
):
    client.force_login(world.office)
    query = {"enterprise": world.enterprise.pk, "category": world.category.pk, "search": "变压器"}
    # 1 user, 2 official profile, 3 the chosen category and 4 the chosen enterprise (each in
    # the user's scope, also labelling its search box), 5 the enterprises whose name or USCC
    # matches the search, 6 count for the paginator, 7 the page of tickets, 8 enterprise
    # membership, 9 unread notifications, 10-11 the district and department choices. The
    # calendar (days left, the office's banner) is kept since the filings: no query.
    with django_assert_num_queries(11):
        response = client.get(reverse("tickets:queue"), query)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_the_ticket_page_with_the_assign_form_makes_a_fixed_number_of_queries(
    client, world, crowd, django_assert_num_queries
):
    ticket = world.enterprise.tickets.get()
    client.force_login(world.office)
    # 1 user, 2 official profile, 3 the ticket with its relations, 4 its notices marked read
    # (one UPDATE), 5 enterprise membership, 6 coverage (its roles), 7 events with actors,
    # 8 their attachments, 9 supporting departments, 10 duplicates, 11 the theme it belongs to
    # and 12 the problems most like it (the panels themes add), 13 unread notifications,
    # 14-15 the transfer form's departments (lead and supporting). The assign form's officials
    # are a search box, and the calendar (days left, the office's banner) is kept since the
    # filings: no query.
    with django_assert_num_queries(15):
        response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    assert "干部000" not in response.content.decode()  # no list of officials


def test_the_enterprise_list_makes_a_fixed_number_of_queries(
    client, world, crowd, django_assert_num_queries
):
    client.force_login(world.office)
    # 1 user, 2 official profile, 3 count for the paginator, 4 enterprise membership,
    # 5 unread notifications, 6-7 the district and chain choices, 8 the page of enterprises,
    # 9 their primary covering leaders. The calendar (the office's banner) is kept since the
    # filings: no query.
    with django_assert_num_queries(9):
        response = client.get(reverse("exchange:enterprise-list"), {"search": "规模企业"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(crowd, 50)


def test_the_enterprise_picker_makes_a_fixed_number_of_queries(
    client, world, crowd, django_assert_num_queries
):
    client.force_login(world.office)
    # 1 user, 2 official profile (is it the office?), 3 at most 20 matches.
    with django_assert_num_queries(3):
        response = client.get(reverse("enterprises:pick", args=["enterprises"]), {"q": "规模"})
    assert len(response.json()["results"]) == min(crowd, 20)
