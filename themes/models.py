"""Themes (专题): one cause behind many enterprises' problems, tracked as work of its own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import Department, Enterprise, Official
from tickets.models import Ticket


class Theme(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Being worked")
        RESOLVED = "resolved", _("Resolved")

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("what the cause is"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.OPEN)
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead department")
    )
    leader = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="+", verbose_name=_("coordinating leader")
    )
    due = models.DateTimeField(_("deadline"))
    resolution = models.TextField(_("resolution"), max_length=2000, blank=True)
    month = models.CharField(
        _("problem of the month"),
        max_length=7,
        blank=True,
        help_text=_("The month (YYYY-MM) whose 每月一题 this theme is."),
    )
    for_meeting = models.BooleanField(
        _("put to the joint meeting"),
        default=False,
        help_text=_("On every joint meeting's agenda while it is being worked."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["month"],
                condition=~models.Q(month=""),
                name="theme_one_per_month",
                violation_error_message=_("Another theme is already this month's problem."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Member(models.Model):
    """A ticket of the theme; each ticket belongs to one theme at most."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="members")
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="theme_member")
    proposed_at = models.DateTimeField(_("resolution proposed"), null=True, blank=True)

    class Meta:
        verbose_name = _("theme member")
        verbose_name_plural = _("theme members")

    def __str__(self) -> str:
        return f"{self.theme} · {self.ticket}"


class Progress(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField(_("progress"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.note[:50]


class Candidate(models.Model):
    """A group the nightly job found; the office confirms it into a theme or dismisses it."""

    title = models.CharField(max_length=100)
    score = models.FloatField()
    tickets = models.ManyToManyField(Ticket, related_name="+")
    found_at = models.DateTimeField(auto_now_add=True)
    dismissed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score"]

    def __str__(self) -> str:
        return self.title


class Similar(models.Model):
    """The open and recent problems most like a ticket, found when it arrives."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "other"], name="similar_once_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.ticket} ~ {self.other} {self.score:.2f}"


class Outreach(models.Model):
    """未诉先办: the office asks an enterprise that has not filed whether the theme's cause affects
    it too; its answer becomes a ticket of the theme (channel `proactive`)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outreach")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(_("message"), max_length=1000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "enterprise"], name="outreach_once_per_enterprise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme} → {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("themes:outreach", args=[self.pk])
