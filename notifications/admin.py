from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delivery, GroupRobot, Notification, Preference, WebhookEndpoint
from .services import enqueue


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "ticket", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "ticket__number"]
    list_select_related = ["recipient", "ticket"]
    readonly_fields = ["recipient", "kind", "ticket", "params", "url", "created_at", "read_at"]

    def has_add_permission(self, request) -> bool:
        return False  # written by the system (notifications.services.notify), every field read-only


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "target", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["channel", "state"]
    search_fields = ["target"]
    readonly_fields = [f.name for f in Delivery._meta.fields if f.name != "secret"]
    exclude = ["secret"]
    actions = ["retry_now"]

    @admin.action(description=_("Send again now"))
    def retry_now(self, request, queryset):
        # Not those sent, nor those a worker is sending now (their lease has not run out).
        ids = list(
            queryset.exclude(state=Delivery.State.SENT)
            .exclude(state=Delivery.State.SENDING, next_attempt_at__gt=timezone.now())
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(
            state=Delivery.State.PENDING, next_attempt_at=timezone.now()
        )
        enqueue(ids)
        self.message_user(
            request, _("%(count)d deliveries queued.") % {"count": len(ids)}, messages.SUCCESS
        )


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "language"]
    search_fields = ["user__username"]


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "department", "is_active"]
    list_filter = ["kind", "is_active", "district", "department"]
    search_fields = ["name", "url"]
    list_select_related = ["district", "department"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
