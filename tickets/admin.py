"""Tickets in the admin are read-only: every change goes through tickets.services."""

from django.contrib import admin

from .models import Attachment, Ticket, TicketEvent


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = [
        "created_at",
        "action",
        "actor",
        "from_status",
        "to_status",
        "note",
        "public",
        "note_public",
    ]
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "enterprise",
        "category",
        "status",
        "outcome",
        "channel",
        "submitted_at",
        "completion_due",
        "supervised",
    ]
    list_filter = ["status", "outcome", "channel", "supervised", "category", "enterprise__district"]
    search_fields = ["number", "title", "enterprise__name", "enterprise__uscc"]
    list_select_related = ["enterprise", "category__parent"]
    date_hierarchy = "submitted_at"
    inlines = [EventInline]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "ticket", "content_type", "size", "uploaded_at"]
    search_fields = ["original_name", "ticket__number"]
    list_select_related = ["ticket"]
