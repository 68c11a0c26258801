"""The monthly joint meeting: escalated problems and the office's items gather on the agenda;
each decision becomes its department's tracked work, back on the next agenda until done."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision, Meeting
from meetings.services import MeetingError, decision_record, meeting_create
from notifications.models import Kind, Notification
from tickets.models import Action, EscalationLevel, Status
from tickets.services import ticket_transition
from workdays.calendar import WorkCalendar


def escalate_to_the_meeting(world, ticket):
    while ticket.escalation_level < EscalationLevel.JOINT_MEETING:
        ticket = ticket_transition(ticket=ticket, actor=world.office, action=Action.ESCALATE)
    return ticket


@pytest.fixture
def escalated(world, make_ticket):
    return escalate_to_the_meeting(world, make_ticket(Status.IN_PROGRESS))


def docx_text(content: bytes) -> str:
    document = docx.Document(BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def agenda_of(client, meeting) -> str:
    return client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


def test_agenda_decision_tracked_work_next_agenda_and_done(client, world, escalated):
    held_on = timezone.localdate() + dt.timedelta(days=3)
    client.force_login(world.office)
    answer = client.post(reverse("meetings:create"), {"held_on": held_on.isoformat()})
    meeting = Meeting.objects.get(held_on=held_on)
    assert answer.url == reverse("meetings:detail", args=[meeting.pk])
    client.post(
        reverse("meetings:add_item", args=[meeting.pk]),
        {"title": "园区道路规划协调", "description": "涉及三个部门"},
    )
    page = agenda_of(client, meeting)
    assert escalated.number in page and "园区道路规划协调" in page

    # the agenda, printed
    agenda = client.get(reverse("meetings:agenda_docx", args=[meeting.pk]))
    text = docx_text(agenda.content)
    assert "联席会议议程" in text and escalated.number in text and "园区道路规划协调" in text

    # the decision: the department's task, due in working days after the meeting
    client.post(
        reverse("meetings:decide_ticket", args=[meeting.pk, escalated.number]),
        {
            "text": "由工信局牵头协调供电公司扩容",
            "department": world.department.pk,
            "working_days": 5,
        },
    )
    decision = Decision.objects.get(ticket=escalated)
    start = timezone.make_aware(dt.datetime.combine(held_on, dt.time(12)))
    assert decision.due_at == WorkCalendar.load().add_working_days(start, 5)
    assert escalated.number not in _section(agenda_of(client, meeting), "escalated")
    told = Notification.objects.filter(kind=Kind.MEETING_DECISION)
    assert world.coordinator in {n.recipient for n in told}

    # tracked work in the department's queue
    client.force_login(world.coordinator)
    tasks = client.get(reverse("meetings:tasks")).content.decode()
    assert "由工信局牵头协调供电公司扩容" in tasks
    assert f"{timezone.localdate(decision.due_at):%Y-%m-%d}" in tasks
    assert client.post(reverse("meetings:done", args=[decision.pk])).status_code == 404
    assert not Decision.objects.get(pk=decision.pk).is_done  # only the office marks it done

    # the minutes
    client.force_login(world.office)
    minutes = docx_text(client.get(reverse("meetings:minutes_docx", args=[meeting.pk])).content)
    assert "会议纪要" in minutes and "由工信局牵头协调供电公司扩容" in minutes
    assert world.department.name in minutes

    # the next meeting: the open decision is back on its agenda, the ticket not again
    client.post(reverse("meetings:close", args=[meeting.pk]))
    client.post(reverse("meetings:create"), {"held_on": (held_on + dt.timedelta(days=30))})
    following = Meeting.objects.get(held_on=held_on + dt.timedelta(days=30))
    page = agenda_of(client, following)
    assert "由工信局牵头协调供电公司扩容" in _section(page, "follow-ups")
    assert escalated.number not in _section(page, "escalated")
    assert "园区道路规划协调" in _section(page, "items")  # left undecided: carried over

    # done: off the agenda
    client.post(
        reverse("meetings:done", args=[decision.pk]), {"note": "已完成扩容", "next": following.pk}
    )
    assert Decision.objects.get(pk=decision.pk).is_done
    assert "由工信局牵头协调供电公司扩容" not in _section(
        agenda_of(client, following), "follow-ups"
    )


def _section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</ul>", start)]


def test_a_decision_past_its_deadline_shows_overdue_to_its_department(client, world, escalated):
    meeting = meeting_create(held_on=dt.date(2025, 3, 3))
    decision_record(
        meeting=meeting,
        ticket=escalated,
        text="限期办结",
        department=world.department,
        working_days=1,
        actor=world.office,
    )
    client.force_login(world.coordinator)
    assert 'data-testid="overdue"' in client.get(reverse("meetings:tasks")).content.decode()
    client.force_login(world.unrelated_official)
    answer = client.get(reverse("meetings:tasks"))
    assert answer.status_code == 404 or "限期办结" not in answer.content.decode()


def test_a_closed_meeting_takes_no_more_decisions(world, escalated):
    meeting = meeting_create(held_on=dt.date(2025, 3, 3))
    meeting.closed_at = timezone.now()
    meeting.save()
    with pytest.raises(MeetingError):
        decision_record(
            meeting=meeting,
            ticket=escalated,
            text="x",
            department=world.department,
            working_days=1,
            actor=world.office,
        )
    assert not Decision.objects.exists()


def test_a_ticket_not_escalated_to_the_meeting_cannot_be_decided(world, make_ticket):
    meeting = meeting_create(held_on=dt.date(2025, 3, 3))
    with pytest.raises(MeetingError):
        decision_record(
            meeting=meeting,
            ticket=make_ticket(Status.IN_PROGRESS),
            text="x",
            department=world.department,
            working_days=1,
            actor=world.office,
        )


@pytest.mark.parametrize(
    "persona,reads",
    [
        ("anonymous", None),
        ("enterprise_user", 404),
        ("official", 404),
        ("coordinator", 404),
        ("leader", 200),
        ("district_leader", 200),
        ("office", 200),
    ],
)
def test_the_office_and_leaders_read_meetings_and_only_the_office_writes(
    client, world, escalated, persona, reads
):
    meeting = meeting_create(held_on=dt.date(2025, 3, 3))
    user = world.personas()[persona]
    if user is not None:
        client.force_login(user)
    for name in ("meetings:detail", "meetings:agenda_docx", "meetings:minutes_docx"):
        answer = client.get(reverse(name, args=[meeting.pk]))
        assert answer.status_code == (reads or 302), name
    client.post(reverse("meetings:add_item", args=[meeting.pk]), {"title": "加一项"})
    client.post(
        reverse("meetings:decide_ticket", args=[meeting.pk, escalated.number]),
        {"text": "x", "department": world.department.pk, "working_days": 3},
    )
    client.post(reverse("meetings:create"), {"held_on": "2025-04-07"})
    written = (meeting.items.count(), Decision.objects.count(), Meeting.objects.count())
    assert written == ((1, 1, 2) if persona == "office" else (0, 0, 1))


def test_odd_input_to_the_decision_form_writes_nothing(client, world, escalated):
    meeting = meeting_create(held_on=dt.date(2025, 3, 3))
    client.force_login(world.office)
    url = reverse("meetings:decide_ticket", args=[meeting.pk, escalated.number])
    for data in (
        {"text": "", "department": world.department.pk, "working_days": 3},
        {"text": "x", "department": "999999", "working_days": 3},
        {"text": "x", "department": world.department.pk, "working_days": "0"},
        {"text": "x" * 3000, "department": world.department.pk, "working_days": 3},
        {"text": "x", "department": world.department.pk, "working_days": "9" * 30},
    ):
        answer = client.post(url, data, follow=True)
        assert answer.status_code == 200
        assert "工作日" in answer.content.decode()
    assert not Decision.objects.exists()


@pytest.fixture
def busy_meeting(world, make_ticket):
    meeting = meeting_create(held_on=dt.date(2025, 3, 3))
    for _n in range(3):
        ticket = escalate_to_the_meeting(world, make_ticket(Status.IN_PROGRESS))
        decision_record(
            meeting=meeting,
            ticket=ticket,
            text="限期解决",
            department=world.department,
            working_days=5,
            actor=world.office,
        )
    for _n in range(2):
        escalate_to_the_meeting(world, make_ticket(Status.IN_PROGRESS))
    return meeting


def test_the_agenda_page_makes_a_fixed_number_of_queries(
    client, world, busy_meeting, django_assert_num_queries
):
    client.force_login(world.office)
    # 1 user, 2 official, 3 the meeting; the agenda: 4 open decisions of earlier meetings,
    # 5 escalated tickets awaiting a decision, 6 the office's undecided items, 7 this meeting's
    # decisions, 8 the themes past their deadline (with their lead department, leader and number
    # of problems); 9 the departments (the decision form); base template: 10 membership,
    # 11 the bell (the calendar is kept since the meeting's filings and decisions)
    with django_assert_num_queries(11):
        assert client.get(reverse("meetings:detail", args=[busy_meeting.pk])).status_code == 200


def test_the_tasks_page_makes_a_fixed_number_of_queries(
    client, world, busy_meeting, django_assert_num_queries
):
    client.force_login(world.coordinator)
    # 1 user, 2 official; base template: 3 membership, 4 the bell (the calendar's warning is
    # the office's only); 5 the department's decisions (with their meeting, department and
    # ticket)
    with django_assert_num_queries(5):
        assert client.get(reverse("meetings:tasks")).status_code == 200
