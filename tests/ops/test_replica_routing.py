"""Which database each read takes when a reports replica is configured (ops.replica).

These run on the test database twice over: the alias "reports" is a second connection to it,
so each test sees which connection a page's queries took. tests/ops/test_replica.py does the
same against a real streaming replica.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.models import Official
from ops.replica import PIN_COOKIE, ReplicaRouter, primary_reads, replica_reads
from reports.models import Bulletin, DayFigures
from reports.periods import Period
from reports.services import bulletin_publish
from tickets.models import Status, Ticket

# replica_reads() connects to the replica first, and reads inside a transaction stay on the
# primary: every test may use both connections, outside a test-wide transaction.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reports"])
router = ReplicaRouter()
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE")


@pytest.fixture
def replica(settings):
    settings.REPORTS_DATABASE = "reports"
    yield settings
    connections["reports"].close()  # else its session keeps the test database from being dropped


def test_report_code_reads_the_figures_from_the_replica(replica):
    with replica_reads():
        assert router.db_for_read(Ticket) == "reports"
        assert router.db_for_read(DayFigures) == "reports"
        # who the reader is, and what it may read, come from the primary
        assert router.db_for_read(get_user_model()) == "default"
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(Official) == "default"
    assert router.db_for_read(Ticket) == "default"  # outside report code


def test_without_a_replica_report_code_reads_the_primary(settings):
    settings.REPORTS_DATABASE = None
    with replica_reads():
        assert router.db_for_read(Ticket) == "default"


def test_once_report_code_has_written_it_reads_the_primary(replica):
    with replica_reads():
        assert router.db_for_write(Ticket) == "default"
        assert router.db_for_read(Ticket) == "default"


def test_reads_inside_a_transaction_stay_on_the_primary(replica):
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Ticket) == "default"


def test_the_replica_is_never_migrated():
    assert router.allow_migrate("default", "tickets") is True
    assert router.allow_migrate("reports", "tickets") is False


@pytest.mark.django_db(transaction=True, databases=["default", "reports"])
def test_a_bulletin_being_published_reads_the_primary(replica, make_ticket):
    make_ticket(Status.ACCEPTED)
    week = Period.iso_week(*dt.date.today().isocalendar()[:2])
    with (
        replica_reads(),
        CaptureQueriesContext(connections["reports"]) as on_replica,
    ):
        bulletin_publish(week=week)
    assert on_replica.captured_queries == []
    assert Bulletin.objects.get(district=None).data["week"]["figures"]["accepted"] == 1


@pytest.mark.django_db(transaction=True, databases=["default", "reports"])
def test_report_pages_exports_and_the_api_read_the_replica_and_never_write_there(
    replica, client, world, make_ticket
):
    make_ticket(Status.RESOLVED)
    today = dt.date.today()
    week = Period.iso_week(*today.isocalendar()[:2])
    bulletin_publish(week=week)
    client.force_login(world.office)
    urls = [
        reverse("reports:dashboard"),
        reverse("reports:export"),
        reverse("reports:bulletins"),
        reverse("reports:bulletin", args=[week.week_label]),
        reverse("reports:bulletin_xlsx", args=[week.week_label]),
        reverse("exchange:ticket-export"),
        f"{reverse('api:report-summary')}?from={week.start}&to={today}",
    ]
    for url in urls:
        with (
            CaptureQueriesContext(connections["reports"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            response = client.get(url)
        assert response.status_code == 200, url
        replica_sql = [q["sql"] for q in on_replica.captured_queries]
        assert any('"tickets_ticket"' in sql or '"reports_' in sql for sql in replica_sql), url
        assert not [sql for sql in replica_sql if sql.lstrip().upper().startswith(WRITES)], url
        # the reader's account comes from the primary (its session from the cache, cached_db)
        assert not [sql for sql in replica_sql if 'FROM "django_session"' in sql], url
        assert not [sql for sql in replica_sql if 'FROM "auth_user"' in sql], url
        assert any('FROM "auth_user"' in q["sql"] for q in on_primary.captured_queries), url


@pytest.mark.django_db(transaction=True, databases=["default", "reports"])
def test_after_a_write_the_same_client_reads_the_primary_for_a_while(
    replica, client, world, make_ticket
):
    ticket = make_ticket(Status.SUBMITTED)
    client.force_login(world.office)
    response = client.post(reverse("tickets:act", args=[ticket.number, "accept"]))
    assert response.status_code == 302
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == replica.REPORTS_PIN_SECONDS
    assert pin["httponly"]

    with CaptureQueriesContext(connections["reports"]) as on_replica:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert on_replica.captured_queries == []  # the page after the write: all from the primary

    del client.cookies[PIN_COOKIE]  # the pin has run out
    with CaptureQueriesContext(connections["reports"]) as on_replica:
        client.get(reverse("reports:dashboard"))
    assert on_replica.captured_queries


@pytest.mark.django_db(transaction=True, databases=["default", "reports"])
def test_a_page_that_only_reads_pins_nothing(replica, client, world):
    client.force_login(world.office)
    response = client.get(reverse("reports:dashboard"))
    assert PIN_COOKIE not in response.cookies


def test_primary_reads_inside_report_code_keep_their_write_pinned(replica):
    with replica_reads():
        with primary_reads():
            assert router.db_for_read(Ticket) == "default"
            router.db_for_write(Ticket)
        assert router.db_for_read(Ticket) == "default"
    with replica_reads(), primary_reads():
        pass
    with replica_reads():
        assert router.db_for_read(Ticket) == "reports"
