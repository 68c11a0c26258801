"""The office reads the State Council's holiday notice into the working-day calendar: every day
off and make-up working day is read and checked, open deadlines that it moves are shown before
anything is written, and applying it is one step that a second time changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from chinese_calendar.constants import holidays, workdays
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRecord
from tests.threads import run_together
from tickets.models import Status, Ticket
from workdays.calendar import WorkCalendar
from workdays.models import CalendarDay
from workdays.notice import NoticeError, parse_notice
from workdays.services import notice_apply

NOTICES = Path(__file__).parent / "notices"

# A notice for a year the calendar package does not know yet (2027-01-01 is a Friday): New
# Year's Day off with its weekend, and Saturday 9 January worked instead.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月9日（周六）上班。
"""


def due(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(23, 59, 59)))


def local_day(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d}"


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_real_notices_give_exactly_the_days_of_the_calendar_package(year):
    notice = parse_notice((NOTICES / f"{year}.txt").read_text())

    assert notice.year == year
    assert notice.holidays == sorted(d for d in holidays if d.year == year)
    assert notice.workdays == sorted(d for d in workdays if d.year == year)


def test_a_reprint_with_half_width_brackets_and_traditional_characters_reads_the_same():
    official = (NOTICES / "2026.txt").read_text()
    reprint = (
        official.replace("（", "(").replace("）", ")").replace("：", ":")
        .replace("节", "節").replace("调", "調").replace("农历", "農歷")
    )  # fmt: skip

    assert parse_notice(reprint) == parse_notice(official)


def test_a_weekday_that_does_not_match_its_date_is_refused_naming_the_line():
    wrong = (NOTICES / "2026.txt").read_text().replace("5月9日（周六）上班", "5月9日（周日）上班")

    with pytest.raises(NoticeError) as refused:
        parse_notice(wrong)

    assert "2026-05-09" in str(refused.value)
    assert "周六" in str(refused.value)  # what the day really is
    assert refused.value.line.startswith("四、劳动节")


def test_a_count_of_days_that_does_not_match_its_range_is_refused():
    with pytest.raises(NoticeError) as refused:
        parse_notice(NOTICE_2027.replace("共3天", "共4天"))

    assert refused.value.line.startswith("一、元旦")


def test_text_without_any_arrangement_line_is_refused():
    with pytest.raises(NoticeError):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n节日快乐")


@pytest.fixture
def due_in_january_2027(make_ticket):
    """Three open problems due on Fri 1, Fri 8 and Mon 11 January 2027, and a closed one."""
    tickets = {}
    for day in ("2027-01-01", "2027-01-08", "2027-01-11"):
        ticket = make_ticket(Status.IN_PROGRESS)
        Ticket.objects.filter(pk=ticket.pk).update(completion_due=due(day))
        tickets[day] = ticket
    closed = make_ticket(Status.CLOSED)
    Ticket.objects.filter(pk=closed.pk).update(completion_due=due("2027-01-01"))
    tickets["closed"] = closed
    return tickets


def run(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    call_command("import_holiday_notice", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def notice_file(tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(NOTICE_2027, encoding="gb18030")  # as a Windows office saves it
    return path


def test_the_preview_lists_days_and_moved_deadlines_and_writes_nothing(
    due_in_january_2027, notice_file
):
    result = json.loads(run(str(notice_file), "--format", "json"))

    assert result["year"] == 2027
    assert result["holidays"] == ["2027-01-01", "2027-01-02", "2027-01-03"]
    assert result["workdays"] == ["2027-01-09"]
    moved = {(m["ticket"], m["from"], m["to"]) for m in result["moved"]}
    assert moved == {
        # Friday 1 January is now off: the first working day after it is Monday 4 January
        (due_in_january_2027["2027-01-01"].number, "2027-01-01", "2027-01-04"),
        # one working day lost before Friday 8, one gained on Saturday 9: it moves a day
        (due_in_january_2027["2027-01-08"].number, "2027-01-08", "2027-01-09"),
    }  # Monday 11 January keeps its day; the closed problem's clock no longer runs
    assert not CalendarDay.objects.exists()
    assert (
        local_day(Ticket.objects.get(pk=due_in_january_2027["2027-01-01"].pk).completion_due)
        == "2027-01-01"
    )


def test_applying_enters_the_days_moves_the_deadlines_and_a_second_apply_changes_nothing(
    due_in_january_2027, notice_file
):
    run(str(notice_file), "--apply")

    calendar = WorkCalendar.load()
    assert not calendar.is_working_day(dt.date(2027, 1, 1))
    assert calendar.is_working_day(dt.date(2027, 1, 9))
    assert calendar.unknown_years([2027]) == []  # the office's warning goes away
    deadlines = {
        day: local_day(Ticket.objects.get(pk=t.pk).completion_due)
        for day, t in due_in_january_2027.items()
    }
    assert deadlines == {
        "2027-01-01": "2027-01-04",
        "2027-01-08": "2027-01-09",
        "2027-01-11": "2027-01-11",
        "closed": "2027-01-01",
    }
    assert AuditRecord.objects.filter(content_type__model="calendarday").count() == 4
    days, records = (
        list(CalendarDay.objects.values_list("date", "is_working", "note")),
        AuditRecord.objects.count(),
    )

    again = json.loads(run(str(notice_file), "--apply", "--format", "json"))

    assert again["moved"] == []
    assert list(CalendarDay.objects.values_list("date", "is_working", "note")) == days
    assert AuditRecord.objects.count() == records
    assert (
        local_day(Ticket.objects.get(pk=due_in_january_2027["2027-01-01"].pk).completion_due)
        == "2027-01-04"
    )


@pytest.mark.django_db(transaction=True)
def test_two_offices_applying_the_notice_at_once_enter_it_once(due_in_january_2027, world):
    notice = parse_notice(NOTICE_2027)

    results = run_together(*(lambda: notice_apply(notice, actor=world.office) for _ in range(2)))

    assert not [r for r in results if isinstance(r, Exception)], results
    # the second waited for the first and found nothing left to change
    assert sorted(len(r.moves) for r in results) == [0, 2]
    assert CalendarDay.objects.count() == 4
    assert AuditRecord.objects.filter(content_type__model="calendarday").count() == 4
    assert (
        local_day(Ticket.objects.get(pk=due_in_january_2027["2027-01-08"].pk).completion_due)
        == "2027-01-09"
    )


def test_a_bad_line_fails_the_command_and_applies_nothing(due_in_january_2027, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(NOTICE_2027.replace("1月9日（周六）", "1月9日（周五）"))

    with pytest.raises(CommandError, match="一、元旦"):
        run(str(bad), "--apply")

    assert not CalendarDay.objects.exists()
    assert (
        local_day(Ticket.objects.get(pk=due_in_january_2027["2027-01-01"].pk).completion_due)
        == "2027-01-01"
    )


def test_the_office_previews_then_applies_the_notice_on_its_page(
    client, office_in_admin, due_in_january_2027
):
    client.force_login(office_in_admin)
    url = reverse("workdays:notice")

    preview = client.post(url, {"text": NOTICE_2027, "step": "preview"})

    assert preview.status_code == 200
    assert due_in_january_2027["2027-01-01"].number in preview.content.decode()
    assert not CalendarDay.objects.exists()

    applied = client.post(url, {"text": NOTICE_2027, "step": "apply"}, follow=True)

    assert "2027" in applied.content.decode()
    assert CalendarDay.objects.count() == 4
    assert (
        AuditRecord.objects.filter(actor=office_in_admin, content_type__model="calendarday").count()
        == 4
    )


def test_the_page_names_a_line_it_cannot_read_and_writes_nothing(client, office_in_admin):
    client.force_login(office_in_admin)

    page = client.post(
        reverse("workdays:notice"),
        {"text": NOTICE_2027.replace("（周五）", "（周四）"), "step": "apply"},
    )

    assert page.status_code == 200
    assert "一、元旦" in page.content.decode()
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("persona", ["enterprise_user", "official", "coordinator", "leader"])
def test_nobody_but_the_office_reads_a_notice_into_the_calendar(client, world, persona):
    client.force_login(getattr(world, persona))

    refused = client.post(reverse("workdays:notice"), {"text": NOTICE_2027, "step": "apply"})

    assert refused.status_code == 403
    assert not CalendarDay.objects.exists()


@pytest.fixture
def calendar_package_without_next_year(monkeypatch):
    """The calendar package as it ships before next year's notice is out."""
    import chinese_calendar

    from workdays.calendar import package_knows

    known = chinese_calendar.is_workday
    next_year = timezone.localdate().year + 1

    def is_workday(day):
        if day.year >= next_year:
            raise NotImplementedError
        return known(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", is_workday)
    package_knows.cache_clear()
    yield
    package_knows.cache_clear()


def test_the_calendar_warning_offers_the_import_beside_it(
    client, office_in_admin, calendar_package_without_next_year
):
    client.force_login(office_in_admin)

    page = client.get(reverse("home"), follow=True).content.decode()

    assert 'data-testid="calendar-import"' in page
    assert reverse("workdays:notice") in page


def test_the_office_may_upload_the_notice_as_a_gbk_text_file(client, office_in_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(office_in_admin)
    upload = SimpleUploadedFile("2027.txt", NOTICE_2027.encode("gb18030"), "text/plain")

    page = client.post(reverse("workdays:notice"), {"text": "", "file": upload, "step": "preview"})

    assert page.status_code == 200
    assert 'data-testid="notice-preview"' in page.content.decode()
    assert not CalendarDay.objects.exists()


def test_a_deadline_whose_clock_has_stopped_does_not_move(make_ticket, notice_file):
    """First progress already reported, or a duplicate merged into another ticket: the clock no
    longer runs (tickets.clocks), so the notice leaves the date as it was."""
    reported = make_ticket(Status.IN_PROGRESS)
    Ticket.objects.filter(pk=reported.pk).update(
        first_progress_at=timezone.now(), first_progress_due=due("2027-01-01")
    )
    merged = make_ticket(Status.IN_PROGRESS)
    Ticket.objects.filter(pk=merged.pk).update(
        merged_into=reported, completion_due=due("2027-01-01")
    )

    moved = json.loads(run(str(notice_file), "--format", "json"))["moved"]

    assert {m["ticket"] for m in moved} & {reported.number, merged.number} == set()
