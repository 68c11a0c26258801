"""The transition function: every action on a ticket after its submission goes through
`ticket_transition`, which reads the table in tickets.workflow and the effects in .actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workdays.calendar import WorkCalendar

from ..attachments import validate_attachments
from ..models import Action, Status, Ticket, TicketEvent
from ..validators import without_control_characters
from ..workflow import (
    NOTE_AUDIENCE,
    TRANSITIONS,
    NoteAudience,
    TransitionError,
    precondition_error,
    roles_for,
    visibility,
)
from .actions import EFFECTS, Change, Context
from .effects import MIRRORED_ACTIONS, after_event, mirror_into_duplicates, save_attachments


def ticket_transition(
    *,
    ticket: Ticket | int,
    actor: AbstractBaseUser | None,
    action: Action | str,
    note: str = "",
    public: bool | None = None,
    attachments: Iterable[UploadedFile] = (),
    at: dt.datetime | None = None,
    **params,
) -> Ticket:
    """Do `action` on `ticket` as `actor` (None: the system), or refuse and write nothing.

    Locks the ticket's row, checks the table in tickets.workflow, applies the action's effect,
    saves the changed fields, writes one event and queues notifications for after the commit.
    `public` is the author's mark "let the enterprise read this note", where
    tickets.workflow.NOTE_AUDIENCE lets the author choose; whether the event shows is the
    table's. `at` records an action that happened earlier (imports, demo data); it defaults to
    now.
    """
    action = Action(action)
    if public and NOTE_AUDIENCE[action] == NoteAudience.INTERNAL:
        raise ValidationError(
            {"public": _("This note stays between officials; the enterprise never reads it.")}
        )
    event_public, note_public = visibility(action, note_for_enterprise=bool(public))
    note = without_control_characters(note)
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    checked = validate_attachments(list(attachments))
    with transaction.atomic():
        locked = _lock(pk, action, params)
        change = _apply(locked, actor, action, note.strip(), params, at or timezone.now())
        event = TicketEvent.objects.create(
            ticket=locked,
            action=action,
            actor=actor,
            department=change.department,
            from_status=change.from_status,
            to_status=locked.status,
            note=note.strip(),
            public=event_public,
            note_public=note_public,
            data=change.data,
            created_at=change.at,
        )
        save_attachments(locked, event, checked, actor)
        after_event(event)
        if action in MIRRORED_ACTIONS:
            mirror_into_duplicates(locked, event)
    if isinstance(ticket, Ticket):
        ticket.refresh_from_db()
    return locked


def _lock(pk: int, action: Action, params: dict) -> Ticket:
    """Lock the ticket's row for the transition; a merge locks the main ticket too, both in the
    order of their ids, so that two merges at once can neither deadlock nor make a cycle."""
    into = params.get("into") if action == Action.MERGE else None
    ids = sorted({pk, into.pk} if isinstance(into, Ticket) else {pk})
    rows = {
        t.pk: t
        for t in Ticket.objects.select_for_update(of=("self",))
        .select_related("enterprise", "category")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    if pk not in rows:
        raise Ticket.DoesNotExist
    if into is not None and into.pk in rows:
        params["into"] = rows[into.pk]  # as it is now, not as the caller read it
    return rows[pk]


def _apply(ticket: Ticket, actor, action: Action, note: str, params: dict, now) -> Change:
    move = TRANSITIONS[action]
    roles = roles_for(actor, ticket)
    if not roles & move.roles:
        raise TransitionError(
            _("You may not %(action)s this ticket.") % {"action": action.label.lower()},
            code="forbidden",
        )
    if ticket.merged_into_id is not None:
        raise TransitionError(
            _("This ticket was merged into %(number)s and follows it; act on that ticket.")
            % {"number": ticket.merged_into.number}
        )
    if ticket.status not in move.sources:
        raise TransitionError(
            _("Cannot %(action)s a ticket that is “%(status)s”.")
            % {"action": action.label.lower(), "status": Status(ticket.status).label}
        )
    if (reason := precondition_error(ticket, action)) is not None:
        raise TransitionError(reason)

    ctx = Context(ticket, actor, roles, {**params, "note": note}, now, WorkCalendar.current())
    change = EFFECTS[action](ctx)
    change.from_status, change.at = ticket.status, now
    target = change.status or move.target
    if target is not None and target != ticket.status:
        ctx.set(change, status=target)
    ticket.save(update_fields=[*sorted(change.fields), "updated_at"])
    return change
