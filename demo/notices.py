"""The bell of each demo account as a person who uses the system finds it: the last few notices
unread (3 to 8), the older ones read. Eight weeks of tickets otherwise leave 30 to 66 unread."""

from __future__ import annotations

import random

from django.db.models import Count
from django.utils import timezone

from notifications.models import Notification

UNREAD_LOW, UNREAD_HIGH = 3, 8


def leave_a_handful_unread(rng: random.Random) -> int:
    """Mark read all but each user's newest 3-8 unread notices; answers how many were read."""
    unread = Notification.objects.filter(read_at__isnull=True)
    users = (
        unread.values("recipient_id")
        .annotate(n=Count("id"))
        .filter(n__gt=UNREAD_LOW)
        .order_by("recipient_id")
    )
    now, marked = timezone.now(), 0
    for row in users:
        keep = rng.randint(UNREAD_LOW, UNREAD_HIGH)
        older = unread.filter(recipient_id=row["recipient_id"]).order_by("-created_at", "-id")[
            keep:
        ]
        marked += Notification.objects.filter(
            pk__in=list(older.values_list("pk", flat=True))
        ).update(read_at=now)
    return marked
