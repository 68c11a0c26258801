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
    # 1 session, 2 user, 3 official profile, 4 the chosen category and 5 the chosen enterprise
    # (each in the user's scope, also labelling its search box), 6 the enterprises whose name
    # or USCC matches the search, 7 count for the paginator, 8 calendar days (days left),
    # 9 the page of tickets, 10 enterprise membership, 11 calendar days (the office's banner),
    # 12 unread notifications, 13-14 the district and department choices.
    with django_assert_num_queries(14):
        response = client.get(reverse("tickets:queue"), query)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_the_ticket_page_with_the_assign_form_makes_a_fixed_number_of_queries(
    client, world, crowd, django_assert_num_queries
):
    ticket = world.enterprise.tickets.get()
    client.force_login(world.office)
    # 1 session, 2 user, 3 official profile, 4 the ticket with its relations, 5 enterprise
    # membership, 6 coverage (its roles), 7 events with actors, 8 their attachments,
    # 9 calendar days, 10 supporting departments, 11 duplicates, 12 calendar days (the office's
    # banner), 13 unread notifications, 14-15 the transfer form's departments (lead and
    # supporting), 16 its notices marked read (one UPDATE), 17 the theme it belongs to and
    # 18 the problems most like it (the panels themes add). The assign form's officials are a
    # search box: no query.
    with django_assert_num_queries(18):
        response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    assert "干部000" not in response.content.decode()  # no list of officials


def test_the_enterprise_list_makes_a_fixed_number_of_queries(
    client, world, crowd, django_assert_num_queries
):
    client.force_login(world.office)
    # 1 session, 2 user, 3 official profile, 4 count for the paginator, 5 enterprise
    # membership, 6 calendar days (the office's banner), 7 unread notifications, 8 the page of
    # enterprises, 9 their primary covering leaders, 10-11 the district and chain choices.
    with django_assert_num_queries(11):
        response = client.get(reverse("exchange:enterprise-list"), {"search": "规模企业"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(crowd, 50)


def test_the_enterprise_picker_makes_a_fixed_number_of_queries(
    client, world, crowd, django_assert_num_queries
):
    client.force_login(world.office)
    # 1 session, 2 user, 3 official profile (is it the office?), 4 at most 20 matches.
    with django_assert_num_queries(4):
        response = client.get(reverse("enterprises:pick", args=["enterprises"]), {"q": "规模"})
    assert len(response.json()["results"]) == min(crowd, 20)
