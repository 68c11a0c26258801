"""Writes of the reports app: the weekly bulletin's draft, the office's sections, publication.

Monday 08:00 drafts the week's bulletins (the city's and each district's) and tells the office;
the office picks the typical problems (section 4) and writes the next steps (section 5), then
publishes. Publishing recomputes the figures, freezes them with the office's text, and gives
the bulletin the next issue number of its series for the year (2026年第47期), under a lock, so
the numbers have neither gaps nor duplicates. With `auto_publish` set in the campaign settings,
Monday publishes at once.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import District
from enterprises.selectors import ReportScope, report_readers
from notifications.models import Kind
from notifications.services import notify
from ops.replica import primary_reads
from tickets.models import Ticket

from .bulletins import bulletin_data
from .models import Bulletin, IssueCounter, ScoreWeights
from .periods import Period
from .selectors import campaign_settings, typical_candidates

User = get_user_model()
MAX_TYPICAL = 5  # typical problems a bulletin names (section 4)


class BulletinError(Exception):
    """A change the bulletin refuses (it is published; a problem not of its week)."""


def bulletin_draft(*, week: Period, now: dt.datetime | None = None) -> list[Bulletin]:
    """Draft the bulletins of `week` (the city's and each district's) that do not exist yet and
    tell the office; answer the drafts made now. Running twice drafts nothing twice."""
    if not week.is_iso_week:
        raise ValueError("A bulletin covers one ISO week, Monday to Sunday.")
    now = now or timezone.now()
    drafted = []
    with primary_reads():
        for district_id in [None, *District.objects.values_list("pk", flat=True)]:
            if Bulletin.objects.filter(week_start=week.start, district_id=district_id).exists():
                continue
            data = bulletin_data(period=week, scope=ReportScope(district_id), now=now)
            try:
                with transaction.atomic():
                    drafted.append(
                        Bulletin.objects.create(
                            week_start=week.start,
                            district_id=district_id,
                            data=data,
                            drafted_at=now,
                        )
                    )
            except IntegrityError:  # another worker drafted this one a moment ago
                continue
    city = next((b for b in drafted if b.district_id is None), None)
    if city is not None:
        notify(
            recipients=User.objects.filter(official__is_office=True, is_active=True),
            kind=Kind.BULLETIN_DRAFT,
            params={"week": week.week_label},
            url=bulletin_url(city, "reports:bulletin_edit"),
        )
    return drafted


def bulletin_edit(*, bulletin: Bulletin, typical: list[str], next_steps: str) -> Bulletin:
    """The office's sections of a draft: the typical problems (numbers of the week's tickets
    in the bulletin's scope) and the next steps. A published bulletin refuses, and nothing
    changes."""
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if locked.is_published:
            raise BulletinError(_("This bulletin is published; it can no longer be changed."))
        allowed = {t["number"] for t in typical_candidates(locked)}
        chosen = list(dict.fromkeys(typical))
        if len(chosen) > MAX_TYPICAL:
            raise BulletinError(
                _("Choose at most %(count)s typical problems.") % {"count": MAX_TYPICAL}
            )
        if not set(chosen) <= allowed:
            raise BulletinError(_("A typical problem must be one of this week's problems."))
        locked.typical = chosen
        locked.next_steps = next_steps.strip()
        locked.full_clean(exclude=["data", "district", "week_start"])
        locked.save(update_fields=["typical", "next_steps"])
        return locked


def bulletin_issue(*, bulletin: Bulletin, now: dt.datetime | None = None) -> bool:
    """Publish one draft: its figures recomputed as of `now` and frozen with the office's
    sections and the next issue number of its series; its readers told. False when it was
    already published (by another worker a moment ago)."""
    now = now or timezone.now()
    with primary_reads(), transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if locked.is_published:
            return False
        week = Period.week(locked.week_start)
        scope = ReportScope(locked.district_id)
        data = bulletin_data(period=week, scope=scope, now=now)
        settings = campaign_settings()
        year = timezone.localdate(now).year
        number = _next_issue_number(year=year, series=locked.district_id or 0)
        data["document"] = {
            "office": settings.issuing_office,
            "issue": {"year": year, "number": number},
            "date": timezone.localdate(now).isoformat(),
            "roll_length": settings.roll_length,
            "typical": typical_snapshot(locked.typical),
            "next_steps": locked.next_steps,
        }
        Bulletin.objects.filter(pk=locked.pk).update(
            data=data, published_at=now, issue_year=year, issue_number=number
        )
        locked.refresh_from_db()
        notify(
            recipients=bulletin_readers(scope),
            kind=Kind.BULLETIN,
            params={"week": week.week_label},
            url=bulletin_url(locked),
        )
    bulletin.refresh_from_db()
    return True


def _next_issue_number(*, year: int, series: int) -> int:
    """The next number of a series, counted on a row locked until the publication commits."""
    IssueCounter.objects.get_or_create(year=year, series=series)
    counter = IssueCounter.objects.select_for_update().get(year=year, series=series)
    IssueCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return counter.last + 1


def bulletin_publish(*, week: Period, now: dt.datetime | None = None) -> list[Bulletin]:
    """Draft what is missing of `week` and publish every draft of it (the command, automatic
    publishing); answer the bulletins published now. Running twice publishes nothing twice."""
    now = now or timezone.now()
    bulletin_draft(week=week, now=now)
    drafts = Bulletin.objects.filter(week_start=week.start, published_at__isnull=True).order_by(
        F("district__sort_order").asc(nulls_first=True), "district__code"
    )
    published = []
    for draft in drafts:
        if bulletin_issue(bulletin=draft, now=now):
            published.append(draft)
    return published


def bulletin_monday(*, week: Period, now: dt.datetime | None = None) -> list[Bulletin]:
    """Monday's job: the drafts, published at once when the office chose so."""
    if campaign_settings().auto_publish:
        return bulletin_publish(week=week, now=now)
    return bulletin_draft(week=week, now=now)


def typical_snapshot(numbers: list[str]) -> list[dict]:
    """The chosen problems as the published bulletin keeps them, in the office's order."""
    rows = Ticket.objects.filter(number__in=numbers).values(
        "number",
        "title",
        "status",
        "outcome",
        enterprise_name=F("enterprise__name"),
        district_name=F("enterprise__district__name"),
        department_name=F("lead_department__name"),
    )
    by_number = {row["number"]: row for row in rows}
    return [
        {
            "number": n,
            "title": by_number[n]["title"],
            "enterprise": by_number[n]["enterprise_name"],
            "district": by_number[n]["district_name"],
            "department": by_number[n]["department_name"],
            "status": by_number[n]["status"],
            "outcome": by_number[n]["outcome"],
        }
        for n in numbers
        if n in by_number
    ]


def bulletin_readers(scope: ReportScope) -> QuerySet:
    """Who hears of a bulletin: those who read its scope's reports."""
    return report_readers(scope)


def bulletin_url(bulletin: Bulletin, name: str = "reports:bulletin") -> str:
    if bulletin.district_id is None:
        return reverse(name, args=[bulletin.week_label])
    return reverse(
        f"{name.replace('bulletin', 'district_bulletin', 1)}",
        args=[bulletin.week_label, bulletin.district.code],
    )


def score_weights_update(*, weights: ScoreWeights) -> ScoreWeights:
    """Save the office's score weights (validated: each 0–100, not all zero)."""
    weights.full_clean()
    weights.save()
    return weights
