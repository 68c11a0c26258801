"""Reads of dispatches: who may see which."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from enterprises.models import Coverage
from enterprises.selectors import User, is_office, official_of

from .models import Dispatch


def dispatches_visible_to(user: User) -> QuerySet[Dispatch]:
    """Dispatch records are the officials' working notes: the office reads them all, an official
    those of the enterprises it covers; enterprise users and everybody else none."""
    if is_office(user):
        return Dispatch.objects.all()
    official = official_of(user)
    if official is None:
        return Dispatch.objects.none()
    return Dispatch.objects.filter(
        Exists(Coverage.objects.filter(official=official, enterprise=OuterRef("enterprise_id")))
    )
