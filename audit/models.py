"""The audit record: append-only, like tickets.TicketEvent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "Audit records are append-only."


class Action(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DEACTIVATED = "deactivated", _("Deactivated")
    REACTIVATED = "reactivated", _("Reactivated")
    REKEYED = "rekeyed", _("Secret or address changed")
    DELETED = "deleted", _("Deleted")
    KEY_ISSUED = "key_issued", _("API key issued")
    KEY_REVOKED = "key_revoked", _("API key revoked")
    PASSWORD_SET = "password_set", _("Password set")
    SIGN_IN_UNLOCKED = "unlocked", _("Sign-in unlocked")


class AuditRecordQuerySet(models.QuerySet):
    """No bulk update or delete either: a record, once written, stays as it was written."""

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def bulk_update(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)


class AuditRecord(models.Model):
    """One change to one object: who, when, what, and the changed fields before and after.

    `before` and `after` hold only the fields that changed (all of them when the object was
    created or deleted), as JSON: a related object as {"id": …, "label": …}, many related
    objects as a list of labels, a secret masked (never its value), a password never.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system acted (a command on the server)."),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object ID"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        default_permissions = ("view",)  # nobody may be given the right to add, change or delete
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="audit_object_idx"
            ),
            models.Index(fields=["action", "created_at"], name="audit_action_time_idx"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.created_at)
        return f"{when:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)
