"""超期 means one thing: the queue's "overdue" filter lists exactly the tickets the dashboard's
overdue figure counts; a problem not accepted in time is 受理超期, a filter of its own."""

import re

from django.urls import reverse
from django.utils import timezone

from enterprises.selectors import ReportScope
from reports.aggregates import totals
from reports.selectors import cumulative
from tests import factories as f
from tickets.models import Action

from .conftest import at

NUMBER = re.compile(r"ZQ-\d{4}-\d{6}")


def _numbers_listed(client, **query) -> set[str]:
    page = client.get(reverse("tickets:queue"), query).content.decode()
    return set(NUMBER.findall(page))


def test_the_queue_lists_as_overdue_exactly_what_the_dashboard_counts(client, world, desk):
    late = desk.file(at("2025-03-10"))
    desk.accept(late, at("2025-03-10", 11))  # completion due 19 March: long past
    slow = f.CategoryFactory(code="slow", progress_days=3, completion_days=2000)
    no_progress = desk.file(at("2025-03-11"), category=slow)
    desk.accept(no_progress, at("2025-03-11", 11))  # first progress late, completion years away
    never_accepted = desk.file(at("2025-03-12"))  # acceptance due 13 March: 受理超期
    done = desk.solved(at("2025-03-13"))  # resolved: no longer counts
    duplicate = desk.file(at("2025-03-14"))
    desk.accept(duplicate, at("2025-03-14", 11))
    desk.act(duplicate, Action.MERGE, at("2025-03-14", 12), into=late)  # follows `late`

    today = timezone.localdate()
    figure = totals(period=cumulative(today), scope=ReportScope(None), now=timezone.now())
    client.force_login(world.office)
    overdue = _numbers_listed(client, overdue="true")
    assert overdue == {late.number}
    assert figure["overdue"] == len(overdue)

    assert _numbers_listed(client, acceptance_overdue="true") == {never_accepted.number}
    assert not overdue & {no_progress.number, done.number, duplicate.number}
