"""The weekly bulletin: published as a snapshot each Monday, announced, printable, a workbook."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.selectors import ReportScope
from notifications.models import Kind, Notification
from reports.bulletins import bulletin_data
from reports.models import Bulletin
from reports.periods import Period
from reports.services import bulletin_publish
from tickets.models import Rating

from .conftest import WEEK, at

PUBLISHED = at("2025-03-17", 8)


@pytest.fixture
def week_of_work(world, city, desk):
    desk.rate(desk.solved(at("2025-03-10")), at("2025-03-11"), rating=Rating.SATISFIED)
    desk.solved(at("2025-03-11"), enterprise=city["chained"])
    stuck = desk.file(at("2025-03-03"), enterprise=world.other_enterprise)  # the week before
    desk.accept(stuck, at("2025-03-03", 11))
    desk.transfer(stuck, at("2025-03-03", 12))
    from tickets.models import Action

    desk.act(stuck, Action.SUPERVISE, at("2025-03-14"))
    open_ticket = desk.file(at("2025-03-12"))
    desk.accept(open_ticket, at("2025-03-12", 11))
    return {"stuck": stuck, "open": open_ticket}


@pytest.fixture
def published(week_of_work):
    return bulletin_publish(week=WEEK, now=PUBLISHED)


def test_publishing_stores_a_bulletin_for_the_city_and_each_district(world, published):
    assert {b.district_id for b in published} == {None, world.district.pk, world.other_district.pk}
    city = Bulletin.objects.get(week_start=WEEK.start, district=None)
    assert city.week_label == "2025-W11"
    assert city.data["week"]["figures"]["submitted"] == 3
    assert city.data["overdue"]["count"] == 1  # the stuck ticket, due 12 March
    assert [t["number"] for t in city.data["supervised"]["tickets"]] == [
        t["number"] for t in city.data["overdue"]["tickets"]
    ]


def test_a_published_bulletin_does_not_change_when_its_tickets_do(
    client, world, desk, week_of_work, published
):
    client.force_login(world.office)
    url = reverse("reports:bulletin", args=["2025-W11"])

    def article():
        content = client.get(url).content.decode()
        return content[content.index("<article") : content.index("</article>")]

    before = article()
    desk.resolve(week_of_work["open"], at("2025-03-18"))
    desk.resolve(week_of_work["stuck"], at("2025-03-18"))
    assert article() == before
    fresh = bulletin_data(period=WEEK, scope=ReportScope(None), now=at("2025-03-19"))
    assert fresh["week"]["figures"]["solved"] == 3  # the live figures did move
    assert Bulletin.objects.get(district=None).data["week"]["figures"]["solved"] == 2


def test_a_bulletin_is_never_rewritten_or_deleted(published):
    with pytest.raises(TypeError):
        published[0].save()
    with pytest.raises(TypeError):
        published[0].delete()


def test_publishing_twice_publishes_and_announces_once(world, published):
    assert bulletin_publish(week=WEEK, now=PUBLISHED) == []
    assert Bulletin.objects.count() == 3
    assert Notification.objects.filter(kind=Kind.BULLETIN, recipient=world.office).count() == 1


def test_readers_are_told_of_their_bulletin(world, published):
    told = {n.recipient: n for n in Notification.objects.filter(kind=Kind.BULLETIN)}
    assert set(told) == {world.office, world.leader, world.district_leader}
    assert told[world.leader].url == reverse("reports:bulletin", args=["2025-W11"])
    assert told[world.district_leader].url == reverse(
        "reports:district_bulletin", args=["2025-W11", world.other_district.code]
    )
    assert "2025年第11周" in told[world.leader].message  # the week as an office writes it


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("office", (200, 200, 200)),
        ("leader", (200, 200, 200)),
        ("district_leader", (200, 200, 404)),
        ("official", (403, 403, 403)),
        ("enterprise_user", (403, 403, 403)),
    ],
)
def test_who_may_open_which_bulletin(client, world, published, persona, expected):
    """(the reader's own: the city's, or a district leader's district's; the second district's;
    the first district's)."""
    client.force_login(world.personas()[persona])
    week = "2025-W11"
    urls = [
        reverse("reports:bulletin", args=[week]),
        reverse("reports:district_bulletin", args=[week, world.other_district.code]),
        reverse("reports:district_bulletin", args=[week, world.district.code]),
    ]
    assert tuple(client.get(url).status_code for url in urls) == expected
    workbooks = [f"{url}xlsx/" for url in urls]
    assert tuple(client.get(url).status_code for url in workbooks) == expected
    archive = client.get(reverse("reports:bulletins")).status_code
    assert archive == (403 if expected[0] == 403 else 200)


def test_a_district_leaders_own_bulletin_is_its_districts(client, world, published):
    client.force_login(world.district_leader)
    response = client.get(reverse("reports:bulletin", args=["2025-W11"]))
    assert response.context["bulletin"].district == world.other_district


def test_the_archive_lists_what_the_reader_may_open(client, world, published):
    client.force_login(world.district_leader)
    response = client.get(reverse("reports:bulletins"))
    [(week_start, items)] = response.context["weeks"]
    assert week_start == WEEK.start
    assert [b.district_id for b in items] == [world.other_district.pk]


def test_the_page_is_printable_on_a4_without_inline_styles(client, world, published):
    client.force_login(world.office)
    content = client.get(reverse("reports:bulletin", args=["2025-W11"])).content.decode()
    assert 'data-testid="bulletin"' in content and " style=" not in content
    assert "data-print" in content and "js/print.js" in content
    from pathlib import Path

    css = (Path(__file__).parents[2] / "static/css/app.css").read_text()
    assert "size: A4" in css


def test_the_workbook_opens_with_a_sheet_for_each_table(client, world, published):
    client.force_login(world.office)
    response = client.get(reverse("reports:bulletin_xlsx", args=["2025-W11"]))
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(BytesIO(response.content))
    assert len(workbook.sheetnames) == 10  # summary, 7 breakdowns, overdue, supervised
    summary = workbook.worksheets[0]
    assert summary.freeze_panes == "B6"
    rate = summary.cell(row=12, column=2)  # the week's resolution rate
    assert rate.number_format == "0.0%" and rate.value == pytest.approx(2 / 3, abs=0.001)
    districts = workbook.worksheets[1]
    assert districts.freeze_panes == "B2"
    assert districts.column_dimensions["B"].customWidth  # widths set to the content


def test_the_bulletins_queries_do_not_grow_with_the_number_of_tickets(world, city, desk):
    desk.solved(at("2025-03-10"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            bulletin_data(period=WEEK, scope=ReportScope(None), now=PUBLISHED)
        return len(captured)

    few = queries()
    for day in ("2025-03-11", "2025-03-12", "2025-03-13", "2025-03-14"):
        desk.solved(at(day), enterprise=city["chained"])
        desk.accept(desk.file(at(day), enterprise=city["loose"]), at(day, 11))
    assert queries() == few


def test_the_bulletin_page_reads_one_row(client, world, published, django_assert_num_queries):
    client.force_login(world.office)
    # 1 user, 2 official, 3 the bulletin with its district; the base template:
    # 4 membership (the official is cached since 2), 5 the bell (the calendar is kept since the
    # week's filings and the publishing).
    with django_assert_num_queries(5):
        client.get(reverse("reports:bulletin", args=["2025-W11"]))


def test_the_weekly_task_publishes_last_weeks_bulletin(world, week_of_work):
    from reports.periods import last_week
    from reports.tasks import publish_weekly_bulletin

    assert publish_weekly_bulletin() == 3
    assert Bulletin.objects.filter(week_start=last_week().start).count() == 3
    assert publish_weekly_bulletin() == 0


def test_beat_publishes_every_monday_at_8_in_shanghai():
    from django.conf import settings

    from config.celery import app

    entry = app.conf.beat_schedule["reports-weekly-bulletin"]
    assert entry["task"] == "reports.tasks.publish_weekly_bulletin"
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute, schedule.day_of_week) == ({8}, {0}, {1})
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_only_whole_iso_weeks_are_published(db):
    with pytest.raises(ValueError):
        bulletin_publish(week=Period(dt.date(2025, 3, 11), dt.date(2025, 3, 17)))
