"""What follows an event in its transaction: attachments, duplicates following their main
ticket, and the notices of tickets.notices."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..attachments import attachment_name
from ..models import Action, Attachment, Ticket, TicketEvent
from ..notices import notify_ticket_event

# --- after the event -------------------------------------------------------------------------


# A merged duplicate follows its main ticket's outcome: the moves that resolve, close or reopen
# it. The main ticket's routing (transfer, return, assign…) stays its own, so that a department's
# return (退单) is one event and counted once.
MIRRORED_ACTIONS = frozenset({Action.RESOLVE, Action.RATE, Action.REOPEN, Action.CLOSE})


def mirror_into_duplicates(main: Ticket, event: TicketEvent) -> None:
    """A merged duplicate follows its main ticket's status and outcome, with its own event."""
    for duplicate in main.duplicates.select_for_update().select_related("enterprise"):
        if duplicate.status == main.status and duplicate.outcome == main.outcome:
            continue
        from_status = duplicate.status
        for name in ("status", "outcome", "resolution", "resolved_at", "closed_at"):
            setattr(duplicate, name, getattr(main, name))
        duplicate.save(
            update_fields=[
                "status",
                "outcome",
                "resolution",
                "resolved_at",
                "closed_at",
                "updated_at",
            ]
        )
        follow = TicketEvent.objects.create(
            ticket=duplicate,
            action=event.action,
            actor=event.actor,
            from_status=from_status,
            to_status=duplicate.status,
            note=_("Follows %(number)s, into which this ticket was merged.")
            % {"number": main.number},
            public=True,
            note_public=True,
            data={"follows": main.number},
            created_at=event.created_at,
        )
        after_event(follow)


def save_attachments(ticket, event, checked, user) -> None:
    for upload, content_type in checked:
        Attachment.objects.create(
            ticket=ticket,
            event=event,
            file=upload,
            original_name=attachment_name(upload.name, content_type),
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )


def after_event(event: TicketEvent) -> None:
    notify_ticket_event(event)
