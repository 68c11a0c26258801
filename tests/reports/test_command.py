"""`manage.py report`: the JSON of the issue, a table, a workbook; scoped like the pages."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reports.figures import FIGURES

from .conftest import at


def report(*args) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def tickets(world, city, desk):
    desk.solved(at("2025-03-10"))
    desk.solved(at("2025-03-11"), enterprise=city["chained"])
    desk.file(at("2025-03-03"), enterprise=world.other_enterprise)


def test_the_json_has_the_shape_of_the_issue(tickets):
    result = json.loads(report("--from", "2025-03-10", "--to", "2025-03-16", "--format", "json"))
    assert set(result) == {"period", "totals", "groups"}
    assert result["period"] == {"from": "2025-03-10", "to": "2025-03-16", "cumulative": False}
    assert list(result["totals"]) == list(FIGURES)
    assert result["totals"]["submitted"] == 2
    assert result["totals"]["resolution_rate"] == 100.0
    assert result["totals"]["satisfaction_rate"] is None  # nothing rated
    assert result["groups"] == []


def test_groups_carry_a_key_a_name_and_the_same_figures(world, tickets):
    result = json.loads(
        report(
            "--from", "2025-03-10", "--to", "2025-03-16", "--group-by", "district",
            "--format", "json",
        )
    )  # fmt: skip
    for group in result["groups"]:
        assert list(group) == ["key", "name", *FIGURES]
    keys = {g["key"]: g["submitted"] for g in result["groups"]}
    assert keys == {world.district.code: 1, world.other_district.code: 1}


def test_cumulative_counts_from_the_campaign_start(tickets):
    result = json.loads(report("--to", "2025-03-16", "--cumulative", "--format", "json"))
    assert result["period"] == {"from": "2025-01-01", "to": "2025-03-16", "cumulative": True}
    assert result["totals"]["submitted"] == 3


def test_a_district_leader_gets_its_district_only(world, tickets):
    args = ["--to", "2025-03-16", "--cumulative", "--format", "json", "--group-by", "district"]
    result = json.loads(report(*args, "--user", "district_leader"))
    assert [g["key"] for g in result["groups"]] == [world.other_district.code]
    assert result["totals"]["submitted"] == 2
    district = json.loads(report(*args, "--district", world.district.code))
    assert district["totals"]["submitted"] == 1


def test_someone_who_reads_no_reports_gets_none(tickets):
    with pytest.raises(CommandError, match="reads no reports"):
        report("--to", "2025-03-16", "--cumulative", "--user", "official")


def test_the_table_lists_every_figure_and_group(world, tickets):
    text = report("--from", "2025-03-10", "--to", "2025-03-16", "--group-by", "department")
    assert "Resolution rate" in text or "问题解决率" in text
    assert world.department.short_name in text
    assert "—" in text  # the undefined satisfaction rate


def test_the_workbook_is_written_to_the_output_file(tmp_path, tickets):
    path = tmp_path / "figures.xlsx"
    report(
        "--from", "2025-03-10", "--to", "2025-03-16", "--group-by", "category",
        "--format", "xlsx", "--output", str(path),
    )  # fmt: skip
    workbook = load_workbook(path)
    assert len(workbook.sheetnames) == 2
    assert workbook.worksheets[1].freeze_panes == "B2"


def test_json_can_go_to_a_file(tmp_path, tickets):
    path = tmp_path / "figures.json"
    report("--to", "2025-03-16", "--cumulative", "--format", "json", "--output", str(path))
    assert json.loads(path.read_text())["totals"]["submitted"] == 3


@pytest.mark.parametrize(
    "args",
    [
        ["--to", "2025-03-16"],  # no --from and not cumulative
        ["--from", "2025-03-17", "--to", "2025-03-16"],
        ["--from", "16/03/2025", "--to", "2025-03-16"],
        ["--from", "2025-03-10", "--to", "2025-03-16", "--format", "xlsx"],  # no --output
        ["--to", "2025-03-16", "--cumulative", "--district", "atlantis"],
    ],
)
def test_wrong_arguments_are_refused_with_a_message(db, args):
    with pytest.raises(CommandError):
        report(*args)


def test_the_summary_takes_the_apis_parameters_too(world, tickets):
    import datetime as dt

    from enterprises.selectors import ReportScope
    from reports.aggregates import summary

    result = summary(
        scope=ReportScope(None),
        date_from=dt.date(2025, 3, 10),
        date_to=dt.date(2025, 3, 16),
        cumulative=True,
        group_by="district",
    )
    assert result["period"] == {"from": "2025-01-01", "to": "2025-03-16", "cumulative": True}
    assert len(result["groups"]) == 2


def test_a_period_reaching_beyond_any_ticket_does_not_overflow(world, tickets):
    result = json.loads(report("--from", "0001-01-01", "--to", "9999-12-31", "--format", "json"))
    assert result["totals"]["submitted"] == 3
