"""Reads of tickets. `tickets_visible_to` is the one place that decides who sees which ticket."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from enterprises.models import Coverage
from enterprises.selectors import integration_of, is_office, member_of, official_of, report_scope

from .models import Action, Attachment, Ticket, TicketEvent
from .workflow import TRANSITIONS, roles_for

User = AbstractBaseUser | AnonymousUser


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    """Every ticket `user` may see (DOMAIN.md, "Who sees what").

    - the office: all;
    - a leader: those of its report scope (the city, or its district) and of enterprises it covers;
    - an official: those of enterprises it covers and those assigned or escalated to it;
    - a department coordinator: also those transferred to its department (lead or supporting);
    - an enterprise user: its own enterprise's;
    - an integration (12345 hotline, an Open311 client): those it filed.
    """
    if not user.is_authenticated:
        return Ticket.objects.none()
    if is_office(user):
        return Ticket.objects.all()
    condition = Q(pk__in=[])
    if integration_of(user) is not None:
        condition |= Q(submitted_by_id=user.pk)
    member = member_of(user)
    if member is not None:
        condition |= Q(enterprise_id=member.enterprise_id)
    official = official_of(user)
    if official is not None:
        condition |= Q(assignee_id=user.pk) | Q(escalated_to_id=user.pk)
        condition |= Exists(
            Coverage.objects.filter(
                official_id=official.pk, enterprise_id=OuterRef("enterprise_id")
            )
        )
        if official.is_coordinator:
            condition |= Q(lead_department_id=official.department_id)
            condition |= Exists(
                Ticket.supporting_departments.through.objects.filter(
                    ticket_id=OuterRef("pk"), department_id=official.department_id
                )
            )
    scope = report_scope(user)
    if scope is not None:
        if scope.is_city:
            return Ticket.objects.all()
        condition |= Q(enterprise__district_id=scope.district_id)
    return Ticket.objects.filter(condition)


def ticket_list_for(*, user: User) -> QuerySet[Ticket]:
    """The queue: visible tickets with what a row shows loaded in the same query."""
    return tickets_visible_to(user).select_related(
        "enterprise__district",
        "category__parent",
        "assignee__official",
        "lead_department",
        "merged_into",
    )


def ticket_for(user: User, number: str) -> Ticket:
    """One visible ticket, or 404 (exactly as for a ticket that does not exist)."""
    try:
        return (
            tickets_visible_to(user)
            .select_related(
                "enterprise__district",
                "category__parent",
                "assignee__official",
                "lead_department",
                "merged_into",
                "submitted_by",
                "escalated_to__official",
            )
            .get(number=number)
        )
    except Ticket.DoesNotExist:
        raise Http404("No such ticket.") from None


def ticket_for_action(user: User, number: str, action: Action) -> Ticket:
    """A visible ticket on which `user` holds a role that may do `action`: 404, else 403."""
    ticket = ticket_for(user, number)
    if not roles_for(user, ticket) & TRANSITIONS[action].roles:
        raise PermissionDenied
    return ticket


def timeline_for(
    user: User, ticket: Ticket, *, events: list[TicketEvent] | None = None
) -> list[TicketEvent]:
    """The ticket's events with their attachments. The enterprise sees only public events, and
    of those the notes (and the files that came with them) only where the note is for it too
    (tickets.workflow.NOTE_AUDIENCE): its copy of any other event carries no note.

    `events`: all of the ticket's events, already in hand (a ticket just filed has one), to be
    shown by the same rules without reading them again."""
    if events is not None:
        if enterprise_view(user, ticket):
            events = [event for event in events if event.public]
            for event in events:
                event.note = event.note_for_enterprise
        return events
    events = ticket.events.select_related(
        "actor__official", "actor__enterprise_member", "department"
    )
    if not enterprise_view(user, ticket):
        return list(events.prefetch_related("attachments"))
    events = list(
        events.filter(public=True).prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.filter(event__note_public=True))
        )
    )
    for event in events:
        event.note = event.note_for_enterprise  # never saved: events are append-only
    return events


def attachment_visible_to(user: User, attachment: Attachment) -> bool:
    """Whether `user` may download `attachment` of a ticket it sees: the enterprise only the
    files of notes it may read (as on its timeline)."""
    event = attachment.event
    if event is None or not enterprise_view(user, attachment.ticket):
        return True
    return event.enterprise_reads_note


def enterprise_view(user: User, ticket: Ticket) -> bool:
    """Whether `user` looks at `ticket` as its enterprise (and not also as an official)."""
    member = member_of(user)
    return (
        member is not None
        and member.enterprise_id == ticket.enterprise_id
        and (official_of(user) is None and not is_office(user))
    )
