"""`proactive` (主动服务/未诉先办, issue 13): the tickets of the period filed as answers to a
theme's proactive notice, counted apart in every output that shows the figures: the API, the
command line, the dashboard, the workbook and the bulletin's overview."""

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
from tickets.models import Channel, Ticket
from tickets.services import ticket_submit

from .conftest import WEEK, at

CITY = ReportScope(None)


@pytest.fixture
def proactive_week(world, desk):
    """Three problems of the week: one the answer to the office's notice, two filed as usual."""
    answer = ticket_submit(
        enterprise=world.enterprise,
        category=world.category,
        title="园区变压器容量不足",
        description="答复办公室关于园区供电的主动服务通知。",
        submitted_by=world.enterprise_user,
        channel=Channel.PROACTIVE,
        at=at("2025-03-11"),
    )
    desk.file(at("2025-03-10"))
    desk.file(at("2025-03-12"), enterprise=world.other_enterprise)
    return answer


def test_proactive_counts_the_answers_to_the_offices_notices(world, proactive_week):
    figures = totals(period=WEEK, scope=CITY)
    assert (figures["proactive"], figures["submitted"]) == (1, 3)
    listed = drill_down(Ticket.objects.all(), figure="proactive", period=WEEK, scope=CITY)
    assert list(listed) == [proactive_week]


def test_proactive_is_counted_per_unit(world, proactive_week):
    by_district = {
        g.key: g.figures["proactive"]
        for g in breakdown(period=WEEK, scope=CITY, dimension="district")
    }
    assert by_district[world.district.code] == 1
    assert by_district[world.other_district.code] == 0
    by_category = breakdown(period=WEEK, scope=CITY, dimension="category")
    assert sum(g.figures.count("proactive") for g in by_category) == 1


def test_proactive_is_in_the_api_the_command_and_the_dashboard(client, world, proactive_week):
    assert "proactive" in FIGURES
    out = StringIO()
    call_command(
        "report", "--from", "2025-03-10", "--to", "2025-03-16", "--format", "json", stdout=out
    )
    assert json.loads(out.getvalue())["totals"]["proactive"] == 1
    table = StringIO()
    call_command("report", "--from", "2025-03-10", "--to", "2025-03-16", stdout=table)
    assert "未诉先办" in table.getvalue()
    client.force_login(world.office)
    response = client.get(reverse("api:report-summary"), {"from": "2025-03-10", "to": "2025-03-16"})
    assert response.json()["totals"]["proactive"] == 1
    page = client.get(reverse("reports:dashboard"), {"start": "2025-03-10", "end": "2025-03-16"})
    assert 'data-figure="proactive" data-count="1"' in page.content.decode()


def test_proactive_is_in_the_bulletin_and_its_workbook(client, world, proactive_week):
    bulletin_publish(week=WEEK, now=at("2025-03-17", 8))
    client.force_login(world.office)
    page = client.get(reverse("reports:bulletin", args=["2025-W11"])).content.decode()
    assert "其中1件为答复办公室主动服务通知的诉求（未诉先办）" in page
    workbook = load_workbook(
        BytesIO(client.get(reverse("reports:bulletin_xlsx", args=["2025-W11"])).content)
    )
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert ("主动服务（未诉先办）", 1, 1) in [row[:3] for row in rows]


def test_a_bulletin_published_before_the_new_figures_and_the_score_still_opens(
    client, world, proactive_week
):
    from reports.models import Bulletin

    bulletin_publish(week=WEEK, now=at("2025-03-17", 8))
    for bulletin in Bulletin.objects.all():  # as published before these figures existed
        data = bulletin.data
        data.pop("score")
        for block in (data["week"], data["total"]):
            for code in ("proactive", "return_rate", "rework_rate"):
                block["figures"].pop(code)
        for groups in data["breakdowns"].values():
            for group in groups:
                group.pop("score")
                for code in ("proactive", "return_rate", "rework_rate"):
                    group["figures"].pop(code)
        Bulletin.objects.filter(pk=bulletin.pk).update(data=data)
    client.force_login(world.office)
    page = client.get(reverse("reports:bulletin", args=["2025-W11"]))
    assert page.status_code == 200
    assert "按问题解决率排名" in page.content.decode()  # the rule it was ranked by then
    for name in ("reports:bulletin_xlsx", "reports:bulletin_docx"):
        assert client.get(reverse(name, args=["2025-W11"])).status_code == 200
