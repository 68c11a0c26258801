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
        "/tickets/ZQ-2026-0000001/",
    ],
)
def test_impossible_numbers_in_paths_are_not_found(client, world, path):
    client.force_login(world.office)
    assert client.get(path).status_code == 404


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


def test_a_group_key_of_odd_digits_finds_nothing(client, world):
    client.force_login(world.official)
    response = client.get(reverse("tickets:queue"), {"group": "official:²"})
    assert response.status_code in (200, 400)


def test_open311_dates_at_the_ends_of_the_calendar_are_a_400(client, world):
    response = client.get("/open311/v2/requests.json", {"start_date": "9999-12-31T00:00:00+08:00"})
    assert response.status_code in (400, 403)


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
