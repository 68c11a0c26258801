"""`urged` (催办, issue 11): the tickets of the period their enterprise urged, per unit, in every
output that shows the figures: the API, the command line, the workbook and the bulletin."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.selectors import ReportScope
from reports.aggregates import breakdown, totals
from reports.figures import FIGURES, drill_down
from reports.services import bulletin_publish
from tickets.models import Action, Ticket

from .conftest import WEEK, at


@pytest.fixture
def urged_week(world, desk):
    """Three problems of the week: two late for acceptance, one of them urged twice."""
    first = desk.file(at("2025-03-10"))
    second = desk.file(at("2025-03-11"), enterprise=world.other_enterprise)
    desk.file(at("2025-03-12"))
    desk.act(first, Action.URGE, at("2025-03-12"), actor="enterprise_user")
    desk.act(first, Action.URGE, at("2025-03-13"), actor="enterprise_user")
    return first, second


def test_urged_counts_each_urged_ticket_once(world, urged_week):
    figures = totals(period=WEEK, scope=ReportScope(None))
    assert figures["urged"] == 1
    assert figures["submitted"] == 3
    listed = drill_down(Ticket.objects.all(), figure="urged", period=WEEK, scope=ReportScope(None))
    assert list(listed) == [urged_week[0]]


def test_urged_is_counted_per_unit(world, urged_week):
    by_district = {g.key: g.figures["urged"] for g in breakdown(
        period=WEEK, scope=ReportScope(None), dimension="district"
    )}  # fmt: skip
    assert by_district[world.district.code] == 1
    assert by_district[world.other_district.code] == 0
    by_category = breakdown(period=WEEK, scope=ReportScope(None), dimension="category")
    assert sum(g.figures["urged"] for g in by_category) == 1


def test_urged_is_in_the_api_and_the_command(client, world, urged_week):
    out = StringIO()
    call_command(
        "report", "--from", "2025-03-10", "--to", "2025-03-16", "--format", "json", stdout=out
    )
    assert json.loads(out.getvalue())["totals"]["urged"] == 1
    assert "urged" in FIGURES
    table = StringIO()
    call_command("report", "--from", "2025-03-10", "--to", "2025-03-16", stdout=table)
    assert "催办" in table.getvalue() or "Urged" in table.getvalue()
    client.force_login(world.office)
    response = client.get(reverse("api:report-summary"), {"from": "2025-03-10", "to": "2025-03-16"})
    assert response.json()["totals"]["urged"] == 1


def test_urged_is_in_the_bulletin_and_its_workbook(client, world, urged_week):
    bulletin_publish(week=WEEK, now=at("2025-03-17", 8))
    client.force_login(world.office)
    page = client.get(reverse("reports:bulletin", args=["2025-W11"])).content.decode()
    assert "催办" in page
    workbook = load_workbook(
        BytesIO(client.get(reverse("reports:bulletin_xlsx", args=["2025-W11"])).content)
    )
    cells = [c for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "催办" in cells


def test_a_bulletin_published_before_the_figure_still_opens(client, world, urged_week):
    from reports.models import Bulletin

    bulletin_publish(week=WEEK, now=at("2025-03-17", 8))
    for bulletin in Bulletin.objects.all():  # as published before `urged` was a figure
        data = bulletin.data
        for block in (data["week"], data["total"]):
            block["figures"].pop("urged")
        Bulletin.objects.filter(pk=bulletin.pk).update(data=data)
    client.force_login(world.office)
    assert client.get(reverse("reports:bulletin", args=["2025-W11"])).status_code == 200
    response = client.get(reverse("reports:bulletin_xlsx", args=["2025-W11"]))
    assert response.status_code == 200
