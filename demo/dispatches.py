"""Eight weeks of demo dispatches: most due dates answered by a covering official, some missed."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from dispatches.cadence import due_dates
from dispatches.models import Dispatch
from enterprises.models import Enterprise


def seed_dispatches(rng: random.Random) -> int:
    today = timezone.localdate()
    made = []
    covered = Enterprise.objects.filter(revenue_tier__in="abc").prefetch_related(
        "coverages__official"
    )
    for enterprise in covered:
        liaisons = [c.official for c in enterprise.coverages.all()]
        for due in due_dates(enterprise.revenue_tier, today - dt.timedelta(weeks=8), today):
            if rng.random() < 0.12 or not liaisons:
                continue  # missed
            visited = min(due + dt.timedelta(days=rng.randint(0, 2)), today)
            made.append(
                Dispatch(
                    enterprise=enterprise,
                    official=liaisons[-1],
                    scheduled_for=due,
                    visited_on=visited,
                    output_value=rng.randint(800, 90000),
                    sales=rng.randint(700, 85000),
                    notes="生产经营正常。",
                )
            )
    Dispatch.objects.bulk_create(made)
    return len(made)
