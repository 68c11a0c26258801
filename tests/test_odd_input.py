"""Odd input gets a clear answer, never a server error, and changes nothing."""

import io

import pytest
from django.urls import reverse

from tickets.models import Ticket


@pytest.mark.parametrize(
    "path",
    [
        "/tickets/ZQ%00/",
        "/api/v1/tickets/ZQ%00/",
        "/api/v1/enterprises/%00/",
        "/tickets/ZQ-2026-000000001/",
    ],
)
def test_impossible_numbers_in_paths_are_not_found(client, world, path):
    client.force_login(world.office)
    assert client.get(path).status_code == 404


def test_a_ticket_numbered_past_a_years_millionth_opens_on_the_web_and_the_api(
    client, world, make_ticket
):
    ticket = make_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(number="ZQ-2026-1000000")
    client.force_login(world.office)

    page = client.get("/tickets/ZQ-2026-1000000/")
    api = client.get("/api/v1/tickets/ZQ-2026-1000000/")

    assert page.status_code == 200 and "ZQ-2026-1000000" in page.content.decode()
    assert api.status_code == 200 and api.json()["number"] == "ZQ-2026-1000000"


def test_control_characters_in_a_title_are_refused_with_a_message(client, world):
    client.force_login(world.enterprise_user)
    response = client.post(
        reverse("tickets:create"),
        {"category": world.category.pk, "title": "停电\x0b问题", "description": "x"},
    )
    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    assert not Ticket.objects.exists()


def test_an_inactive_enterprise_takes_no_new_problems(client, world):
    world.enterprise.is_active = False
    world.enterprise.save()
    client.force_login(world.enterprise_user)
    response = client.post(
        reverse("tickets:create"),
        {"category": world.category.pk, "title": "停电", "description": "x"},
    )
    assert response.status_code == 200
    assert "已停用" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "query",
    [{"start": "9999-12-25", "end": "9999-12-31"}, {"start": "0001-01-01", "end": "0001-01-07"}],
)
def test_dashboard_dates_at_the_ends_of_the_calendar_are_refused_kindly(client, world, query):
    client.force_login(world.leader)
    response = client.get(reverse("reports:dashboard"), query)
    assert response.status_code == 200
    assert "2000" in response.content.decode()


def test_a_group_key_of_odd_digits_finds_nothing(client, world, make_ticket):
    import datetime as dt

    from django.utils import timezone

    make_ticket()
    today = timezone.localdate()
    week = {"figure": "submitted", "period_from": today - dt.timedelta(days=7), "period_to": today}
    client.force_login(world.leader)

    def count(**query):
        response = client.get(reverse("reports:tickets"), {**week, **query})
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert count() == 1
    assert count(group="official:²") == 0


@pytest.mark.parametrize(
    "name,value",
    [("start_date", "9999-12-31T00:00:00+08:00"), ("end_date", "0001-01-01T00:00:00+08:00")],
)
def test_open311_dates_at_the_ends_of_the_calendar_are_a_400(client, world, name, value):
    client.force_login(world.office)  # a signed-in session may read requests
    response = client.get("/open311/v2/requests.json", {name: value})
    assert response.status_code == 400
    assert name in response.json()[0]["description"]


def test_a_workbook_with_a_lying_cell_is_reported_not_crashed(client, world):
    from exchange.imports import enterprise_import_plan

    buffer = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(buffer)
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<sheetData></sheetData>",
                    b'<sheetData><row r="1"><c r="A1" t="n"><v>abc</v></c></row></sheetData>',
                )
            target.writestr(item, data)
    plan = enterprise_import_plan(content=patched.getvalue(), filename="bad.xlsx")
    [error] = plan.errors
    assert error.message.startswith("无法读取此文件")
