"""`seed_bench`: fills the database with COPY, with the rollup rebuilt and in agreement."""

import pytest
from django.core.management import CommandError, call_command

from demo.benchcity import seed
from reports.rollup import rollup_differences
from tickets.models import Status, Ticket, TicketEvent


def test_the_bench_city_has_tickets_in_every_state_and_an_agreeing_rollup(db):
    result = seed(tickets=400, seed=7, log=lambda line: None)
    assert result.tickets == Ticket.objects.count() == 400
    assert TicketEvent.objects.count() == result.events > 2000
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {Status.CLOSED, Status.REJECTED} <= statuses
    assert Ticket.objects.filter(merged_into__isnull=False).exists()
    assert rollup_differences() == []
    numbers = Ticket.objects.values_list("number", flat=True)
    assert len(set(numbers)) == 400
    # a bad rating sent some back to work: the reports' rework rate finds them by their mark
    reopened = set(
        TicketEvent.objects.filter(to_status=Status.REOPENED).values_list("ticket", flat=True)
    )
    assert reopened and reopened == set(
        Ticket.objects.filter(reworked_at__isnull=False).values_list("pk", flat=True)
    )


def test_past_what_it_generates_it_copies_tickets_and_events_in_the_database(db, monkeypatch):
    import demo.benchcity

    monkeypatch.setattr(demo.benchcity, "GENERATED_AT_MOST", 100)
    result = seed(tickets=300, seed=7, log=lambda line: None)
    assert result.tickets == Ticket.objects.count() == 300
    assert TicketEvent.objects.count() == result.events
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 300 and max(len(n) for n in numbers) <= 16
    original, copy = Ticket.objects.get(pk=7), Ticket.objects.get(pk=207)
    assert (copy.submitted_at, copy.enterprise_id, copy.status) == (
        original.submitted_at,
        original.enterprise_id,
        original.status,
    )
    assert copy.number == original.number[:8] + str(int(original.number[8:]) + 2_000_000)
    assert list(copy.events.values_list("action", flat=True)) == list(
        original.events.values_list("action", flat=True)
    )
    merged = Ticket.objects.filter(pk__gt=100, merged_into__isnull=False)
    assert all((t.merged_into_id - 1) // 100 == (t.pk - 1) // 100 for t in merged)  # same copy
    assert rollup_differences() == []
    # a problem filed now gets the next number of its year, after every copy's
    from tickets.models import TicketCounter

    assert all(c.last >= 2_000_000 for c in TicketCounter.objects.all())


def test_it_will_not_empty_a_database_that_is_not_for_benchmarks_unless_told(db):
    with pytest.raises(CommandError, match="bench"):
        call_command("seed_bench", "--tickets", "10")
