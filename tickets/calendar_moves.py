"""Which ticket deadlines a new calendar moves (a holiday notice read in: workdays.services).

Only the clocks still running can move (tickets.clocks says which run when).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from workdays.services import Move, Rescheduler

from .clocks import ACCEPTANCE, COMPLETION, FOLLOW_UP, PROGRESS, RUNNING, running_condition
from .models import Ticket

WHAT = {
    ACCEPTANCE: _("acceptance deadline"),
    PROGRESS: _("first progress deadline"),
    COMPLETION: _("completion deadline"),
    FOLLOW_UP: _("follow-up call"),
}


def ticket_deadline_moves(reschedule: Rescheduler, since: dt.date) -> Iterator[Move]:
    for clock, (field, _running) in RUNNING.items():
        rows = (
            Ticket.objects.filter(running_condition(clock), **{f"{field}__date__gte": since})
            .values_list("pk", "number", field)
            .order_by(field)
        )
        for pk, number, due in rows.iterator(chunk_size=2000):
            moved = reschedule(due)
            if moved != due:
                yield Move(Ticket, pk, field, number, str(WHAT[clock]), due, moved)
