from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.mixins import AuditedAdmin

from . import sms
from .endpoints import masked, webhook_create, webhook_secret_rotate
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
    list_display = ["id", "channel", "to", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["channel", "state"]
    search_fields = ["target"]
    readonly_fields = [f.name for f in Delivery._meta.fields if f.name != "secret"]
    exclude = ["secret"]
    actions = ["retry_now"]

    @admin.display(description=_("to"), ordering="target")
    def to(self, delivery: Delivery) -> str:
        """A mobile number is masked in the list (the delivery's page shows it whole)."""
        return (
            sms.masked(delivery.target)
            if delivery.channel == Delivery.Channel.SMS
            else delivery.target
        )

    @admin.action(description=_("Send again now"), permissions=["change"])
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
            request,
            ngettext("%(count)d delivery queued.", "%(count)d deliveries queued.", len(ids))
            % {"count": len(ids)},
            messages.SUCCESS,
        )


@admin.register(Preference)
class PreferenceAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["user", "in_app", "email", "sms", "language"]
    search_fields = ["user__username"]


class GroupRobotForm(forms.ModelForm):
    """The DingTalk signing secret is written, never shown again: left empty, it is kept."""

    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        max_length=128,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "DingTalk only: the secret of a robot with signing (加签) switched on. Once saved it "
            "is not shown again; leave this empty to keep it."
        ),
    )

    class Meta:
        model = GroupRobot
        fields = ["name", "kind", "url", "secret", "district", "department", "is_active"]

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")


@admin.register(GroupRobot)
class GroupRobotAdmin(AuditedAdmin, admin.ModelAdmin):
    form = GroupRobotForm
    list_display = ["name", "kind", "district", "department", "is_active"]
    list_filter = ["kind", "is_active", "district", "department"]
    search_fields = ["name", "url"]
    list_select_related = ["district", "department"]
    readonly_fields = ["saved_secret"]

    @admin.display(description=_("saved signing secret"))
    def saved_secret(self, obj) -> str:
        return masked(obj.secret) if obj else "—"


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AuditedAdmin, admin.ModelAdmin):
    """Webhooks send every event to another system: only the system administrator (a superuser)
    adds and changes them. The signing secret is made here, shown once, then masked."""

    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    fields = ["name", "url", "is_active", "saved_secret", "created_at"]
    readonly_fields = ["saved_secret", "created_at"]
    actions = ["rotate_secret"]

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_rotate_secret_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.display(description=_("signing secret"))
    def saved_secret(self, obj) -> str:
        return masked(obj.secret) if obj and obj.pk else _("Made when saved, and shown once.")

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created, secret = webhook_create(
            name=obj.name, url=obj.url, is_active=obj.is_active, actor=request.user
        )
        obj.pk, obj.secret, obj.created_at = created.pk, secret, created.created_at
        obj._state.adding = False
        self._show_once(request, obj, secret)

    @admin.action(description=_("Make a new signing secret"), permissions=["rotate_secret"])
    def rotate_secret(self, request, queryset) -> None:
        for endpoint in queryset:
            secret = webhook_secret_rotate(endpoint=endpoint, actor=request.user)
            self._show_once(request, endpoint, secret)

    def _show_once(self, request, endpoint, secret: str) -> None:
        self.message_user(
            request,
            _(
                "Signing secret of %(name)s: %(secret)s — give it to the receiver now; it is not shown again."
            )
            % {"name": endpoint.name, "secret": secret},
            messages.WARNING,
        )
