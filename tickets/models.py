"""Tickets (诉求), their append-only event log and their attachments."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Category, Department, Enterprise

from .attachments import attachment_name
from .choices import (
    BAD_RATINGS,
    GOOD_RATINGS,
    OPEN_STATUSES,
    Action,
    Channel,
    EscalationLevel,
    Outcome,
    Rating,
    RejectReason,
    Status,
)
from .filetypes import IMAGE_TYPES, INLINE_TYPES, extension_for
from .validators import validate_no_control_characters

# The choices live in tickets/choices.py; the rest of the code imports them from here.
__all__ = [
    "BAD_RATINGS",
    "GOOD_RATINGS",
    "OPEN_STATUSES",
    "Action",
    "Attachment",
    "Channel",
    "EscalationLevel",
    "FormToken",
    "Outcome",
    "Rating",
    "RejectReason",
    "Status",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "attachment_path",
]


class TicketCounter(models.Model):
    """The last number given out in a year; its row lock serialises concurrent submissions."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=16, unique=True, editable=False)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="tickets"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="tickets"
    )
    title = models.CharField(
        _("title"), max_length=120, validators=[validate_no_control_characters]
    )
    description = models.TextField(
        _("description"), max_length=5000, validators=[validate_no_control_characters]
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel, default=Channel.WEB)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.SUBMITTED, editable=False
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    reject_reason = models.CharField(
        _("reason for rejection"), max_length=16, choices=RejectReason, blank=True
    )

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_tickets",
    )
    supporting_departments = models.ManyToManyField(
        Department,
        verbose_name=_("supporting departments"),
        blank=True,
        related_name="supporting_tickets",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    supervised = models.BooleanField(_("supervised"), default=False)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=EscalationLevel, default=EscalationLevel.DIVISION
    )
    # Who holds it since its last escalation (提级): a covering leader; None: the office.
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_tickets",
    )

    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    first_progress_at = models.DateTimeField(_("first progress"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)

    acceptance_due = models.DateTimeField(_("accept by"))
    first_progress_due = models.DateTimeField(_("first progress by"), null=True, blank=True)
    completion_due = models.DateTimeField(_("complete by"), null=True, blank=True)

    extension_days = models.PositiveSmallIntegerField(
        _("extension requested (working days)"), null=True, blank=True
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extension requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    rating = models.CharField(_("rating"), max_length=20, choices=Rating, blank=True)
    rating_comment = models.TextField(_("comment on the rating"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    follow_up_due = models.DateTimeField(
        _("follow-up call due"),
        null=True,
        blank=True,
        help_text=_("After a bad rating: the end of the rework, when the office calls back."),
    )
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    urged_at = models.DateTimeField(
        _("last urged"),
        null=True,
        blank=True,
        help_text=_("When the enterprise last urged the handling of a problem past its deadline."),
    )
    reworked_at = models.DateTimeField(
        _("first reworked"),
        null=True,
        blank=True,
        help_text=_(
            "When a resolved problem first went back to work: reopened, or rated unsatisfied."
        ),
    )

    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="ticket_status_submitted_idx"),
            models.Index(fields=["enterprise", "-submitted_at"], name="ticket_enterprise_idx"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_idx"),
            models.Index(fields=["lead_department", "status"], name="ticket_department_idx"),
            models.Index(fields=["category", "-submitted_at"], name="ticket_category_idx"),
            models.Index(fields=["-submitted_at"], name="ticket_submitted_idx"),
            models.Index(fields=["completion_due"], name="ticket_completion_due_idx"),
            # Reports count two clock-dependent sets live, a few per cent of all tickets: open
            # ones past completion (超期) and accepted ones awaiting first progress.
            models.Index(
                fields=["completion_due"],
                condition=Q(
                    status__in=["accepted", "in_progress", "reopened"], merged_into__isnull=True
                ),
                name="ticket_open_due_idx",
            ),
            models.Index(
                fields=["first_progress_due"],
                condition=Q(
                    first_progress_at__isnull=True,
                    accepted_at__isnull=False,
                    merged_into__isnull=True,
                ),
                name="ticket_progress_pending_idx",
            ),
            # The tickets an enterprise urged (催办), counted live by the reports: a few.
            models.Index(
                fields=["submitted_at"],
                condition=Q(urged_at__isnull=False, merged_into__isnull=True),
                name="ticket_urged_idx",
            ),
            # The tickets filed as answers to a theme's proactive notice (未诉先办), counted live
            # too: a few.
            models.Index(
                fields=["submitted_at"],
                condition=Q(channel="proactive", merged_into__isnull=True),
                name="ticket_proactive_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(resolved_at__isnull=False),
                name="ticket_outcome_needs_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("tickets:detail", args=[self.number])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def current_deadline(self) -> dt.datetime | None:
        """The deadline the ticket's handling runs against now (tickets.clocks.current_clock)."""
        from .clocks import current_clock

        clock = current_clock(self)
        return clock.due if clock is not None else None

    def is_overdue(self, now=None) -> bool:
        """超期: open past the completion deadline (tickets.clocks.is_overdue)."""
        from .clocks import is_overdue

        return is_overdue(self, now)


class TicketEvent(models.Model):
    """One action on a ticket: who, when, what, from which status to which, and a note.
    Append-only: rows are written by tickets.services and never changed or deleted."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system acted."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The department on whose behalf the actor acted (counts returns)."),
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(
        _("visible to the enterprise"),
        default=True,
        help_text=_("The enterprise sees that this happened (on its timeline, in the API…)."),
    )
    note_public = models.BooleanField(
        _("note visible to the enterprise"),
        default=False,
        help_text=_("The enterprise reads the note too; otherwise it stays between officials."),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_time_idx"),
            models.Index(fields=["action", "created_at"], name="event_action_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("Ticket events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ticket events are append-only.")

    @property
    def enterprise_reads_note(self) -> bool:
        """Whether the enterprise (and anything that answers it) reads this event's note and
        the files that came with it: both the event and its note are public."""
        return self.public and self.note_public

    @property
    def note_for_enterprise(self) -> str:
        """The note as the enterprise may read it: the note, or nothing."""
        return self.note if self.enterprise_reads_note else ""


def attachment_path(instance: Attachment, filename: str) -> str:
    """A fresh name under the month's folder, with the extension of the type the file's content
    showed (never the one the client's name claimed)."""
    extension = extension_for(instance.content_type)
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        TicketEvent,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name it is shown and served under, with the extension of its content."""
        return attachment_name(self.original_name, self.content_type)

    @property
    def is_image(self) -> bool:
        """Shown as a picture on the ticket page (a HEIC photo converted to JPEG)."""
        return self.content_type in IMAGE_TYPES

    @property
    def opens_inline(self) -> bool:
        """Opened in the browser (images and PDFs) rather than only downloaded."""
        return self.content_type in INLINE_TYPES


class FormToken(models.Model):
    """A filing form's one-time token (tickets:create), claimed by the first POST in the
    transaction that files the ticket: a repeated POST finds that ticket (even with Redis down)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    # Set in the same transaction as the claim; empty only until that transaction commits.
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_token_once")]

    def __str__(self) -> str:
        return str(self.token)
