"""The dashboard: who may see it, what it shows, and that every number equals its list."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.figures import FIGURES
from tests.conftest import PERSONAS

from .conftest import WEEK, at

LINK = re.compile(r'<a class="figure-link"[^>]*data-count="(\d+)" href="([^"]+)"')
# Who may open the dashboard:  anon ent  ent2 off  unrel coord offc lead dlead
OPENS = dict(zip(PERSONAS, (302, 403, 403, 403, 403, 403, 200, 200, 200), strict=True))
WEEK_QUERY = {"start": WEEK.start.isoformat(), "end": WEEK.end.isoformat()}


def dashboard(client, user, **query):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("reports:dashboard"), query or WEEK_QUERY)


@pytest.fixture
def busy_week(world, city, desk):
    """Solved, open, returned, rejected and late tickets in both districts."""
    desk.solved(at("2025-03-10"))
    desk.solved(at("2025-03-11"), enterprise=city["chained"])
    late = desk.file(at("2025-03-11"), enterprise=world.other_enterprise)
    desk.accept(late, at("2025-03-13"))
    desk.transfer(late, at("2025-03-13", 12))
    desk.give_back(late, at("2025-03-14"))
    desk.reject(desk.file(at("2025-03-12")), at("2025-03-12", 11))
    desk.accept(desk.file(at("2025-03-12"), enterprise=city["loose"]), at("2025-03-12", 11))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_and_leaders_may_open_the_dashboard(client, world, persona):
    response = dashboard(client, world.personas()[persona])
    assert response.status_code == OPENS[persona]


@pytest.mark.parametrize("persona", ["office", "district_leader"])
def test_every_number_on_the_dashboard_equals_the_count_of_its_list(
    client, world, busy_week, persona
):
    response = dashboard(client, world.personas()[persona])
    links = LINK.findall(response.content.decode())
    assert len(links) > 50
    nonzero = 0
    for count, url in links:
        listed = client.get(html.unescape(url))
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == int(count), url
        nonzero += int(count) > 0
    assert nonzero > 10


def test_a_rate_links_to_its_numerators_list(client, world, busy_week):
    content = dashboard(client, world.office).content.decode()
    rate = re.search(
        r'<a class="rate-link" data-testid="rate-resolution_rate" href="([^"]+)"', content
    )
    assert "figure=solved" in html.unescape(rate.group(1))


def test_a_district_leader_sees_only_its_districts_figures(client, world, busy_week):
    office = dashboard(client, world.office).context
    client.logout()
    leader = dashboard(client, world.district_leader).context
    assert [group.key for group, _cells in leader["rows"]] == [world.other_district.code]
    submitted = {cell.code: cell.value for cell, _total in leader["figures"]}["submitted"]
    assert submitted == 2  # the chained enterprise's and the other enterprise's
    assert {c.code: c.value for c, _t in office["figures"]}["submitted"] == 5


def test_a_district_leader_following_a_link_into_another_district_finds_nothing(
    client, world, busy_week
):
    client.force_login(world.district_leader)
    response = client.get(
        reverse("reports:tickets"),
        {**_period(), "figure": "submitted", "group": f"district:{world.district.code}"},
    )
    assert response.context["page"].paginator.count == 0


def test_a_list_link_is_refused_to_someone_who_reads_no_reports(client, world, busy_week):
    client.force_login(world.official)
    response = client.get(reverse("reports:tickets"), {**_period(), "figure": "submitted"})
    assert response.status_code == 403
    # the queue ignores a figure: the list behind a number is the reports' page
    queue = client.get(reverse("tickets:queue"), {**_period(), "figure": "submitted"})
    assert "figure" not in queue.context["filter"].form.fields


def test_the_chart_data_travels_as_json_and_scripts_carry_the_nonce(client, world, busy_week):
    content = dashboard(client, world.office).content.decode()
    assert '<script id="dashboard-data" type="application/json">' in content
    assert "vendor/echarts/echarts.min.js" in content
    for tag in re.findall(r"<script[^>]*>", content):  # no inline code: data, or a file
        assert "application/json" in tag or "src=" in tag, tag
    assert re.search(r'<script src="[^"]*reports-dashboard.js" nonce="[^"]+">', content)
    assert " style=" not in content
    assert 'class="chart"' in content


def test_the_headline_shows_the_leaders_figures(client, world, busy_week):
    headline = dashboard(client, world.office).context["headline"]
    assert [cell.code for cell, _total in headline] == [
        "accepted",
        "solved",
        "resolution_rate",
        "on_time_acceptance_rate",
        "on_time_completion_rate",
        "satisfaction_rate",
        "overdue",
    ]


def test_every_figure_is_on_the_page(client, world, busy_week):
    figures = dashboard(client, world.office).context["figures"]
    assert [cell.code for cell, _total in figures] == list(FIGURES)


def test_a_wrong_period_falls_back_to_this_week(client, world):
    response = dashboard(client, world.office, start="2025-03-16", end="2025-03-10")
    assert response.status_code == 200
    assert response.context["form"].errors


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:dashboard"), WEEK_QUERY).status_code == 200
    return len(queries)


def test_the_dashboards_queries_do_not_grow_with_the_number_of_tickets(
    client, world, city, desk, django_assert_num_queries
):
    desk.solved(at("2025-03-10"))
    few = _queries(client, world.office)
    for day in ("2025-03-10", "2025-03-11", "2025-03-12", "2025-03-13", "2025-03-14"):
        desk.solved(at(day), enterprise=city["chained"])
        desk.accept(desk.file(at(day), enterprise=city["loose"]), at(day, 11))
    assert _queries(client, world.office) == few
    # 1 user, 2 official; 3 campaign start; 4-5 the week's totals (rollup, and the
    # clock-dependent counts), 6-7 the cumulative totals (the same two); 8 the 12-week trend
    # (rollup); 9 the office's score weights (the districts' ranking); 10-12 districts (rollup,
    # clock-dependent counts, names); then the base template's context processors:
    # 13 membership (the official is cached since 2), 14 the bell (the calendar is kept).
    with django_assert_num_queries(14):
        client.get(reverse("reports:dashboard"), WEEK_QUERY)


def test_the_export_is_a_workbook_of_the_period(client, world, busy_week):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(world.office)
    response = client.get(reverse("reports:export"), WEEK_QUERY)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert len(workbook.sheetnames) == 10


def _period():
    return {"period_from": WEEK.start.isoformat(), "period_to": WEEK.end.isoformat()}


def test_the_list_behind_a_number_exports_the_same_tickets(client, world, busy_week):
    import io

    from openpyxl import load_workbook

    links = LINK.findall(dashboard(client, world.office).content.decode())
    count, url = next((int(c), html.unescape(u)) for c, u in links if "figure=accepted" in u)
    query = url.partition("?")[2]
    exported = client.get(f"{reverse('exchange:ticket-export')}?{query}")
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert count > 0 and len(rows) == 1 + count
