"""The weekly bulletin as the document an office issues: Monday's draft, the office's sections,
publication with an issue number, and the page, DOCX and PDF read back."""

from __future__ import annotations

import datetime as dt
import threading
from io import BytesIO

import docx
import pytest
from django.db import connection
from django.urls import reverse
from docx.oxml.ns import qn
from pypdf import PdfReader

from enterprises.selectors import ReportScope
from notifications.models import Kind, Notification
from reports import aggregates
from reports.document import chinese_numeral_date
from reports.models import Bulletin, CampaignSettings
from reports.periods import Period
from reports.services import (
    BulletinError,
    bulletin_draft,
    bulletin_edit,
    bulletin_issue,
    bulletin_monday,
    bulletin_publish,
)
from tests import factories as f
from tickets.models import Action

from .conftest import WEEK, at

MONDAY = at("2025-03-17", 8)
PUBLISHED = at("2025-03-17", 15)
SECTIONS = (
    "一、总体情况",
    "二、各地区、各部门情况及排名",
    "三、超期和督办问题",
    "四、典型问题",
    "五、下步工作",
)


@pytest.fixture
def week_of_work(world, city, desk):
    solved = desk.solved(at("2025-03-10"))
    desk.rate(solved, at("2025-03-11"))
    desk.solved(at("2025-03-11"), enterprise=city["chained"])
    stuck = desk.file(at("2025-03-03"), enterprise=world.other_enterprise)  # the week before
    desk.accept(stuck, at("2025-03-03", 11))
    desk.transfer(stuck, at("2025-03-03", 12))
    desk.act(stuck, Action.SUPERVISE, at("2025-03-14"))
    open_ticket = desk.file(at("2025-03-12"))
    desk.accept(open_ticket, at("2025-03-12", 11))
    return {"solved": solved, "stuck": stuck, "open": open_ticket}


@pytest.fixture
def drafts(week_of_work):
    return bulletin_draft(week=WEEK, now=MONDAY)


def city_draft() -> Bulletin:
    return Bulletin.objects.get(week_start=WEEK.start, district=None)


def test_chinese_numeral_dates():
    assert chinese_numeral_date(dt.date(2026, 11, 30)) == "二〇二六年十一月三十日"
    assert chinese_numeral_date(dt.date(2025, 3, 7)) == "二〇二五年三月七日"
    assert chinese_numeral_date(dt.date(2020, 10, 21)) == "二〇二〇年十月二十一日"


def test_monday_drafts_the_bulletins_and_tells_only_the_office(client, world, week_of_work):
    drafted = bulletin_monday(week=WEEK, now=MONDAY)
    assert len(drafted) == 3 and not any(b.is_published for b in drafted)
    told = Notification.objects.filter(kind=Kind.BULLETIN_DRAFT)
    assert [n.recipient for n in told] == [world.office]
    assert told[0].url == reverse("reports:bulletin_edit", args=["2025-W11"])
    assert not Notification.objects.filter(kind=Kind.BULLETIN).exists()
    url = reverse("reports:bulletin", args=["2025-W11"])
    client.force_login(world.leader)
    assert client.get(url).status_code == 404  # a draft is the office's alone
    assert client.get(f"{url}pdf/").status_code == 404
    client.force_login(world.office)
    page = client.get(url).content.decode()
    assert "草稿" in page and "发布后编号" in page


def test_with_automatic_publishing_monday_publishes_at_once(world, week_of_work):
    CampaignSettings.objects.filter(pk=1).update(auto_publish=True)
    published = bulletin_monday(week=WEEK, now=MONDAY)
    assert len(published) == 3 and all(b.is_published for b in published)
    assert Notification.objects.filter(kind=Kind.BULLETIN, recipient=world.leader).exists()


def test_the_office_chooses_typical_problems_writes_next_steps_and_publishes(
    client, world, week_of_work, drafts
):
    client.force_login(world.office)
    edit = reverse("reports:bulletin_edit", args=["2025-W11"])
    form = client.get(edit)
    assert week_of_work["open"].number in form.content.decode()
    assert week_of_work["stuck"].number not in form.content.decode()  # not of this week
    answer = client.post(
        edit,
        {
            "typical": [week_of_work["open"].number],
            "next_steps": "加强调度。\n严格督办超期问题。",
            "publish": "1",
        },
    )
    assert answer.status_code == 302
    bulletin = city_draft()
    assert bulletin.is_published and (bulletin.issue_year, bulletin.issue_number) == (
        dt.date.today().year,
        1,
    )
    page = client.get(answer.url).content.decode()
    assert f"{bulletin.issue_year}年第1期" in page
    assert "严格督办超期问题。" in page and week_of_work["open"].number in page
    # published: the form is gone, and the service refuses
    assert client.post(edit, {"next_steps": "改"}).status_code == 302
    with pytest.raises(BulletinError):
        bulletin_edit(bulletin=bulletin, typical=[], next_steps="改")
    assert city_draft().next_steps == "加强调度。\n严格督办超期问题。"


def test_a_typical_problem_of_another_week_is_refused_and_nothing_changes(
    client, world, week_of_work, drafts
):
    client.force_login(world.office)
    answer = client.post(
        reverse("reports:bulletin_edit", args=["2025-W11"]),
        {"typical": [week_of_work["stuck"].number], "next_steps": "新内容", "save": "1"},
    )
    assert answer.status_code == 200
    assert "有效选项" in answer.content.decode() or "本周" in answer.content.decode()
    assert city_draft().next_steps == "" and city_draft().typical == []
    with pytest.raises(BulletinError):
        bulletin_edit(bulletin=city_draft(), typical=[week_of_work["stuck"].number], next_steps="")


@pytest.mark.parametrize("persona", ["leader", "district_leader", "official", "enterprise_user"])
def test_only_the_office_edits_a_draft(client, world, drafts, persona):
    client.force_login(world.personas()[persona])
    for url in (
        reverse("reports:bulletin_edit", args=["2025-W11"]),
        reverse("reports:district_bulletin_edit", args=["2025-W11", world.other_district.code]),
    ):
        assert client.post(url, {"next_steps": "x", "publish": "1"}).status_code == 404
    assert not Bulletin.objects.filter(published_at__isnull=False).exists()


def test_a_published_issue_is_frozen(world, desk, week_of_work, drafts):
    bulletin_edit(bulletin=city_draft(), typical=[week_of_work["open"].number], next_steps="甲")
    bulletin_issue(bulletin=city_draft(), now=PUBLISHED)
    frozen = city_draft().data
    desk.resolve(week_of_work["open"], at("2025-03-18"))
    assert city_draft().data == frozen
    assert frozen["document"]["typical"][0]["status"] == "accepted"
    bulletin = city_draft()
    with pytest.raises(TypeError):
        bulletin.save()


@pytest.mark.django_db(transaction=True)
def test_issue_numbers_have_no_gaps_and_no_duplicates_when_published_at_once(world):
    weeks = [Period.week(dt.date(2025, 1, 6) + dt.timedelta(weeks=n)) for n in range(6)]
    for week in weeks:
        bulletin_draft(week=week, now=MONDAY)
    drafts = list(Bulletin.objects.order_by("week_start", "pk"))
    errors = []

    def publish(chunk):
        try:
            for bulletin in chunk:
                bulletin_issue(bulletin=bulletin, now=MONDAY)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(drafts[i::3],)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for district_id in (None, world.district.pk, world.other_district.pk):
        numbers = sorted(
            Bulletin.objects.filter(district_id=district_id).values_list("issue_number", flat=True)
        )
        assert numbers == [1, 2, 3, 4, 5, 6]


def test_publishing_the_same_draft_twice_gives_one_number(drafts):
    assert bulletin_issue(bulletin=city_draft(), now=PUBLISHED) is True
    assert bulletin_issue(bulletin=city_draft(), now=PUBLISHED) is False
    assert city_draft().issue_number == 1


# --- the documents read back -----------------------------------------------------------------


@pytest.fixture
def published(world, week_of_work, drafts):
    bulletin_edit(
        bulletin=city_draft(), typical=[week_of_work["open"].number], next_steps="加强要素保障。"
    )
    bulletin_issue(bulletin=city_draft(), now=PUBLISHED)
    return city_draft()


def expected_overview() -> list[str]:
    week = aggregates.totals(period=WEEK, scope=ReportScope(None), now=PUBLISHED)
    return [
        f"本周共收到企业诉求{week['submitted']}件，受理{week['accepted']}件，"
        f"办结{week['resolved']}件，其中解决{week['solved']}件，"
        f"问题解决率{week['resolution_rate']}%",
        "自2025年1月1日以来累计",
    ]


def check_document(text: str, bulletin: Bulletin) -> None:
    assert "万人助万企活动领导小组办公室" in text
    assert f"{bulletin.issue_year}年第1期" in text
    assert "二〇二五年三月十七日" in text
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    for part in expected_overview():
        assert part in text
    assert "红榜" in text and "黑榜" in text
    assert "加强要素保障。" in text


def test_the_docx_reads_back_with_its_head_sections_and_figures(client, world, published):
    client.force_login(world.office)
    answer = client.get(reverse("reports:bulletin_docx", args=["2025-W11"]))
    assert answer["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(BytesIO(answer.content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    check_document("\n".join(paragraphs + cells), published)
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    for group in aggregates.breakdown(
        period=WEEK, scope=ReportScope(None), dimension="district", now=PUBLISHED
    ):
        if group.key is not None:  # the unit's row: rank, name, score, submitted, accepted…
            expected = [str(group.figures[c]) for c in ("submitted", "accepted", "solved")]
            assert any(row[1] == group.name and row[3:6] == expected for row in rows), group.name
    # WPS and Word take the Chinese font from w:eastAsia
    fonts = {
        run.element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for run in p.runs
    }
    assert {"仿宋", "黑体"} <= fonts


def test_the_pdf_reads_back_with_its_head_sections_and_figures(client, world, published):
    client.force_login(world.office)
    answer = client.get(reverse("reports:bulletin_pdf", args=["2025-W11"]))
    assert answer["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(answer.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    check_document(text.replace(" ", ""), published)


def test_the_printable_page_is_the_same_document(client, world, published):
    client.force_login(world.office)
    page = client.get(reverse("reports:bulletin", args=["2025-W11"])).content.decode()
    check_document(page, published)


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
def test_documents_are_read_by_those_who_read_the_bulletin(client, world, persona, expected):
    bulletin_publish(week=WEEK, now=PUBLISHED)
    client.force_login(world.personas()[persona])
    urls = [
        reverse("reports:bulletin", args=["2025-W11"]),
        reverse("reports:district_bulletin", args=["2025-W11", world.other_district.code]),
        reverse("reports:district_bulletin", args=["2025-W11", world.district.code]),
    ]
    for kind in ("docx", "pdf"):
        assert tuple(client.get(f"{u}{kind}/").status_code for u in urls) == expected


def ten_district_bulletin(world, desk) -> list:
    """A published city bulletin of ten districts and ten departments, every list full."""
    districts = [world.district, world.other_district] + [f.DistrictFactory() for _n in range(8)]
    departments = [world.department, world.other_department] + [
        f.DepartmentFactory() for _n in range(8)
    ]
    for n, (district, department) in enumerate(zip(districts, departments, strict=True)):
        enterprise = f.EnterpriseFactory(district=district)
        for k in range(6):
            ticket = desk.file(at("2025-03-10", 9 + k), enterprise=enterprise)
            desk.accept(ticket, at("2025-03-10", 16))
            desk.transfer(ticket, at("2025-03-10", 17), department=department)
            if k < n % 5:
                desk.resolve(ticket, at("2025-03-12"))
        desk.act(ticket, Action.SUPERVISE, at("2025-03-14"))
    bulletin_draft(week=WEEK, now=MONDAY)
    long_text = "\n".join(f"第{n}项：持续跟踪各地区要素保障问题，压实包保责任。" for n in range(6))
    numbers = [t["number"] for t in Bulletin.objects.get(district=None).data["overdue"]["tickets"]]
    bulletin_edit(bulletin=city_draft(), typical=numbers[:5], next_steps=long_text)
    bulletin_issue(bulletin=city_draft(), now=at("2025-03-31", 9))
    return districts


def test_a_ten_district_bulletin_prints_on_two_or_three_pages(client, world, desk):
    districts = ten_district_bulletin(world, desk)
    client.force_login(world.office)
    answer = client.get(reverse("reports:bulletin_pdf", args=["2025-W11"]))
    reader = PdfReader(BytesIO(answer.content))
    pages = [page.extract_text() for page in reader.pages]
    print(f"ten-district bulletin PDF: {len(pages)} pages")
    assert 2 <= len(pages) <= 3
    assert all(len(page.strip()) > 50 for page in pages)  # no empty page
    last = pages[-1].replace(" ", "")
    assert "五、下步工作" in last  # the seal never stands alone on the last page
    text = "".join(pages).replace(" ", "")
    assert all(district.name in text for district in districts)
    assert "五、下步工作" in text
