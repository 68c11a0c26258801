"""The rollup under concurrent submissions and transitions, on PostgreSQL, in real threads."""

import pytest
from django.utils import timezone

from enterprises.selectors import ReportScope
from reports.aggregates import totals
from reports.figures import cohort
from reports.periods import Period
from reports.rollup import rollup_differences, rollup_fold
from tests.tickets.test_concurrency import run_together
from tickets.models import Action, Ticket
from tickets.services import ticket_submit, ticket_transition

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_dashboard_counts_every_one_of_concurrent_submissions_and_acceptances(world):
    def submit(n):
        return lambda: ticket_submit(
            enterprise=world.enterprise,
            category=world.category,
            title=f"并发提交{n}",
            description="同一辖区、同一天的诉求同时提交",
            submitted_by=world.enterprise_user,
        )

    earlier = [submit(n)() for n in range(4)]

    def accept(ticket):
        return lambda: ticket_transition(ticket=ticket.pk, actor=world.office, action=Action.ACCEPT)

    results = run_together(
        *(submit(n) for n in range(4, 12)),
        *(accept(ticket) for ticket in earlier),
        rollup_fold,
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert rollup_differences() == []

    week = Period.week(timezone.localdate())
    figures = totals(period=week, scope=ReportScope(None))
    listed = Ticket.objects.filter(cohort(week))
    assert figures["submitted"] == listed.count() == 12
    assert figures["accepted"] == listed.filter(accepted_at__isnull=False).count() == 4

    rollup_fold()
    assert totals(period=week, scope=ReportScope(None)).as_json() == figures.as_json()
