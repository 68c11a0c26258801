"""The queue's filters (django-filter), shared by the web queue, the API and the exports."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.models import Category, Department, District, Enterprise
from enterprises.pickers import PickerField
from enterprises.selectors import enterprises_visible_to, official_of

from .clocks import acceptance_overdue_condition, overdue_condition
from .models import Status, Ticket
from .search import search_condition


class PickerFilter(filters.ModelChoiceFilter):
    """A choice among many (enterprises, categories): a search box, not a list
    (enterprises.pickers)."""

    field_class = PickerField


class AllYesNo(forms.NullBooleanSelect):
    """A yes-no filter as an office writes it: 全部 / 是 / 否 (Django's reads "Unknown")."""

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", pgettext_lazy("filter", "All")),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class Ordering(filters.OrderingFilter):
    descending_fmt = _("%s (descending)")  # django-filter's has no Chinese


class TicketFilter(filters.FilterSet):
    class Scope:
        ASSIGNED = "assigned"
        COVERED = "covered"
        DEPARTMENT = "department"

    SCOPE_CHOICES = [
        (Scope.ASSIGNED, _("Assigned to me")),
        (Scope.COVERED, _("Enterprises I cover")),
        (Scope.DEPARTMENT, _("My department")),
    ]

    search = filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    status = filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    category = PickerFilter(
        label=_("Category"),
        queryset=Category.objects.select_related("parent"),
        picker="all-categories",
        method="filter_category",
        empty_label=pgettext_lazy("filter", "All"),
    )
    district = filters.ModelChoiceFilter(
        label=_("District"), field_name="enterprise__district", queryset=District.objects.all()
    )
    enterprise = PickerFilter(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        picker="enterprises",
        empty_label=pgettext_lazy("filter", "All"),
    )
    department = filters.ModelChoiceFilter(
        label=_("Lead department"), field_name="lead_department", queryset=Department.objects.all()
    )
    overdue = filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=AllYesNo)
    acceptance_overdue = filters.BooleanFilter(
        label=_("Late for acceptance"), method="filter_acceptance_overdue", widget=AllYesNo
    )
    supervised = filters.BooleanFilter(label=_("Supervised"), widget=AllYesNo)
    submitted_after = filters.DateFilter(
        label=_("Submitted from"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    submitted_before = filters.DateFilter(
        label=_("Submitted until"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scope = filters.ChoiceFilter(label=_("Show"), choices=SCOPE_CHOICES, method="filter_scope")
    ordering = Ordering(
        label=_("Sort by"),
        fields=(
            ("submitted_at", "submitted"),
            ("completion_due", "due"),
            ("status", "status"),
            ("number", "number"),
        ),
        field_labels={
            "submitted": _("Submitted"),
            "due": _("Due"),
            "status": _("Status"),
            "number": _("Number"),
        },
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            self.filters["enterprise"].queryset = enterprises_visible_to(user)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(search_condition(value))

    def filter_category(self, queryset: QuerySet, name: str, value: Category) -> QuerySet:
        """A category includes its sub-categories."""
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """超期, as the dashboard's figure counts it (tickets.clocks)."""
        return _with_or_without(queryset, overdue_condition(), value)

    def filter_acceptance_overdue(
        self, queryset: QuerySet, name: str, value: bool | None
    ) -> QuerySet:
        """受理超期: submitted and not accepted in time."""
        return _with_or_without(queryset, acceptance_overdue_condition(), value)

    def filter_scope(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        official = official_of(self.user)
        if not value or official is None:
            return queryset
        if value == self.Scope.ASSIGNED:
            return queryset.filter(assignee=self.user)
        if value == self.Scope.COVERED:
            return queryset.filter(enterprise__coverages__official=official)
        if value == self.Scope.DEPARTMENT and official.department_id:
            return queryset.filter(
                Q(lead_department_id=official.department_id)
                | Q(supporting_departments=official.department_id)
            ).distinct()
        return queryset


def _with_or_without(queryset: QuerySet, condition: Q, value: bool | None) -> QuerySet:
    if value is None:
        return queryset
    return queryset.filter(condition) if value else queryset.exclude(condition)
