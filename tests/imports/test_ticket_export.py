"""The queue's tickets, with its current filters, as an Excel workbook."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tickets.models import Status


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)


def test_the_export_has_the_queues_filters(client, world, make_ticket):
    submitted = make_ticket(Status.SUBMITTED)
    working = make_ticket(Status.IN_PROGRESS)
    make_ticket(Status.SUBMITTED, enterprise=world.other_enterprise)
    client.force_login(world.office)
    everything = rows_of(client.get("/tickets/export.xlsx"))
    assert len(everything) == 4
    only_submitted = rows_of(
        client.get("/tickets/export.xlsx", {"status": "submitted", "district": world.district.pk})
    )
    assert [r[0] for r in only_submitted[1:]] == [submitted.number]
    in_progress = rows_of(client.get("/tickets/export.xlsx", {"status": "in_progress"}))
    assert in_progress[1][0] == working.number
    assert in_progress[1][12] == "张伟"  # the assignee


def test_the_export_holds_only_what_the_user_may_see(client, world, make_ticket):
    mine = make_ticket(Status.SUBMITTED)
    make_ticket(Status.SUBMITTED, enterprise=world.other_enterprise)
    client.force_login(world.official)
    assert [r[0] for r in rows_of(client.get("/tickets/export.xlsx"))[1:]] == [mine.number]
    client.force_login(world.unrelated_official)
    assert len(rows_of(client.get("/tickets/export.xlsx"))) == 1  # the header alone


def test_the_queue_links_to_the_export_with_its_filters(client, world):
    client.force_login(world.office)
    page = client.get("/tickets/", {"status": "submitted"}).content.decode()
    assert "/tickets/export.xlsx?status=submitted" in page
