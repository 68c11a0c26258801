"""The weekly bulletin reports the themes' progress (issue 13): the themes being worked, with
their lead department, problems, deadline and standing, and the month's 每月一题, at the end of
section 3 of the page, the DOCX and the PDF alike."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.models import Bulletin
from reports.services import bulletin_draft, bulletin_publish
from themes.models import Theme
from themes.services import theme_create, theme_pick_month, theme_resolve

from .conftest import WEEK, at
from .test_bulletin_document import MONDAY, PUBLISHED, SECTIONS, ten_district_bulletin


def make_theme(world, desk, title: str, *, tickets: int, enterprise=None) -> Theme:
    filed = [desk.file(at("2025-03-10", 9 + n), enterprise=enterprise) for n in range(tickets)]
    return theme_create(
        actor=world.office,
        title=title,
        lead_department=world.department,
        leader=world.leader.official,
        working_days=10,
        tickets=filed,
    )


@pytest.fixture
def themes(world, desk):
    late = make_theme(world, desk, "园区变压器扩容", tickets=3)
    Theme.objects.filter(pk=late.pk).update(due=at("2025-03-14", 17))  # past it by Monday
    month = make_theme(world, desk, "企业用工招聘难", tickets=2, enterprise=world.other_enterprise)
    Theme.objects.filter(pk=month.pk).update(due=at("2025-04-30", 17))
    theme_pick_month(actor=world.office, theme=month, month="2025-03")
    done = make_theme(world, desk, "已解决的旧专题", tickets=1)
    theme_resolve(actor=world.office, theme=done, resolution="已协调解决")
    return {"late": late, "month": month, "done": done}


def _documents(client, world, url_name: str = "reports:bulletin") -> dict[str, str]:
    bulletin_publish(week=WEEK, now=PUBLISHED)
    client.force_login(world.office)
    url = reverse(url_name, args=["2025-W11"])
    page = client.get(url).content.decode()
    word = docx.Document(BytesIO(client.get(f"{url}docx/").content))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    pdf = PdfReader(BytesIO(client.get(f"{url}pdf/").content))
    return {
        "page": page,
        "docx": "\n".join([p.text for p in word.paragraphs] + cells),
        "pdf": "\n".join(p.extract_text() for p in pdf.pages).replace(" ", ""),
    }


@pytest.mark.parametrize("kind", ["page", "docx", "pdf"])
def test_the_bulletin_reports_the_themes_and_the_problem_of_the_month(client, world, themes, kind):
    text = _documents(client, world)[kind]
    assert "专题和每月一题推进情况" in text
    for title in ("园区变压器扩容", "企业用工招聘难"):
        assert title in text
    assert world.department.name in text and "已超期" in text
    assert "每月一题（2025年3月）：企业用工招聘难" in text
    assert "2个专题正在推进，其中1个已超过时限；本周解决0个" in text.replace("\n", "")
    # within section 3: after its heading, before section 4's
    themes_at = text.index("专题和每月一题推进情况")
    assert text.index(SECTIONS[2]) < themes_at < text.index(SECTIONS[3])


def test_the_snapshot_keeps_the_themes_as_they_stood_at_publication(world, themes, desk):
    bulletin_publish(week=WEEK, now=PUBLISHED)
    snapshot = Bulletin.objects.get(district=None).data["themes"]
    theme_resolve(actor=world.office, theme=themes["late"], resolution="已完成扩容")
    assert Bulletin.objects.get(district=None).data["themes"] == snapshot
    rows = {row["title"]: row for row in snapshot["themes"]}
    assert rows["园区变压器扩容"]["members"] == 3 and rows["园区变压器扩容"]["overdue"]
    # the third was resolved after the week (today), so it is neither open nor of the week
    assert "已解决的旧专题" not in rows
    assert (snapshot["open"], snapshot["overdue"], snapshot["resolved"]) == (2, 1, 0)


def test_a_districts_bulletin_lists_the_themes_of_its_problems(world, themes):
    bulletin_draft(week=WEEK, now=MONDAY)
    other = Bulletin.objects.get(district=world.other_district).data["themes"]
    assert [row["title"] for row in other["themes"]] == ["企业用工招聘难"]
    assert other["of_month"]["title"] == "企业用工招聘难"


def test_a_bulletin_without_themes_says_no_problem_of_the_month(client, world, desk):
    desk.solved(at("2025-03-10"))
    text = _documents(client, world)["page"]
    assert "2025年3月未确定每月一题" in text


def test_a_ten_district_bulletin_with_themes_still_prints_on_three_pages(client, world, desk):
    for n in range(6):
        theme = make_theme(world, desk, f"第{n}个跨区域共性问题专题", tickets=2)
        if n == 0:
            theme_pick_month(actor=world.office, theme=theme, month="2025-03")
    ten_district_bulletin(world, desk)
    client.force_login(world.office)
    answer = client.get(reverse("reports:bulletin_pdf", args=["2025-W11"]))
    pages = [page.extract_text() for page in PdfReader(BytesIO(answer.content)).pages]
    print(f"ten-district bulletin PDF with themes: {len(pages)} pages")
    assert len(pages) <= 3
    text = "".join(pages).replace(" ", "")
    assert "第5个跨区域共性问题专题" in text and "五、下步工作" in text
