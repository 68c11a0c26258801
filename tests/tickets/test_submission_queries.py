"""Filing a problem makes a fixed, small number of queries: each one named below. No row that
every submission writes is updated in place (the number comes from a sequence, the rollup's
change is appended), so concurrent submissions do not queue behind each other."""

import re

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.selectors import active_categories
from tickets.models import Ticket
from tickets.services import ticket_submit

# The categories, the office's calendar days, the group robots and the webhooks are master data
# the process keeps (ops.masterdata): no query reads them.
#
# The web form's POST, for an enterprise user:
#  1 the user, 2 its enterprise membership (enterprise, district), 3 its official profile
#  (none), 4 BEGIN, 5 claim the form's one-time token (INSERT … ON CONFLICT DO NOTHING),
#  6 SAVEPOINT (the submission's own atomic block), 7 the year's number (nextval of its
#  sequence), 8 INSERT the ticket, 9 append its counts to the rollup (INSERT … SELECT),
#  10 INSERT the submit event, 11 who hears of it (the covering officials, with their
#  notification preferences, in one query), 12 INSERT their notifications (one statement),
#  13 INSERT their e-mails into the outbox (one statement), 14 RELEASE SAVEPOINT, 15 the
#  token's ticket, 16 COMMIT.
WEB_SUBMISSION_QUERIES = 16
# The API's POST: 1 the token and its user, 2 the enterprise membership, 3 BEGIN, 4 the official
# profile (none: the roles), 5 the number, 6 INSERT the ticket, 7 the rollup's append, 8 INSERT
# the event, 9 who hears of it (with their preferences), 10 INSERT the notifications, 11 INSERT
# the e-mails, 12 COMMIT. The 201 answer is built from what is in hand: nothing is read back.
API_SUBMISSION_QUERIES = 12


def _the_years_first_problem(world) -> None:
    """The year's first submission makes its number sequence (tickets.numbers), and the process
    reads the master data it keeps (the categories, the calendar, robots and webhooks); not
    counted."""
    active_categories()
    ticket_submit(
        enterprise=world.enterprise,
        category=world.category,
        title="今年的第一个诉求",
        description="建立本年度编号序列",
        submitted_by=world.office,
    )


def test_filing_through_the_web_form_makes_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    _the_years_first_problem(world)
    client.force_login(world.enterprise_user)
    form = client.get(reverse("tickets:create")).content.decode()
    token = re.search(r'name="form_token" value="([^"]*)"', form).group(1)
    with django_assert_num_queries(WEB_SUBMISSION_QUERIES):
        response = client.post(
            reverse("tickets:create"),
            {
                "form_token": token,
                "category": world.category.pk,
                "title": "新增生产线需要扩容变压器",
                "description": "现有变压器容量不足，请协调扩容。",
            },
        )
    assert response.status_code == 302
    ticket = Ticket.objects.latest("pk")
    assert response["Location"] == ticket.get_absolute_url()


def test_filing_through_the_api_makes_a_fixed_number_of_queries(world, django_assert_num_queries):
    _the_years_first_problem(world)
    client = APIClient()
    token = Token.objects.create(user=world.enterprise_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_num_queries(API_SUBMISSION_QUERIES):
        response = client.post(
            "/api/v1/tickets/",
            {
                "category": world.category.code,
                "title": "新增生产线需要扩容变压器",
                "description": "现有变压器容量不足，请协调扩容。",
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.latest("pk")
    body = response.json()
    assert body["number"] == ticket.number
    assert [event["action"] for event in body["events"]] == ["submit"]
    assert body["enterprise"]["district"] == world.enterprise.district.code
