"""Reads for Open311: which service requests a caller may follow, with what the answer shows.

Visibility is tickets.selectors.tickets_visible_to (an integration follows the problems it filed
itself). Whoever asks, only notes the enterprise may read speak in `status_notes` (a public event
with a public note, tickets.workflow.NOTE_AUDIENCE): Open311 answers go to systems outside the
government, which answer the enterprise.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, QuerySet, Subquery

from tickets.models import Ticket, TicketEvent
from tickets.selectors import tickets_visible_to

User = AbstractBaseUser | AnonymousUser


def service_requests_visible_to(user: User) -> QuerySet[Ticket]:
    """Tickets `user` may follow through Open311, with everything an answer shows loaded."""
    visible = tickets_visible_to(user)
    last_public_note = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), public=True, note_public=True)
        .exclude(note="")
        .order_by("-created_at", "-id")
        .values("note")[:1]
    )
    return visible.select_related("enterprise", "category", "lead_department", "open311").annotate(
        last_public_note=Subquery(last_public_note)
    )
