"""The monthly joint meeting (联席会议): its agenda, its decisions, and the work they give.

A ticket escalated to the joint-meeting level (tickets.EscalationLevel.JOINT_MEETING) is on the
next meeting's agenda until a meeting decides on it; the office adds items of its own
(`AgendaItem`). Each decision names a responsible department and a deadline in working days;
it is that department's tracked work, and back on every following agenda until the office marks
it done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Department
from tickets.models import Ticket


class Meeting(models.Model):
    held_on = models.DateField(_("date of the meeting"), unique=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self) -> str:
        return str(_("Joint meeting of %(date)s") % {"date": f"{self.held_on:%Y-%m-%d}"})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AgendaItem(models.Model):
    """An item the office puts on a meeting's agenda (escalated tickets join by themselves)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("joint meeting"), on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """What a meeting decided on an escalated ticket or an office item: a responsible
    department's task with a deadline; open until the office marks it done."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("joint meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    item = models.OneToOneField(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("decision"), max_length=2000)
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )
    working_days = models.PositiveSmallIntegerField(_("working days"))
    due_at = models.DateTimeField(_("deadline"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now, editable=False)
    done_at = models.DateTimeField(_("done"), null=True, blank=True, editable=False)
    done_note = models.TextField(_("how it was done"), max_length=2000, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket__isnull=False, item__isnull=True)
                | Q(ticket__isnull=True, item__isnull=False),
                name="decision_on_a_ticket_or_an_item",
            ),
            # a ticket is decided once: then its decision is what the agenda follows
            models.UniqueConstraint(fields=["ticket"], name="decision_once_per_ticket"),
        ]
        indexes = [
            models.Index(
                fields=["department", "due_at"],
                condition=Q(done_at__isnull=True),
                name="decision_open_idx",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, now=None) -> bool:
        return self.done_at is None and self.due_at < (now or timezone.now())
