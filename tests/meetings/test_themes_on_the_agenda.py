"""Themes past their deadline, and those the office puts to the meeting, gather on the next joint
meeting's agenda as escalated problems do (issue 13): on its page and in its printed agenda,
until they are resolved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.services import meeting_close, meeting_create
from themes.models import Theme
from themes.services import theme_create, theme_resolve
from tickets.models import Status

from .test_joint_meeting import agenda_of, docx_text


def make_theme(world, make_ticket, title: str, *, late: bool) -> Theme:
    theme = theme_create(
        actor=world.office,
        title=title,
        lead_department=world.department,
        leader=world.leader.official,
        working_days=10,
        tickets=[make_ticket(Status.IN_PROGRESS) for _n in range(2)],
    )
    if late:  # its deadline passed yesterday
        Theme.objects.filter(pk=theme.pk).update(due=timezone.now() - dt.timedelta(days=1))
    return theme


@pytest.fixture
def meeting():
    return meeting_create(held_on=timezone.localdate() + dt.timedelta(days=3))


def test_a_theme_past_its_deadline_is_on_the_next_meetings_agenda(
    client, world, make_ticket, meeting
):
    make_theme(world, make_ticket, "园区变压器扩容", late=True)
    make_theme(world, make_ticket, "企业用工招聘难", late=False)
    for user in (world.office, world.leader):
        client.force_login(user)
        page = agenda_of(client, meeting)
        assert "超过时限或提请研究的专题" in page and "园区变压器扩容" in page
        assert "企业用工招聘难" not in page  # still within its deadline
    text = docx_text(client.get(reverse("meetings:agenda_docx", args=[meeting.pk])).content)
    assert "三、超过时限或提请研究的专题" in text and "四、办公室提请研究的议题" in text
    assert "园区变压器扩容（牵头单位：" in text and world.department.name in text
    assert "企业用工招聘难" not in text


def test_a_resolved_theme_leaves_the_agenda_and_a_closed_meeting_keeps_none(
    client, world, make_ticket, meeting
):
    theme = make_theme(world, make_ticket, "园区变压器扩容", late=True)
    client.force_login(world.office)
    theme_resolve(actor=world.office, theme=theme, resolution="已完成扩容")
    assert "园区变压器扩容" not in agenda_of(client, meeting)
    late = make_theme(world, make_ticket, "企业用工招聘难", late=True)
    meeting_close(meeting=meeting)
    assert late.title not in agenda_of(client, meeting)


def test_the_office_puts_a_theme_to_the_meeting_before_its_deadline_and_a_leader_cannot(
    client, world, make_ticket, meeting
):
    theme = make_theme(world, make_ticket, "企业用工招聘难", late=False)
    url = reverse("themes:detail", args=[theme.pk])
    client.force_login(world.leader)
    assert 'data-testid="put-to-meeting"' not in client.get(url).content.decode()
    assert client.post(url, {"meeting": "put"}).status_code in (403, 404)
    assert "企业用工招聘难" not in agenda_of(client, meeting)
    client.force_login(world.office)
    assert 'data-testid="put-to-meeting"' in client.get(url).content.decode()
    assert client.post(url, {"meeting": "put"}).status_code == 302
    assert "企业用工招聘难" in agenda_of(client, meeting)
    client.post(url, {"meeting": "take"})
    assert "企业用工招聘难" not in agenda_of(client, meeting)
