from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from audit.mixins import AuditedAdmin

from . import admin_accounts  # noqa: F401  (users, groups and tokens in the admin)
from .accounts import manageable_users, may_manage, office_membership_sync
from .admin_widgets import AutocompleteAdminMixin
from .models import (
    Category,
    Coverage,
    Department,
    District,
    Enterprise,
    EnterpriseMember,
    IndustryChain,
    Official,
)


@admin.register(District)
class DistrictAdmin(AuditedAdmin, admin.ModelAdmin):
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
class DepartmentAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "short_name", "code"]


@admin.register(IndustryChain)
class IndustryChainAdmin(AuditedAdmin, AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "chief", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["chief"]


@admin.register(Category)
class CategoryAdmin(AuditedAdmin, admin.ModelAdmin):
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


class ManagedUserMixin:
    """An account the office attaches a role to must be one it manages (never an
    administrator's), whatever the form posts; the system administrator may pick any."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = manageable_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MemberInline(AutocompleteAdminMixin, ManagedUserMixin, admin.TabularInline):
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
class EnterpriseAdmin(AuditedAdmin, admin.ModelAdmin):
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
class OfficialAdmin(AuditedAdmin, AutocompleteAdminMixin, ManagedUserMixin, admin.ModelAdmin):
    """The office assigns officials their department, level, district and coordinator role;
    only the system administrator makes someone the office (which lets it into the admin)."""

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

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_office", "user"] if obj is not None else ["is_office"]

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj.user))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj.user))

    def save_model(self, request, obj, form, change) -> None:
        if not request.user.is_superuser:
            obj.is_office = Official.objects.filter(pk=obj.pk, is_office=True).exists()
        previous = Official.objects.filter(pk=obj.pk).values_list("user", flat=True).first()
        super().save_model(request, obj, form, change)
        office_membership_sync(user=obj.user, actor=request.user)
        if previous is not None and previous != obj.user_id:
            previous_user = type(obj.user).objects.get(pk=previous)
            office_membership_sync(user=previous_user, actor=request.user)

    def delete_model(self, request, obj) -> None:
        user = obj.user
        super().delete_model(request, obj)
        office_membership_sync(user=user, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        users = [official.user for official in queryset.select_related("user")]
        if not all(may_manage(request.user, user) for user in users):
            raise PermissionDenied  # "delete selected" asks no object of has_delete_permission
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            for user in users:
                office_membership_sync(user=user, actor=request.user)


@admin.register(Coverage)
class CoverageAdmin(AuditedAdmin, AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ["enterprise", "official", "role", "since"]
    list_filter = ["role", "enterprise__district", "official__level"]
    search_fields = ["enterprise__name", "enterprise__uscc", "official__name"]
    list_select_related = ["enterprise", "official"]
    autocomplete_fields = ["official", "enterprise"]


@admin.register(EnterpriseMember)
class EnterpriseMemberAdmin(
    AuditedAdmin, AutocompleteAdminMixin, ManagedUserMixin, admin.ModelAdmin
):
    list_display = ["name", "enterprise", "user", "phone"]
    search_fields = ["name", "enterprise__name", "user__username"]
    list_select_related = ["enterprise", "user"]
    autocomplete_fields = ["user", "enterprise"]
