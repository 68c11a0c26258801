"""Reads of master data, and who a user is in the campaign."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from ops.masterdata import kept

from .models import Category, Coverage, Enterprise, EnterpriseMember, Official

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class ActiveCategories:
    """The categories that take new problems, by id and by code, each with its parent."""

    by_pk: dict[int, Category]
    by_code: dict[str, Category]

    def get(self, *, pk: int | None = None, code: str | None = None) -> Category | None:
        """A copy of the category (a caller may change its copy), or None."""
        found = self.by_pk.get(pk) if pk is not None else self.by_code.get(code or "")
        return copy.copy(found) if found is not None else None


@kept(Category)
def active_categories() -> ActiveCategories:
    """Every filing names one: kept in the process (ops.masterdata), not read each time."""
    rows = list(Category.objects.filter(is_active=True).select_related("parent"))
    return ActiveCategories({c.pk: c for c in rows}, {c.code: c for c in rows})


def official_of(user: User | None) -> Official | None:
    """The user's official profile (department and district loaded), or None. Cached on the user."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_official_cache"):
        user._official_cache = _one_or_none(
            Official.objects.select_related("department", "district").filter(user=user)
        )
    return user._official_cache


def member_of(user: User | None) -> EnterpriseMember | None:
    """The user's enterprise membership (enterprise and its district loaded), or None. Cached on
    the user."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_member_cache"):
        user._member_cache = _one_or_none(
            EnterpriseMember.objects.select_related("enterprise__district").filter(user=user)
        )
    return user._member_cache


def _one_or_none(rows: QuerySet):
    """The row of a one-to-one lookup, or None: `get()`, which needs no ORDER BY as `first()`
    does (a fifth of the time of these queries, which every signed-in request makes)."""
    try:
        return rows.get()
    except rows.model.DoesNotExist:
        return None


def integration_of(user: User | None):
    """The active integration (12345 hotline, an Open311 client) the user acts for, or None.
    Only asked of users who are neither officials nor enterprise users, and cached on the user."""
    if user is None or not user.is_authenticated:
        return None
    if official_of(user) is not None or member_of(user) is not None:
        return None
    if not hasattr(user, "_integration_cache"):
        # Through the user's relation (integrations.models.Integration.user), which a key read
        # with its integration and user has filled already: no query then.
        integration = getattr(user, "integration", None)
        user._integration_cache = integration if integration and integration.is_active else None
    return user._integration_cache


def is_office(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    official = official_of(user)
    return official is not None and official.is_office


@dataclass(frozen=True)
class ReportScope:
    """Whose figures (and the tickets behind them) a reader of reports sees."""

    district_id: int | None  # None: the whole city

    @property
    def is_city(self) -> bool:
        return self.district_id is None


# The leader rule: who reads which figures (and may open the tickets behind them), written once
# here in its two forms, for one user (report_scope) and as a condition on users (scope_readers).
# report_readers (who hears of a bulletin) and tickets.workflow.extension_approvers (who decides
# on an extension) both use scope_readers; tests/enterprises/test_leader_scope.py walks every
# kind of official and checks that the forms agree.
LEADER_LEVELS = (Official.Level.CITY_LEADER, Official.Level.BUREAU_LEADER)


def report_scope(user: User | None) -> ReportScope | None:
    """Who reads which figures (and may open the tickets behind them): the office and city
    leaders without a district read the city; a leader with a district (city or bureau level)
    reads that district; everybody else, bureau leaders of departments included, reads none."""
    if is_office(user):
        return ReportScope(None)
    official = official_of(user)
    if official is None or official.level not in LEADER_LEVELS:
        return None
    if official.district_id is not None:
        return ReportScope(official.district_id)
    if official.level == Official.Level.CITY_LEADER:
        return ReportScope(None)
    return None


def scope_readers(scope: ReportScope) -> Q:
    """The users whose report_scope() is exactly `scope`, as a condition on users (superusers,
    whom is_office() counts as the office, aside: they hear of nothing by this rule)."""
    if scope.is_city:
        return Q(official__is_office=True) | Q(
            official__level=Official.Level.CITY_LEADER, official__district__isnull=True
        )
    return Q(
        official__is_office=False,
        official__level__in=LEADER_LEVELS,
        official__district_id=scope.district_id,
    )


def district_readers(district_id: int) -> Q:
    """The users who read the figures of `district_id`: its own leaders and the city's readers."""
    return scope_readers(ReportScope(None)) | scope_readers(ReportScope(district_id))


def report_readers(scope: ReportScope) -> QuerySet:
    """Everyone whose report_scope() is `scope` (who hears of a bulletin)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(scope_readers(scope), is_active=True)


def covers(official: Official | None, enterprise_id: int) -> bool:
    if official is None:
        return False
    return Coverage.objects.filter(official=official, enterprise_id=enterprise_id).exists()


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    """The office sees every enterprise; a leader those in its scope and those it covers;
    an official those it covers; an enterprise user its own."""
    scope = report_scope(user)
    if scope is not None and scope.is_city:
        return Enterprise.objects.all()
    official = official_of(user)
    member = member_of(user)
    condition = Q(pk__in=[])
    if official is not None:
        condition |= Exists(Coverage.objects.filter(official=official, enterprise=OuterRef("pk")))
    if scope is not None:
        condition |= Q(district_id=scope.district_id)
    if member is not None:
        condition |= Q(pk=member.enterprise_id)
    return Enterprise.objects.filter(condition)


def enterprises_fileable_by(user: User) -> QuerySet[Enterprise]:
    """Enterprises `user` may file problems for (tickets.workflow's SUBMIT roles): any, for the
    office and integrations; those it covers, for an official; its own, for an enterprise user."""
    if is_office(user) or integration_of(user) is not None:
        return Enterprise.objects.filter(is_active=True)
    condition = Q(pk__in=[])
    official = official_of(user)
    if official is not None:
        condition |= Exists(Coverage.objects.filter(official=official, enterprise=OuterRef("pk")))
    member = member_of(user)
    if member is not None:
        condition |= Q(pk=member.enterprise_id)
    return Enterprise.objects.filter(condition, is_active=True)


# What the "my enterprises" page counts for each enterprise, named by the apps above (tickets
# registers its open tickets from its AppConfig.ready); master data knows no tickets.
COVERED_COUNTS: dict[str, Count] = {}


def register_covered_count(name: str, count: Count) -> None:
    COVERED_COUNTS[name] = count


def enterprises_covered_by(official: Official) -> QuerySet[Enterprise]:
    """The enterprises an official covers, with the counts registered in COVERED_COUNTS
    (its open tickets)."""
    return (
        Enterprise.objects.filter(coverages__official=official)
        .select_related("district", "industry_chain")
        .annotate(**COVERED_COUNTS)
        .order_by("name")
    )


def office_users() -> QuerySet:
    """The active users of the campaign office (领导小组办公室)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(official__is_office=True, is_active=True)


def covering_users(enterprise_id: int, role: str | None = None) -> QuerySet:
    """The users of the officials covering an enterprise: all of them, or those in one role
    (Coverage.Role.PRIMARY, the covering leader; LIAISON, the daily contacts)."""
    from django.contrib.auth import get_user_model

    condition = Q(official__coverages__enterprise_id=enterprise_id)
    if role:
        condition &= Q(official__coverages__role=role)
    return get_user_model().objects.filter(condition, is_active=True).distinct()


def covering_users_by_enterprise(enterprise_ids: Iterable[int]) -> dict[int, list]:
    """covering_users of many enterprises in one query: enterprise id → its covering users."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(official__coverages__enterprise_id__in=set(enterprise_ids), is_active=True)
        .annotate(covered=F("official__coverages__enterprise_id"))
    )
    by_enterprise: dict[int, list] = defaultdict(list)
    for user in users:
        by_enterprise[user.covered].append(user)
    return by_enterprise
