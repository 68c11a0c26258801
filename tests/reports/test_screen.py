"""The big screen (大屏): the dashboard's readers, the dashboard's figures, a fixed number of
queries, and JSON that the page fetches again every minute."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import aggregates
from reports.figures import drill_down
from reports.selectors import cumulative, scope_for
from reports.views import HEADLINE
from tests.conftest import PERSONAS
from tickets.models import Ticket
from workdays.calendar import WorkCalendar

from .conftest import WEEK, at
from .test_dashboard import OPENS, WEEK_QUERY, busy_week  # noqa: F401 (a fixture)


def _get(client, user, name="reports:screen", query=WEEK_QUERY):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name), query)


def _page_data(response) -> dict:
    found = re.search(
        r'<script id="screen-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found is not None
    return json.loads(found.group(1))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["reports:screen", "reports:screen_data"])
def test_the_screen_opens_to_whoever_opens_the_dashboard(client, world, persona, name):
    response = _get(client, world.personas()[persona], name)
    assert response.status_code == OPENS[persona]


@pytest.mark.parametrize("persona", ["office", "leader", "district_leader"])
def test_the_screens_figures_are_the_figures_modules(client, world, busy_week, persona):  # noqa: F811
    user = world.personas()[persona]
    data = _get(client, user, "reports:screen_data").json()
    scope, now = scope_for(user), timezone.now()
    week = aggregates.totals(period=WEEK, scope=scope, now=now)
    total = aggregates.totals(period=cumulative(WEEK.end), scope=scope, now=now)
    assert [(h["code"], h["value"], h["total"]) for h in data["headline"]] == [
        (code, week.as_json()[code], total.as_json()[code]) for code in HEADLINE
    ]
    trend = aggregates.trend(weeks=WEEK.previous_weeks(12), scope=scope)
    assert data["trend"]["accepted"] == [result["accepted"] for _week, result in trend]
    assert data["trend"]["solved"] == [result["solved"] for _week, result in trend]
    districts = aggregates.breakdown(period=WEEK, scope=scope, dimension="district", now=now)
    assert sorted((r["name"], r["rank"], r["accepted"]) for r in data["ranking"]) == sorted(
        (g.name, g.rank, g.figures["accepted"]) for g in districts
    )
    overdue = drill_down(
        Ticket.objects.all(), figure="overdue", period=cumulative(WEEK.end), scope=scope
    )
    numbers = set(overdue.values_list("number", flat=True))
    assert {row["number"] for row in data["overdue"]} == numbers
    assert len(data["overdue"]) == total["overdue"] == len(numbers) > 0


def test_the_page_shows_what_its_json_says(client, world, busy_week):  # noqa: F811
    page = _get(client, world.office)
    data = _get(client, world.office, "reports:screen_data").json()
    assert _page_data(page) == data
    content = page.content.decode()
    overdue = next(h for h in data["headline"] if h["code"] == "overdue")
    tile = re.search(r'data-code="overdue">.*?data-field="value">([^<]*)<', content, re.S)
    assert tile is not None and tile.group(1) == str(overdue["value"])
    for row in data["overdue"]:
        assert row["title"] in content
    assert re.search(r"更新于|Updated at", content)


def test_a_district_leader_sees_its_district_alone(client, world, busy_week):  # noqa: F811
    data = _get(client, world.district_leader, "reports:screen_data").json()
    assert [row["name"] for row in data["ranking"]] == [world.other_district.name]
    numbers = {row["number"] for row in data["overdue"]}
    theirs = Ticket.objects.filter(enterprise__district=world.other_district)
    assert numbers and numbers <= set(theirs.values_list("number", flat=True))


def test_the_overdue_list_starts_with_the_longest_overdue(client, world, desk):
    first = desk.accept(desk.file(at("2025-03-10")), at("2025-03-10", 11))
    desk.accept(desk.file(at("2025-03-12")), at("2025-03-12", 11))
    overdue = _get(client, world.office, "reports:screen_data").json()["overdue"]
    assert overdue[0]["number"] == first.number
    assert overdue[0]["days"] > overdue[1]["days"] > 0
    # in working days, as every page counts them
    calendar = WorkCalendar.load()
    due = Ticket.objects.get(number=first.number).completion_due
    assert due is not None
    assert overdue[0]["days"] == -calendar.working_days_left(due)
    assert overdue[0]["late"] == f"已超期{overdue[0]['days']}个工作日"


def test_the_screen_has_no_menu_and_draws_with_the_served_echarts(client, world):
    content = _get(client, world.office).content.decode()
    assert 'data-testid="bell"' not in content and "navbar" not in content
    assert "vendor/echarts/echarts.min.js" in content and "css/screen.css" in content
    for tag in re.findall(r"<script[^>]*>", content):  # no inline code: data, or a file
        assert "application/json" in tag or re.search(r'src="[^"]+" nonce="[^"]+"', tag), tag
    assert " style=" not in content
    assert f'data-url="{reverse("reports:screen_data")}?' in content


def test_the_dashboard_links_to_the_screen(client, world):
    client.force_login(world.leader)
    content = client.get(reverse("reports:dashboard")).content.decode()
    assert f'href="{reverse("reports:screen")}"' in content


def test_the_screens_queries_do_not_grow_with_the_number_of_tickets(
    client, world, city, desk, django_assert_num_queries
):
    desk.accept(desk.file(at("2025-03-10")), at("2025-03-10", 11))
    client.force_login(world.office)
    # 1 user, 2 official (the report scope); 3 campaign start; 4-5 the week's totals (rollup,
    # clock-dependent counts), 6-7 the cumulative totals (the same two); 8 the 12-week trend
    # (rollup); 9-12 districts (rollup, clock-dependent counts, the office's score weights that
    # order them, names); 13 the overdue list; then the context processors that run for every
    # page: 14 membership (the official is cached since 2). The calendar (working days overdue,
    # the office warned of a year it lacks) is kept since the filing above, and the page shows
    # no bell, so the unread count is never asked.
    with django_assert_num_queries(14):
        client.get(reverse("reports:screen"), WEEK_QUERY)
    for day in ("2025-03-11", "2025-03-12", "2025-03-13", "2025-03-14"):
        desk.solved(at(day), enterprise=city["chained"])
        desk.accept(desk.file(at(day), enterprise=city["loose"]), at(day, 11))
    with django_assert_num_queries(14):
        client.get(reverse("reports:screen"), WEEK_QUERY)
    # The JSON fetched every minute: 1-13 as the page's, and no context processor.
    with django_assert_num_queries(13):
        client.get(reverse("reports:screen_data"), WEEK_QUERY)
