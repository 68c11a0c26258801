"""Reads of the bell (a user's notices, one line per ticket) and of the outbox for those who
watch it run (/readyz, /metrics)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Min, Q, Value
from django.db.models.functions import Coalesce

from .models import Delivery, Notification

GROUPS_PER_PAGE = 30


def inbox_page_for(user, page_number) -> Page:
    """A page of the user's notices grouped by ticket, newest first: each group is the latest
    notice of a ticket with how many there are and how many are unread (a notice of no ticket
    is a group of its own). Queries: the count of groups, the page of groups, their latest
    notices with their tickets."""
    groups = (
        Notification.objects.filter(recipient=user)
        .annotate(group=Coalesce(F("ticket_id"), Value(0) - F("id")))
        .values("group")
        .annotate(
            latest=Max("id"),
            total=Count("id"),
            unread=Count("id", filter=Q(read_at__isnull=True)),
        )
        .order_by("-latest")
    )
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(page_number)
    rows = list(page.object_list)
    latest = Notification.objects.select_related("ticket").in_bulk([r["latest"] for r in rows])
    for row in rows:
        notice = latest[row["latest"]]
        notice.group_total, notice.group_unread = row["total"], row["unread"]
        row["notice"] = notice
    page.object_list = [row["notice"] for row in rows]
    return page


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
