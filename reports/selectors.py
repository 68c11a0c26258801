"""Reads for the reports pages: the campaign's start, and which bulletins a reader may open."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from enterprises.selectors import ReportScope, is_office, report_scope
from tickets.models import Ticket

from .figures import cohort, scope_condition
from .models import Bulletin, CampaignSettings
from .periods import Period

User = AbstractBaseUser | AnonymousUser


def campaign_start() -> dt.date:
    """The day cumulative figures count from: the office's setting, or else 1 January of this
    year (until the office sets it in the admin)."""
    start = CampaignSettings.objects.values_list("campaign_start", flat=True).first()
    return start or dt.date(timezone.localdate().year, 1, 1)


def campaign_settings() -> CampaignSettings:
    """The office's settings, or (until it saves them in the admin) their defaults."""
    found = CampaignSettings.objects.first()
    return found or CampaignSettings(campaign_start=campaign_start())


def cumulative(end: dt.date) -> Period:
    return Period.since(campaign_start(), end)


def scope_for(user: User) -> ReportScope:
    """The reader's report scope; 403 for a user who reads no reports."""
    scope = report_scope(user)
    if scope is None:
        raise PermissionDenied
    return scope


def bulletins_visible_to(user: User) -> QuerySet[Bulletin]:
    """The city's readers open every published bulletin, a district's leader its district's
    only; drafts are the office's alone."""
    scope = report_scope(user)
    if scope is None:
        return Bulletin.objects.none()
    bulletins = Bulletin.objects.select_related("district")
    if not is_office(user):
        bulletins = bulletins.filter(published_at__isnull=False)
    if not scope.is_city:
        bulletins = bulletins.filter(district_id=scope.district_id)
    return bulletins


def bulletin_for(user: User, *, week: str, district: str | None = None) -> Bulletin:
    """The bulletin of `week` ("2026-W05") for `district` (a code), or the reader's own scope:
    404 when there is none or the reader may not open it."""
    try:
        period = Period.iso_week(*_parse_week(week))
    except ValueError:
        raise Http404("No such week.") from None
    bulletins = bulletins_visible_to(user).filter(week_start=period.start)
    if district is not None:
        bulletins = bulletins.filter(district__code=district)
    else:
        scope = report_scope(user)
        if scope is None:
            raise Http404("No such bulletin.")
        # The city's bulletin has no district: None here means IS NULL (django-stubs types the
        # exact lookup of a nullable key without None).
        bulletins = bulletins.filter(district_id=scope.district_id)  # type: ignore[misc]
    bulletin = bulletins.first()
    if bulletin is None:
        raise Http404("No such bulletin.")
    return bulletin


def _parse_week(label: str) -> tuple[int, int]:
    year, _sep, week = label.upper().partition("-W")
    return int(year), int(week)


TYPICAL_CANDIDATES = 100  # the week's problems the office picks its typical ones from


def typical_candidates(bulletin: Bulletin) -> list[dict]:
    """The problems of a bulletin's week and scope the office may name as typical (section 4):
    supervised and escalated ones first, then the oldest."""
    week = Period.week(bulletin.week_start)
    tickets = Ticket.objects.filter(
        cohort(week) & scope_condition(ReportScope(bulletin.district_id))
    ).order_by("-supervised", "-escalation_level", "submitted_at", "pk")
    return list(
        tickets.values("number", "title", enterprise_name=F("enterprise__name"))[
            :TYPICAL_CANDIDATES
        ]
    )
