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


def test_it_will_not_empty_a_database_that_is_not_for_benchmarks_unless_told(db):
    with pytest.raises(CommandError, match="bench"):
        call_command("seed_bench", "--tickets", "10")
