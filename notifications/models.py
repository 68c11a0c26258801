"""Notifications and their outbox.

A `Notification` is what a user sees under the bell. Each way out of the building (e-mail, a
group robot, a webhook) is a `Delivery` row, written in the same transaction as the event that
causes it; a Celery task sends it and marks it sent, and a periodic sweep re-sends what is still
pending, so nothing is lost when Redis or a worker is down.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .outbound import validate_outbound_url
from .sms import masked, validate_mobile


def new_signing_secret() -> str:
    """A webhook's signing secret, made here: shown once when made, masked after."""
    return secrets.token_urlsafe(32)


class Kind(models.TextChoices):
    SUBMITTED = "submitted", _("New problem of an enterprise you cover")
    STATUS = "status", _("Status change")
    ASSIGNED = "assigned", _("Assigned to you")
    TRANSFERRED = "transferred", _("Transferred to your department")
    RETURNED = "returned", _("Returned by a department")
    INFO_ADDED = "info_added", _("The enterprise added information")
    REOPENED = "reopened", _("Reopened by the enterprise")
    EXTENSION_REQUESTED = "extension_requested", _("Extension awaiting your decision")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_DENIED = "extension_denied", _("Extension denied")
    ESCALATED = "escalated", _("Escalated to you")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    REMINDER = "reminder", _("Reminder from the office")
    SUPERVISED = "supervised", _("Under supervision")
    DISPATCH_DUE = "dispatch_due", _("Dispatch due")
    DISPATCH_OVERDUE = "dispatch_overdue", _("Dispatch overdue")
    BULLETIN = "bulletin", _("Weekly bulletin published")
    OUTREACH = "outreach", _("The office asks whether a problem affects you")
    BULLETIN_DRAFT = "bulletin_draft", _("Weekly bulletin drafted")
    MEETING_DECISION = "meeting_decision", _("Joint meeting decision for your department")
    URGED = "urged", _("Urged by the enterprise")
    EXTENDED = "extended", _("Completion date extended")
    CHASED = "chased", _("The office chases the problem")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        from .messages import render_message

        return render_message(self.kind, self.params)


class Preference(models.Model):
    """How a user wants to hear: under the bell, by e-mail (to the user's address), by text
    message (to the mobile number kept here)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("text message"), default=False)
    phone = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[validate_mobile]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    audit_hidden = ("phone",)  # audit records mask it, as the logs never hold it

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class Delivery(models.Model):
    """One message to send outside the app: the outbox row."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")
        WEBHOOK = "webhook", _("Webhook")
        SMS = "sms", _("Text message")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    target = models.CharField(_("to"), max_length=500)
    payload = models.JSONField(_("message"), default=dict)
    secret = models.CharField(_("signing secret"), max_length=128, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="delivery_due_idx",
            )
        ]

    def __str__(self) -> str:
        target = masked(self.target) if self.channel == self.Channel.SMS else self.target
        return f"{self.get_channel_display()} → {target} ({self.get_state_display()})"


class SentOnce(models.Model):
    """A ledger of things that must happen once: each due-soon warning, each step of an
    overdue escalation. Its unique key makes a second, overlapping run skip what the first did."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("sent once")
        verbose_name_plural = _("sent once")

    def __str__(self) -> str:
        return self.key


class GroupRobot(models.Model):
    """A WeCom or DingTalk group robot that hears of a district's or a department's tickets."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    url = models.URLField(
        _("webhook address"),
        max_length=500,
        validators=[validate_outbound_url],
        help_text=_("The robot's address as the group settings show it, with its key or token."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=128,
        blank=True,
        help_text=_("DingTalk only: the secret of a robot with signing (加签) switched on."),
    )
    district = models.ForeignKey(
        "enterprises.District",
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
    )
    department = models.ForeignKey(
        "enterprises.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
    )
    is_active = models.BooleanField(_("active"), default=True)

    audit_hidden = ("url",)  # the address carries the robot's key: audit records mask it

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(district__isnull=False) | models.Q(department__isnull=False),
                name="robot_has_a_unit",
                violation_error_message=_("Choose the district or the department it serves."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class WebhookEndpoint(models.Model):
    """Another system's address that receives every ticket event as JSON, signed with
    HMAC-SHA256 of the body (header X-Qinqing-Signature: sha256=<hex>)."""

    name = models.CharField(_("name"), max_length=64)
    url = models.URLField(_("address"), max_length=500, validators=[validate_outbound_url])
    secret = models.CharField(
        _("signing secret"),
        max_length=128,
        default=new_signing_secret,
        help_text=_("Shared with the receiver, which checks each body's signature with it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name
