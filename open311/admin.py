from django.contrib import admin

from .models import ServiceRequest


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Read-only: these rows are written with their ticket by open311.services."""

    list_display = ["ticket", "integration", "token", "address", "created_at"]
    list_filter = ["integration"]
    search_fields = ["ticket__number", "token", "address"]
    list_select_related = ["ticket", "integration"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
