"""The queue's paginator: a work list counts its tickets up to a cap, not a province's million.

Counting every visible ticket costs a scan of the table: at a million tickets the office's first
page took 146–152 ms with it and takes 58–59 ms without (`python -m bench scale --only queue`,
README "Province scale"); nobody pages through more than 400 pages of 25. Past the cap
the queue says "more than 10,000 tickets" and the user narrows it with the filters. The lists
behind the reports' figures count exactly (reports.links), since each must equal its figure.
"""

from __future__ import annotations

from typing import cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A Paginator whose `count` stops at `cap` (then `capped` is True)."""

    cap = COUNT_CAP

    @cached_property
    def counted(self) -> int:
        """The rows, up to cap + 1: one query reading at most that many."""
        tickets = cast(QuerySet, self.object_list)  # the queue hands it a queryset
        return tickets.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)
