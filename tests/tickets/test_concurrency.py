"""Races on PostgreSQL, with real connections in real threads."""

import pytest

from tests.threads import run_together
from tickets.models import Action, Status, Ticket, TicketEvent
from tickets.services import ticket_submit, ticket_transition
from tickets.workflow import TransitionError

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officials_accepting_at_the_same_instant_one_wins_the_other_is_told(world, make_ticket):
    ticket = make_ticket(Status.SUBMITTED)

    def accept(user):
        return lambda: ticket_transition(ticket=ticket.pk, actor=user, action=Action.ACCEPT)

    results = run_together(accept(world.office), accept(world.official))
    errors = [r for r in results if isinstance(r, Exception)]
    wins = [r for r in results if isinstance(r, Ticket)]
    assert len(wins) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionError)
    assert errors[0].code == "invalid_transition"
    assert TicketEvent.objects.filter(ticket=ticket, action=Action.ACCEPT).count() == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED


def test_concurrent_submissions_never_share_a_number(world):
    def submit(n):
        return lambda: (
            ticket_submit(
                enterprise=world.enterprise,
                category=world.category,
                title=f"并发提交{n}",
                description="同时提交",
                submitted_by=world.enterprise_user,
            ).number
        )

    numbers = run_together(*(submit(n) for n in range(8)))
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 8
    assert all(n.startswith("ZQ-") and len(n) == len("ZQ-2026-000001") for n in numbers)
