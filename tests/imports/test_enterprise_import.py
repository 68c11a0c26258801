"""Importing enterprises and their coverage from .xlsx and .csv: every row checked, errors by row
and column, all or nothing unless the office confirms the valid rows, re-import updates."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from enterprises.models import Coverage, District, Enterprise
from exchange.imports import COLUMNS, enterprise_import_plan
from exchange.services import enterprise_import
from tests import factories as f
from tests.factories import valid_uscc

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "辖区",
    "产业链",
    "营收档位",
    "专精特新",
    "地址",
    "联系人",
    "联系电话",
    "电子邮箱",
    "包保领导",
    "联络员",
]
HEADER_CODES = [c.code for c in COLUMNS]


# Far from the USCCs the factories number (tests.factories.valid_uscc of a sequence that grows
# over a run): an imported row never meets an enterprise of the world by chance.
IMPORTED = 800_000_000


def row(n: int, **change) -> list[str]:
    values = {
        "uscc": valid_uscc(IMPORTED + n),
        "name": f"导入企业{n}有限公司",
        "district": "nanguan",
        "industry_chain": "",
        "revenue_tier": "b",
        "srdi_level": "provincial",
        "address": f"南关区产业路{n}号",
        "contact_name": "王经理",
        "contact_phone": "0431-8000000",
        "contact_email": "",
        "primary_official": "leader",
        "liaisons": "official",
    }
    values.update(change)
    return [values[c] for c in HEADER_CODES]


def xlsx(rows: list[list], header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding="utf-8-sig", header=HEADER) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def plan_of(content: bytes, name="enterprises.xlsx"):
    return enterprise_import_plan(content=content, filename=name)


def test_a_valid_file_imports_every_enterprise_with_its_coverage(world):
    plan = plan_of(xlsx([row(1), row(2, primary_official="李建国", liaisons="")]))
    assert plan.errors == [] and plan.to_create == 2
    result = enterprise_import(actor=world.office, plan=plan)
    assert (result.created, result.updated, result.skipped) == (2, 0, 0)
    first = Enterprise.objects.get(name="导入企业1有限公司")
    assert first.district == world.district and first.srdi_level == "provincial"
    roles = {
        (c.official.user.username, c.role) for c in first.coverages.select_related("official__user")
    }
    assert roles == {("leader", "primary"), ("official", "liaison")}
    second = Enterprise.objects.get(name="导入企业2有限公司")
    assert [c.official.user.username for c in second.coverages.all()] == ["leader"]


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_imported(world):
    bad_uscc = valid_uscc(IMPORTED + 1)[:-1] + ("0" if valid_uscc(IMPORTED + 1)[-1] != "0" else "1")
    plan = plan_of(
        xlsx(
            [
                row(1),
                row(2, uscc=bad_uscc),  # a wrong check character
                row(3, district="火星区"),  # an unknown district
                row(4, primary_official="leader、district_leader"),  # two primaries
                row(5, primary_official=""),  # none
            ]
        )
    )
    found = {(e.row, e.column.split(" ")[0]) for e in plan.errors}
    assert found == {(3, "A"), (4, "C"), (5, "K"), (6, "K")}
    messages = {e.row: e.message for e in plan.errors}
    assert "火星区" in messages[4]
    assert "2" in messages[5]
    assert plan.invalid_rows == 4 and len(plan.rows) == 1
    with pytest.raises(Exception, match="4"):
        enterprise_import(actor=world.office, plan=plan)
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()


def test_the_same_enterprise_twice_in_one_file_is_an_error(world):
    plan = plan_of(
        xlsx([row(1), row(1, name="同一家企业", primary_official="official", liaisons="")])
    )
    assert [(e.row, e.column.split(" ")[0]) for e in plan.errors] == [(3, "A")]


def test_unknown_officials_and_a_primary_who_is_also_a_liaison_are_errors(world):
    plan = plan_of(xlsx([row(1, liaisons="nobody"), row(2, liaisons="leader")]))
    assert [(e.row, e.column.split(" ")[0]) for e in plan.errors] == [(2, "L"), (3, "L")]


def test_reimporting_updates_by_uscc_instead_of_duplicating(world):
    enterprise_import(actor=world.office, plan=plan_of(xlsx([row(1), row(2)])))
    again = plan_of(
        xlsx(
            [
                row(
                    1,
                    name="导入企业1（更名）有限公司",
                    revenue_tier="A",
                    primary_official="official",
                    liaisons="coordinator",
                ),
                row(3),
            ]
        )
    )
    assert (again.to_create, again.to_update) == (1, 1)
    result = enterprise_import(actor=world.office, plan=again)
    assert (result.created, result.updated) == (1, 1)
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 3
    renamed = Enterprise.objects.get(uscc=valid_uscc(IMPORTED + 1))
    assert renamed.name == "导入企业1（更名）有限公司" and renamed.revenue_tier == "a"
    roles = {
        (c.official.user.username, c.role)
        for c in renamed.coverages.select_related("official__user")
    }
    assert roles == {("official", "primary"), ("coordinator", "liaison")}
    assert Coverage.objects.filter(enterprise=renamed, role="primary").count() == 1


def test_csv_from_chinese_excel_in_gb18030_reads_as_well(world):
    plan = plan_of(csv_bytes([row(1)], encoding="gb18030"), "enterprises.csv")
    assert plan.errors == [] and plan.rows[0].fields["name"] == "导入企业1有限公司"
    english = plan_of(
        csv_bytes(
            [row(2)],
            header=[
                "Unified social credit code",
                "Enterprise name",
                "District",
                "Industry chain",
                "Revenue tier",
                "SRDI level",
                "Address",
                "Contact person",
                "Contact phone",
                "Contact e-mail",
                "Primary covering leader",
                "Liaisons",
            ],
        ),
        "enterprises.csv",
    )
    assert english.errors == []


def test_a_file_that_is_not_a_spreadsheet_is_refused(world):
    assert plan_of(b"MZ\x90\x00 not a workbook", "enterprises.xlsx").errors
    assert plan_of(b"anything", "enterprises.exe").errors
    missing_columns = plan_of(xlsx([["x"]], header=["企业名称"]))
    assert missing_columns.errors and missing_columns.errors[0].row == 1


def test_the_command_checks_with_dry_run_then_imports(world, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([row(1)]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(2), row(3, district="火星区")]))
    out = io.StringIO()
    call_command("import_enterprises", str(good), "--dry-run", stdout=out)
    assert "1 new" in out.getvalue()
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()
    call_command("import_enterprises", str(good), stdout=io.StringIO())
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 1
    with pytest.raises(CommandError):
        call_command("import_enterprises", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 1
    call_command(
        "import_enterprises", str(bad), "--valid-only", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 2


# --- the office's pages ----------------------------------------------------------------------


def upload(client, content: bytes, name="enterprises.xlsx"):
    return client.post("/enterprises/import/", {"file": SimpleUploadedFile(name, content)})


def test_the_office_imports_a_valid_file_from_its_page(client, world):
    client.force_login(world.office)
    response = upload(client, xlsx([row(1), row(2)]))
    assert response.status_code == 302
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 2


def test_the_office_may_confirm_importing_the_valid_rows_only(client, world):
    client.force_login(world.office)
    response = upload(client, xlsx([row(1), row(2, district="火星区"), row(3)]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "火星区" in page and 'data-testid="confirm-valid-only"' in page
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()
    confirmed = client.post("/enterprises/import/confirm/")
    assert confirmed.status_code == 302
    assert set(
        Enterprise.objects.filter(name__startswith="导入企业").values_list("name", flat=True)
    ) == {"导入企业1有限公司", "导入企业3有限公司"}
    assert client.post("/enterprises/import/confirm/").status_code == 302  # nothing pending now
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 2


def test_the_template_downloads_and_an_export_imports_back_unchanged(client, world):
    client.force_login(world.office)
    template = client.get("/enterprises/import/template.xlsx")
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    exported = client.get("/enterprises/export.xlsx", {"district": world.district.pk})
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert rows[0] == tuple(HEADER)
    assert [r[0] for r in rows[1:]] == [world.enterprise.uscc]
    assert rows[1][10] == "leader" and rows[1][11] == "official"
    plan = plan_of(exported.content)
    assert plan.errors == [] and (plan.to_create, plan.to_update) == (0, 1)
    enterprise_import(actor=world.office, plan=plan)
    assert Enterprise.objects.count() == 2


@pytest.mark.parametrize("persona", ["official", "leader", "enterprise_user"])
def test_only_the_office_imports_exports_and_lists_enterprises(client, world, persona):
    client.force_login(world.personas()[persona])
    for url in (
        "/enterprises/",
        "/enterprises/import/",
        "/enterprises/export.xlsx",
        "/enterprises/import/template.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    assert upload(client, xlsx([row(1)])).status_code == 403
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()


def test_the_office_lists_enterprises_with_their_primary_leader(client, world):
    client.force_login(world.office)
    page = client.get("/enterprises/", {"district": world.district.pk}).content.decode()
    assert world.enterprise.name in page and world.other_enterprise.name not in page
    assert "李建国" in page


def test_the_office_pages_through_enterprises_by_name_across_districts(client, world):
    """A province's 135,000 are paged by name (an index reads a page); the district is a filter
    and a column, not the order."""
    District.objects.filter(pk=world.district.pk).update(sort_order=1)
    District.objects.filter(pk=world.other_district.pk).update(sort_order=2)
    first = f.EnterpriseFactory(name="一号机械有限公司", district=world.other_district)
    client.force_login(world.office)
    listed = list(client.get("/enterprises/").context["page"].object_list)
    assert listed == list(Enterprise.objects.order_by("name", "pk"))
    assert listed[0] == first  # of the second district, first by name
