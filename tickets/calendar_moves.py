"""Which ticket deadlines a new calendar moves (a holiday notice read in: workdays.services).

Only the clocks still running can move: acceptance while a ticket waits to be accepted, first
progress and completion while it is worked, the follow-up call while it is not made yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workdays.services import Move, Rescheduler

from .models import OPEN_STATUSES, Status, Ticket

CLOCKS = {
    "acceptance_due": (_("acceptance deadline"), Q(status=Status.SUBMITTED)),
    "first_progress_due": (_("first progress deadline"), Q(status__in=OPEN_STATUSES)),
    "completion_due": (_("completion deadline"), Q(status__in=OPEN_STATUSES)),
    "follow_up_due": (_("follow-up call"), Q(followed_up_at__isnull=True)),
}


def ticket_deadline_moves(reschedule: Rescheduler, since: dt.date) -> Iterator[Move]:
    for field, (what, running) in CLOCKS.items():
        rows = (
            Ticket.objects.filter(running, **{f"{field}__date__gte": since})
            .values_list("pk", "number", field)
            .order_by(field)
        )
        for pk, number, due in rows.iterator(chunk_size=2000):
            moved = reschedule(due)
            if moved != due:
                yield Move(Ticket, pk, field, number, str(what), due, moved)
