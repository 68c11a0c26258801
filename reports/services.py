"""Writes of the reports app: publishing the weekly bulletin."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from enterprises.models import District
from enterprises.selectors import ReportScope, report_readers
from notifications.models import Kind
from notifications.services import notify
from ops.replica import primary_reads

from .bulletins import bulletin_data
from .models import Bulletin
from .periods import Period


def bulletin_publish(*, week: Period, now: dt.datetime | None = None) -> list[Bulletin]:
    """Publish the bulletin of `week` for the city and for each district, and tell their
    readers. A bulletin already published is left as it is (running twice publishes nothing
    twice and announces nothing twice); answer the bulletins published now."""
    if not week.is_iso_week:
        raise ValueError("A bulletin covers one ISO week, Monday to Sunday.")
    now = now or timezone.now()
    with primary_reads():  # never a lagging replica's figures in a bulletin that is kept
        return _publish(week, now)


def _publish(week: Period, now: dt.datetime) -> list[Bulletin]:
    published = []
    for district_id in [None, *District.objects.values_list("pk", flat=True)]:
        # None: the city's bulletin, IS NULL (django-stubs types this lookup without None).
        known = Bulletin.objects.filter(week_start=week.start, district_id=district_id)  # type: ignore[misc]
        if known.exists():
            continue
        data = bulletin_data(period=week, scope=ReportScope(district_id), now=now)
        try:
            with transaction.atomic():
                bulletin = Bulletin.objects.create(
                    week_start=week.start, district_id=district_id, data=data, published_at=now
                )
                notify(
                    recipients=bulletin_readers(ReportScope(district_id)),
                    kind=Kind.BULLETIN,
                    params={"week": week.week_label},
                    url=bulletin_url(bulletin),
                )
        except IntegrityError:  # another worker published this one a moment ago
            continue
        published.append(bulletin)
    return published


def bulletin_readers(scope: ReportScope) -> QuerySet[User]:
    """Who hears of a bulletin: those who read its scope's reports."""
    return report_readers(scope)


def bulletin_url(bulletin: Bulletin) -> str:
    if bulletin.district_id is None:
        return reverse("reports:bulletin", args=[bulletin.week_label])
    district = bulletin.district
    assert district is not None  # district_id was set
    return reverse("reports:district_bulletin", args=[bulletin.week_label, district.code])
