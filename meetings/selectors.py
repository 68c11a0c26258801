"""Reads of the joint meetings: who reads them, the next meeting, an agenda, a department's
decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from enterprises.selectors import is_office, official_of
from themes.models import Theme
from tickets.models import OPEN_STATUSES, EscalationLevel, Ticket

from .models import AgendaItem, Decision, Meeting


def reads_meetings(user) -> bool:
    """The office and the leaders read the meetings, their agendas and minutes."""
    if is_office(user):
        return True
    official = official_of(user)
    return official is not None and official.is_leader


def meeting_for(user, pk: int) -> Meeting:
    """A meeting for one who reads them; 404 for everybody else, as for none."""
    if not reads_meetings(user):
        raise Http404("No such meeting.")
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def next_meeting() -> Meeting | None:
    """The earliest meeting not yet closed: where new items go."""
    return Meeting.objects.filter(closed_at__isnull=True).order_by("held_on").first()


def decisions_visible_to(user) -> QuerySet[Decision]:
    """The office and the leaders see every decision; a department's officials (its
    coordinator included) their department's; everybody else none."""
    decisions = Decision.objects.select_related("meeting", "department", "ticket")
    if reads_meetings(user):
        return decisions
    official = official_of(user)
    if official is None or official.department_id is None:
        return decisions.none()
    return decisions.filter(department_id=official.department_id)


def escalated_tickets() -> QuerySet[Ticket]:
    """Tickets at the joint meeting's level, still open, that no meeting has decided on."""
    return (
        Ticket.objects.filter(
            escalation_level=EscalationLevel.JOINT_MEETING,
            status__in=sorted(OPEN_STATUSES),
            merged_into__isnull=True,
        )
        .exclude(pk__in=Decision.objects.filter(ticket__isnull=False).values("ticket_id"))
        .select_related("enterprise", "enterprise__district", "lead_department")
        .order_by("submitted_at", "pk")
    )


def meeting_themes(now: dt.datetime | None = None) -> QuerySet[Theme]:
    """Themes still being worked that are past their deadline or that the office put to the
    meeting: on every open meeting's agenda until they are resolved (or the office takes them
    off, or a holiday notice moves a deadline), as escalated tickets are until decided. Each
    with its lead department, leader and number of problems."""
    late = Q(due__lt=now or timezone.now())
    return (
        Theme.objects.filter(late | Q(for_meeting=True), status=Theme.Status.OPEN)
        .select_related("lead_department", "leader")
        .annotate(member_count=Count("members"))
        .order_by("due", "pk")
    )


def undecided_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The office's items awaiting a decision: a meeting's own, and for an open meeting those
    that earlier meetings left undecided."""
    items = AgendaItem.objects.filter(decision__isnull=True).select_related("meeting")
    if meeting.is_closed:
        return items.filter(meeting=meeting)
    return items.filter(meeting__held_on__lte=meeting.held_on)


@dataclass
class Agenda:
    meeting: Meeting
    follow_ups: list[Decision]  # open decisions of earlier meetings
    tickets: list[Ticket]  # escalated tickets awaiting a decision
    items: list[AgendaItem]  # the office's items awaiting a decision (earlier ones too)
    decided: list[Decision]  # what this meeting decided
    themes: list[Theme] = field(default_factory=list)  # themes past their deadline or put to it


def agenda(meeting: Meeting) -> Agenda:
    """A meeting's agenda. An open meeting gathers what waits now; a closed one keeps what it
    decided and its own items."""
    earlier = Q(meeting__held_on__lt=meeting.held_on, done_at__isnull=True)
    if meeting.is_closed:
        earlier &= Q(decided_at__lt=meeting.closed_at)
    follow_ups = list(
        Decision.objects.filter(earlier).select_related("meeting", "department", "ticket")
    )
    tickets = [] if meeting.is_closed else list(escalated_tickets())
    items = list(undecided_items(meeting))
    decided = list(meeting.decisions.select_related("department", "ticket", "item"))
    themes = [] if meeting.is_closed else list(meeting_themes())
    return Agenda(meeting, follow_ups, tickets, items, decided, themes)


def working_days_left(decision: Decision, now: dt.datetime | None = None) -> int:
    from workdays.calendar import WorkCalendar

    return WorkCalendar.current().working_days_left(decision.due_at, now or timezone.now())
