"""A theme's deadline moves with the calendar as a ticket's does (workdays.services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext as _

from workdays.services import Move, Rescheduler

from .models import Theme


def theme_deadline_moves(reschedule: Rescheduler, since: dt.date) -> Iterator[Move]:
    rows = Theme.objects.filter(status=Theme.Status.OPEN, due__date__gte=since).values_list(
        "pk", "title", "due"
    )
    for pk, title, due in rows:
        moved = reschedule(due)
        if moved != due:
            yield Move(Theme, pk, "due", title, _("theme deadline"), due, moved)
