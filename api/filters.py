"""The web queue's filters (tickets.filters.TicketFilter) for the API.

The same filter set and methods; only the way a value is named changes: an API client names
an enterprise by its USCC and a category, district or department by its code, not by a row id.
"""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from enterprises.models import Category, Department, District, Enterprise
from tickets.filters import TicketFilter


class ApiTicketFilter(TicketFilter):
    category = filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.select_related("parent"),
        method="filter_category",
        to_field_name="code",
    )
    district = filters.ModelChoiceFilter(
        label=_("District"),
        field_name="enterprise__district",
        queryset=District.objects.all(),
        to_field_name="code",
    )
    enterprise = filters.ModelChoiceFilter(
        label=_("Enterprise"), queryset=Enterprise.objects.none(), to_field_name="uscc"
    )
    department = filters.ModelChoiceFilter(
        label=_("Lead department"),
        field_name="lead_department",
        queryset=Department.objects.all(),
        to_field_name="code",
    )


class TicketFilterBackend(DjangoFilterBackend):
    """Hands the caller to the filter set, which offers only the enterprises it may see."""

    def get_filterset_kwargs(self, request, queryset, view) -> dict:
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}
