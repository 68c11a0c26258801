"""The queue and the ticket page make a fixed number of queries, whatever the number of rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.files import PDF_BYTES
from tickets.models import Action, Status
from tickets.services import ticket_transition

# The queue, for an official: 1 user, 2 official profile, 3 enterprise membership, 4 count for
# the paginator (up to 10,001 rows: tickets.paging), 5 the page of tickets (enterprise,
# district, category and parent, assignee and profile, department joined), 6 unread
# notifications under the bell, 7-8 the filter's choices: districts, departments (enterprises
# and categories are searched through their pickers, not listed). The office's calendar days
# (for the days left) are kept since the filings: no query.
QUEUE_QUERIES = 8
# The ticket page, for the assignee: 1 user, 2-3 profiles, 4 the ticket with its relations,
# 5 its notices marked read (one UPDATE), 6 coverage (its roles), 7 events with actors, their
# profiles and departments, 8 their attachments, 9 supporting departments, 10 duplicates,
# 11 the theme it belongs to (a panel themes add), 12 unread notifications. The calendar days
# are kept since the filing: no query.
DETAIL_QUERIES = 12


def many_tickets(make_ticket, count):
    return [make_ticket(Status.IN_PROGRESS if n % 2 else Status.SUBMITTED) for n in range(count)]


@pytest.mark.parametrize("count", [10, 100])
def test_the_queue_makes_the_same_queries_for_10_and_100_tickets(
    client, world, make_ticket, django_assert_num_queries, count
):
    many_tickets(make_ticket, count)
    client.force_login(world.official)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("tickets:queue"), {"ordering": "-submitted"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 25)


def test_past_its_cap_the_queue_says_more_than_and_still_pages(
    client, world, make_ticket, monkeypatch
):
    """A province's office sees "more than 10,000" rather than wait for a million to be
    counted; the lists behind the reports' figures still count exactly."""
    monkeypatch.setattr("tickets.paging.CappedPaginator.cap", 30)
    many_tickets(make_ticket, 31)
    client.force_login(world.office)

    first = client.get(reverse("tickets:queue"))
    text = first.content.decode()
    assert "超过30条诉求，请用筛选条件缩小范围" in text
    assert "第1页，共2页" in text
    second = client.get(reverse("tickets:queue"), {"page": 2})
    assert len(second.context["page"].object_list) == 5  # 26 to 30 of what was counted

    narrowed = client.get(reverse("tickets:queue"), {"status": Status.SUBMITTED})
    assert "共16条诉求" in narrowed.content.decode()
    assert "超过" not in narrowed.content.decode()
    today = timezone.localdate().isoformat()
    figure = client.get(
        reverse("reports:tickets"),
        {"figure": "submitted", "period_from": today, "period_to": today},
    )
    assert figure.context["page"].paginator.count == 31


@pytest.mark.parametrize("count", [10, 100])
def test_the_enterprise_list_makes_the_same_queries_for_10_and_100_tickets(
    client, world, make_ticket, django_assert_num_queries, count
):
    many_tickets(make_ticket, count)
    client.force_login(world.enterprise_user)
    # 1 user, 2-3 two profiles, 4 count, 5 page, 6 unread notifications (the calendar days are
    # kept since the filings)
    with django_assert_num_queries(6):
        response = client.get(reverse("tickets:mine"))
    assert response.status_code == 200


@pytest.mark.parametrize("events", [10, 100])
def test_the_ticket_page_makes_the_same_queries_for_10_and_100_events(
    client, world, make_ticket, django_assert_num_queries, events
):
    ticket = make_ticket(Status.IN_PROGRESS)
    for n in range(events):
        ticket_transition(
            ticket=ticket,
            actor=world.official if n % 2 else world.enterprise_user,
            action=Action.PROGRESS if n % 2 else Action.ADD_INFO,
            note=f"第{n}条记录",
            attachments=[SimpleUploadedFile(f"{n}.pdf", PDF_BYTES)] if n % 10 == 0 else [],
        )
    client.force_login(world.official)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="timeline') == 1
    assert len(response.context["events"]) == events + 4  # submit, accept, transfer, assign
