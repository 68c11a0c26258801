"""A joint meeting for the demo city: last month's, closed, with a decision still being worked
on, and the next one, with the problems escalated to it and an item of the office."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprises.models import Department
from meetings.models import Meeting
from meetings.services import decision_record, item_add, meeting_close, meeting_create
from tickets.models import OPEN_STATUSES, Action, EscalationLevel, Ticket
from tickets.services import ticket_transition


def seed_meetings(*, today: dt.date | None = None) -> Meeting | None:
    if Meeting.objects.exists():
        return None
    today = today or timezone.localdate()
    office = get_user_model().objects.filter(official__is_office=True).first()
    tickets = list(
        Ticket.objects.filter(status__in=sorted(OPEN_STATUSES), merged_into__isnull=True)
        .select_related("lead_department")
        .order_by("submitted_at")[:3]
    )
    escalated = []
    for ticket in tickets:
        while ticket.escalation_level < EscalationLevel.JOINT_MEETING:
            ticket = ticket_transition(
                ticket=ticket, actor=office, action=Action.ESCALATE, note="提请联席会议研究"
            )
        escalated.append(ticket)
    past = meeting_create(held_on=today - dt.timedelta(days=28))
    if escalated:
        first = escalated[0]
        decision_record(
            meeting=past,
            ticket=first,
            text="由牵头部门会同供电公司制定扩容方案，限期解决。",
            department=first.lead_department or Department.objects.first(),
            working_days=15,
            actor=office,
        )
    meeting_close(meeting=past)
    upcoming = meeting_create(held_on=today + dt.timedelta(days=7))
    item_add(
        meeting=upcoming,
        title="重点项目用地指标统筹",
        description="三个重点项目用地指标缺口，需自然资源、发改部门共同研究。",
        actor=office,
    )
    return upcoming
