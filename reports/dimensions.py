"""What the figures are broken down by: district, department, category, industry chain, covering
official, revenue tier and SRDI level.

Each dimension says which ticket field a ticket is grouped by (the same path filters the
drill-down list, so a group's number and its list agree), which field of a return event (for
`returned`), and how to name its units. A ticket without a unit (not yet transferred to a
department, an enterprise outside the key chains, or without a primary covering leader) falls in
an explicit "none" group, so that every breakdown adds up to the totals.

Categories are rolled up to their top-level category (用地、用电… count under 要素保障): the
leaders' tables keep one line per category they know, and the groups still add up. The tree may
be deeper than two levels; every category counts under its root.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import FilteredRelation, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.models import (
    Category,
    Coverage,
    Department,
    District,
    Enterprise,
    IndustryChain,
    Official,
)
from enterprises.selectors import ReportScope

NONE_TOKEN = "none"  # how the "none" group is written in a URL (its JSON key is null)


@dataclass(frozen=True)
class Unit:
    """One line of a breakdown: its key (a code, or None for the "none" group), its name, the
    grouped values it gathers, and where it sorts."""

    key: str | None
    name: str
    values: tuple
    order: tuple = ()

    @property
    def token(self) -> str:
        return NONE_TOKEN if self.key is None else self.key


# A lister answers the units of a dimension: those whose values are in `seen` (or every one in
# scope, for districts and departments), or, given `key`, the one unit with that key.
Lister = Callable[..., list[Unit]]


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    path: str  # what a ticket is grouped by
    event_path: str  # what a return event is grouped by
    none_label: str | None  # the name of the "none" group; None when every ticket has a unit
    lister: Lister
    annotate_primary: bool = False  # the path needs the enterprise's primary coverage joined

    def prepare(self, queryset: QuerySet, *, prefix: str = "") -> QuerySet:
        """Join what `path` needs: the enterprise's primary coverage, for officials (exactly one
        per enterprise, so the join never repeats a ticket)."""
        if not self.annotate_primary:
            return queryset
        relation = f"{prefix}enterprise__coverages"
        return queryset.annotate(
            primary_coverage=FilteredRelation(
                relation, condition=Q(**{f"{relation}__role": Coverage.Role.PRIMARY})
            )
        )

    def units(self, scope: ReportScope | None, seen: Iterable) -> list[Unit]:
        """The lines of the breakdown, the "none" group last when it has something."""
        seen = set(seen)
        units = self.lister(scope=scope, seen=seen)
        if self.none_label is not None and None in seen:
            units.append(self.none_unit())
        return units

    def none_unit(self) -> Unit:
        return Unit(None, str(self.none_label), (None,), (1,))

    def unit_for(self, token: str) -> Unit | None:
        """The unit a URL's token names, or None when there is no such unit."""
        if token == NONE_TOKEN and self.none_label is not None:
            return self.none_unit()
        found = self.lister(scope=None, key=token)
        return found[0] if found else None

    def condition(self, unit: Unit, *, path: str | None = None) -> Q:
        """The tickets (or, with the event path, the return events) of `unit`."""
        path = path or self.path
        if unit.key is None:
            return Q(**{f"{path}__isnull": True})
        return Q(**{f"{path}__in": unit.values})


# --- the units of each dimension --------------------------------------------------------------


def _districts(*, scope=None, seen=(), key=None) -> list[Unit]:
    districts = District.objects.order_by("sort_order", "code")
    if key is not None:
        districts = districts.filter(code=key)
    elif scope is not None and not scope.is_city:
        districts = districts.filter(pk=scope.district_id)
    return [Unit(d.code, d.name, (d.pk,), (0, d.sort_order, d.code)) for d in districts]


def _departments(*, scope=None, seen=(), key=None) -> list[Unit]:
    departments = Department.objects.order_by("sort_order", "code")
    if key is not None:
        departments = departments.filter(code=key)
    return [
        Unit(d.code, d.short_name or d.name, (d.pk,), (0, d.sort_order, d.code))
        for d in departments
    ]


def _categories(*, scope=None, seen=(), key=None) -> list[Unit]:
    """Top-level categories, each gathering the ids of its whole subtree."""
    rows = list(Category.objects.values_list("pk", "parent_id", "code", "name", "sort_order"))
    parent = {pk: parent_id for pk, parent_id, *_rest in rows}

    def root(pk: int) -> int:
        hops = 0
        while parent.get(pk) is not None and hops < 50:  # a guard against a cycle
            pk, hops = parent[pk], hops + 1
        return pk

    members: dict[int, list[int]] = {}
    for pk, *_rest in rows:
        members.setdefault(root(pk), []).append(pk)
    units = [
        Unit(code, name, tuple(sorted(members[pk])), (0, sort_order, code))
        for pk, parent_id, code, name, sort_order in rows
        if parent_id is None
        and (code == key if key is not None else any(m in seen for m in members[pk]))
    ]
    return sorted(units, key=lambda u: u.order)


def _chains(*, scope=None, seen=(), key=None) -> list[Unit]:
    chains = IndustryChain.objects.order_by("sort_order", "code")
    chains = chains.filter(code=key) if key is not None else chains.filter(pk__in=_known(seen))
    return [Unit(c.code, c.name, (c.pk,), (0, c.sort_order, c.code)) for c in chains]


def _officials(*, scope=None, seen=(), key=None) -> list[Unit]:
    officials = Official.objects.order_by("name", "pk")
    if key is not None:
        officials = (
            officials.filter(pk=int(key)) if key.isascii() and key.isdigit() else officials.none()
        )
    else:
        officials = officials.filter(pk__in=_known(seen))
    return [
        Unit(str(pk), str(Official(name=name, title=title)), (pk,), (0, name, pk))
        for pk, name, title in officials.values_list("pk", "name", "title")
    ]


def _choices(choices) -> Lister:
    def lister(*, scope=None, seen=(), key=None) -> list[Unit]:
        return [
            Unit(value, str(label), (value,), (0, n))
            for n, (value, label) in enumerate(choices)
            if (value == key if key is not None else value in seen)
        ]

    return lister


def _known(seen) -> list:
    return [value for value in seen if value is not None]


DIMENSIONS: dict[str, Dimension] = {
    d.code: d
    for d in [
        Dimension(
            "district",
            _("District"),
            path="enterprise__district_id",
            event_path="ticket__enterprise__district_id",
            none_label=None,
            lister=_districts,
        ),
        Dimension(
            "department",
            _("Department"),
            path="lead_department_id",
            event_path="department_id",  # a return counts for the department that made it
            none_label=_("Not transferred to a department"),
            lister=_departments,
        ),
        Dimension(
            "category",
            _("Category"),
            path="category_id",
            event_path="ticket__category_id",
            none_label=None,
            lister=_categories,
        ),
        Dimension(
            "industry_chain",
            _("Industry chain"),
            path="enterprise__industry_chain_id",
            event_path="ticket__enterprise__industry_chain_id",
            none_label=_("Not in a key chain"),
            lister=_chains,
        ),
        Dimension(
            "official",
            pgettext_lazy("report", "Covering official"),
            path="primary_coverage__official_id",
            event_path="primary_coverage__official_id",
            none_label=_("No primary covering leader"),
            lister=_officials,
            annotate_primary=True,
        ),
        Dimension(
            "revenue_tier",
            _("Revenue tier"),
            path="enterprise__revenue_tier",
            event_path="ticket__enterprise__revenue_tier",
            none_label=None,
            lister=_choices(Enterprise.RevenueTier.choices),
        ),
        Dimension(
            "srdi_level",
            _("SRDI level"),
            path="enterprise__srdi_level",
            event_path="ticket__enterprise__srdi_level",
            none_label=None,
            lister=_choices(Enterprise.SrdiLevel.choices),
        ),
    ]
}
