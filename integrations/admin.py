"""Integrations in the admin: create one, issue keys (shown once), revoke them.

Creating an integration (which makes the user it acts through) and issuing a key are the system
administrator's (a superuser's); the office may look, switch an integration off and revoke keys.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.mixins import AuditedAdmin

from .models import Integration, IntegrationKey
from .services import integration_create, integration_key_issue, integration_key_revoke


class KeyInline(admin.TabularInline):
    model = IntegrationKey
    extra = 0
    fields = ["prefix", "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Integration)
class IntegrationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "description", "channel", "is_active", "live_keys", "user"]
    list_filter = ["is_active", "channel"]
    search_fields = ["name", "description"]
    readonly_fields = ["user", "created_at"]
    inlines = [KeyInline]
    actions = ["issue_key"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(live=Count("keys", filter=Q(keys__revoked_at__isnull=True)))
        )

    @admin.display(description=_("live keys"), ordering="live")
    def live_keys(self, obj) -> int:
        return obj.live

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "name"] if obj is not None else self.readonly_fields

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_issue_key_permission(self, request) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = integration_create(
            name=obj.name,
            description=obj.description,
            channel=obj.channel,
            is_active=obj.is_active,
            actor=request.user,
        )
        obj.pk, obj.user = created.pk, created.user
        obj._state.adding = False

    @admin.action(description=_("Issue a new API key"), permissions=["issue_key"])
    def issue_key(self, request, queryset) -> None:
        for integration in queryset:
            _key, raw = integration_key_issue(
                integration=integration, label="admin", actor=request.user
            )
            self.message_user(
                request,
                _("New key for %(name)s: %(key)s — copy it now, it is not shown again.")
                % {"name": integration.name, "key": raw},
                messages.WARNING,
            )


@admin.register(IntegrationKey)
class IntegrationKeyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["integration", "prefix", "label", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["integration", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["integration__name", "prefix", "label"]
    list_select_related = ["integration"]
    fields = ["integration", "label", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["integration", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # keys are issued from the integration's list, so the clear text is shown

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            integration_key_revoke(key=key, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", len(keys))
            % {"count": len(keys)},
        )
