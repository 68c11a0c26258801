"""The office's enterprise list filters, shared by the page and its export."""

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.models import District, Enterprise, IndustryChain


class EnterpriseFilter(filters.FilterSet):
    search = filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    district = filters.ModelChoiceFilter(label=_("District"), queryset=District.objects.all())
    industry_chain = filters.ModelChoiceFilter(
        label=_("Industry chain"), queryset=IndustryChain.objects.all()
    )
    revenue_tier = filters.ChoiceFilter(
        label=_("Revenue tier"), choices=Enterprise.RevenueTier.choices
    )
    srdi_level = filters.ChoiceFilter(label=_("SRDI level"), choices=Enterprise.SrdiLevel.choices)

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__iexact=value))
