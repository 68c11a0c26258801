"""GET /api/v1/reports/summary/ answers what `manage.py report --format json` prints."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command


def test_who_reads_no_reports_gets_403(api, world):
    response = api("enterprise_user").get(
        "/api/v1/reports/summary/", {"from": "2026-11-01", "to": "2026-11-30"}
    )
    assert response.status_code == 403


def test_a_period_must_be_dates_in_order(api, world):
    response = api("office").get(
        "/api/v1/reports/summary/", {"from": "2026-11-30", "to": "2026-11-01"}
    )
    assert response.status_code == 400 and "to" in response.json()
    assert api("office").get("/api/v1/reports/summary/", {"from": "x"}).status_code == 400


def test_the_summary_is_the_report_commands_json(api, world, make_ticket):
    make_ticket("resolved")
    output = StringIO()
    call_command(
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
        "--group-by",
        "district",
        stdout=output,
    )
    response = api("office").get(
        "/api/v1/reports/summary/",
        {"from": "2026-01-01", "to": "2026-12-31", "group_by": "district"},
    )
    assert response.status_code == 200
    assert response.json() == json.loads(output.getvalue())
