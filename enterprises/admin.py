from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .admin_widgets import AutocompleteAdminMixin
from .models import (
    Category,
    Coverage,
    Department,
    Dispatch,
    DispatchProblem,
    District,
    Enterprise,
    EnterpriseMember,
    IndustryChain,
    Official,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "enterprise_count", "sort_order"]
    list_editable = ["sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enterprise_count=Count("enterprises"))

    @admin.display(description=_("enterprises"), ordering="enterprise_count")
    def enterprise_count(self, obj) -> int:
        return obj.enterprise_count


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "short_name", "code"]


@admin.register(IndustryChain)
class IndustryChainAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "chief", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["chief"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "code",
        "complexity",
        "acceptance_days",
        "progress_days",
        "completion_days",
        "is_active",
    ]
    list_filter = ["complexity", "is_active", "parent"]
    list_editable = ["acceptance_days", "progress_days", "completion_days", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]


class CoverageInline(AutocompleteAdminMixin, admin.TabularInline):
    model = Coverage
    extra = 0
    autocomplete_fields = ["official", "enterprise"]


class MemberInline(AutocompleteAdminMixin, admin.TabularInline):
    model = EnterpriseMember
    extra = 0
    autocomplete_fields = ["user"]


class HasPrimaryFilter(admin.SimpleListFilter):
    title = _("primary covering leader")
    parameter_name = "primary"

    def lookups(self, request, model_admin):
        return [("yes", _("Has one")), ("no", _("Has none"))]

    def queryset(self, request, queryset):
        with_primary = Q(coverages__role=Coverage.Role.PRIMARY)
        if self.value() == "yes":
            return queryset.filter(with_primary).distinct()
        if self.value() == "no":
            return queryset.exclude(with_primary)
        return queryset


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "uscc",
        "district",
        "industry_chain",
        "revenue_tier",
        "srdi_level",
        "is_active",
    ]
    list_filter = [
        "district",
        "industry_chain",
        "revenue_tier",
        "srdi_level",
        HasPrimaryFilter,
        "is_active",
    ]
    search_fields = ["name", "uscc", "contact_name", "contact_phone"]
    list_select_related = ["district", "industry_chain"]
    inlines = [CoverageInline, MemberInline]
    fieldsets = [
        (None, {"fields": ["name", "uscc", "district", "industry_chain", "is_active"]}),
        (_("Size"), {"fields": ["revenue_tier", "srdi_level"]}),
        (
            _("Contact"),
            {
                "fields": [
                    "address",
                    "latitude",
                    "longitude",
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                ]
            },
        ),
    ]


@admin.register(Official)
class OfficialAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "title",
        "department",
        "level",
        "district",
        "is_office",
        "is_coordinator",
        "user",
    ]
    list_filter = ["level", "department", "district", "is_office", "is_coordinator"]
    search_fields = ["name", "title", "user__username", "phone"]
    list_select_related = ["department", "district", "user"]
    autocomplete_fields = ["user"]
    inlines = [CoverageInline]


@admin.register(Coverage)
class CoverageAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ["enterprise", "official", "role", "since"]
    list_filter = ["role", "enterprise__district", "official__level"]
    search_fields = ["enterprise__name", "enterprise__uscc", "official__name"]
    list_select_related = ["enterprise", "official"]
    autocomplete_fields = ["official", "enterprise"]


@admin.register(EnterpriseMember)
class EnterpriseMemberAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ["name", "enterprise", "user", "phone"]
    search_fields = ["name", "enterprise__name", "user__username"]
    list_select_related = ["enterprise", "user"]
    autocomplete_fields = ["user", "enterprise"]


class DispatchProblemInline(admin.TabularInline):
    model = DispatchProblem
    extra = 0
    raw_id_fields = ["ticket"]


@admin.register(Dispatch)
class DispatchAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = [
        "enterprise",
        "scheduled_for",
        "visited_on",
        "official",
        "output_value",
        "sales",
    ]
    list_filter = ["enterprise__district", "enterprise__revenue_tier"]
    search_fields = ["enterprise__name", "official__name"]
    date_hierarchy = "scheduled_for"
    list_select_related = ["enterprise", "official"]
    autocomplete_fields = ["enterprise", "official"]
    inlines = [DispatchProblemInline]
