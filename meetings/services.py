"""Writes of the joint meetings. Only the office calls these (the views check it); each refuses
what the meeting's state does not allow, with a message, and writes nothing then."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Department
from notifications.models import Kind
from notifications.services import notify
from tickets.models import Ticket
from workdays.calendar import WorkCalendar

from .models import AgendaItem, Decision, Meeting
from .selectors import escalated_tickets, undecided_items

User = get_user_model()


class MeetingError(Exception):
    """A change the meeting refuses."""


def meeting_create(*, held_on: dt.date) -> Meeting:
    try:
        with transaction.atomic():
            return Meeting.objects.create(held_on=held_on)
    except IntegrityError:
        raise MeetingError(_("There is already a joint meeting on that day.")) from None


def item_add(*, meeting: Meeting, title: str, description: str, actor) -> AgendaItem:
    with transaction.atomic():
        meeting = _open(meeting)
        item = AgendaItem(meeting=meeting, title=title, description=description, added_by=actor)
        item.full_clean()
        item.save()
        return item


def decision_record(
    *,
    meeting: Meeting,
    text: str,
    department: Department,
    working_days: int,
    actor,
    ticket: Ticket | None = None,
    item: AgendaItem | None = None,
) -> Decision:
    """The meeting's decision on an escalated ticket or one of its items: the department's
    task, due `working_days` working days after the meeting; its coordinator and officials are
    told."""
    if (ticket is None) == (item is None):
        raise ValueError("A decision is on a ticket or on an item.")
    with transaction.atomic():
        meeting = _open(meeting)
        if ticket is not None:
            if not escalated_tickets().filter(pk=ticket.pk).exists():
                raise MeetingError(_("This problem is not on the agenda."))
            subject = f"{ticket.number} {ticket.title}"
        else:
            if not undecided_items(meeting).filter(pk=item.pk).exists():
                raise MeetingError(_("This item is not on the agenda."))
            subject = item.title
        start = timezone.make_aware(dt.datetime.combine(meeting.held_on, dt.time(12)))
        decision = Decision(
            meeting=meeting,
            ticket=ticket,
            item=item,
            subject=subject[:200],
            text=text,
            department=department,
            working_days=working_days,
            due_at=WorkCalendar.current().add_working_days(start, working_days),
            decided_by=actor,
        )
        decision.full_clean()
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError:
            raise MeetingError(_("This problem is not on the agenda.")) from None
        notify(
            recipients=User.objects.filter(official__department=department),
            kind=Kind.MEETING_DECISION,
            params={
                "date": f"{meeting.held_on:%Y-%m-%d}",
                "due": f"{timezone.localdate(decision.due_at):%Y-%m-%d}",
                "title": decision.subject,
            },
            url=reverse("meetings:tasks"),
        )
        return decision


def decision_done(*, decision: Decision, note: str) -> Decision:
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.is_done:
            raise MeetingError(_("This decision is already done."))
        locked.done_at = timezone.now()
        locked.done_note = note
        locked.full_clean()
        locked.save(update_fields=["done_at", "done_note"])
        return locked


def meeting_close(*, meeting: Meeting) -> Meeting:
    with transaction.atomic():
        meeting = _open(meeting)
        meeting.closed_at = timezone.now()
        meeting.save(update_fields=["closed_at"])
        return meeting


def _open(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_closed:
        raise MeetingError(_("This meeting is closed; its agenda and decisions are final."))
    return locked
