from django.contrib import admin

from audit.mixins import AuditedAdmin

from .models import Bulletin, CampaignSettings


@admin.register(CampaignSettings)
class CampaignSettingsAdmin(AuditedAdmin, admin.ModelAdmin):
    """One row: the office sets the campaign's start date (cumulative figures count from it)."""

    list_display = ["campaign_start", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not CampaignSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Published bulletins can be looked at, never changed (they are a record)."""

    list_display = ["week_label", "district", "published_at"]
    list_filter = ["district"]
    date_hierarchy = "week_start"
    readonly_fields = ["week_start", "district", "published_at", "data"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
