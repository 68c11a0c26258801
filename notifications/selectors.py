"""Reads of the outbox for those who watch it run (/readyz, /metrics)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min

from .models import Delivery


@dataclass(frozen=True)
class Backlog:
    pending: int  # messages not sent yet: pending, or claimed by a worker and being sent
    oldest: dt.datetime | None  # when the oldest of them was written


def outbox_backlog() -> Backlog:
    """One query, on the outbox's partial index of unsent messages (delivery_due_idx)."""
    row = Delivery.objects.filter(
        state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
    ).aggregate(pending=Count("pk"), oldest=Min("created_at"))
    return Backlog(pending=row["pending"], oldest=row["oldest"])
