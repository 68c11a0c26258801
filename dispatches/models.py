"""Dispatches (调度/走访): a covering official's regular visits to an enterprise, and the problems
found there. Work built on tickets (a problem found becomes a ticket), so a floor above them.

The tables were made by enterprises' migrations and keep their names (Meta.db_table): the models
moved here without moving a row (see migrations/0001_initial.py).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Official


class Dispatch(models.Model):
    """调度/走访: a covering official's regular look at an enterprise (weekly for tier a,
    every ten days for tier b, monthly for tier c), with its figures and the problems found."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.PROTECT, related_name="dispatches"
    )
    scheduled_for = models.DateField(
        _("scheduled date"), help_text=_("The due date this dispatch answers.")
    )
    visited_on = models.DateField(_("date of the visit"))
    output_value = models.DecimalField(
        _("output value (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    sales = models.DecimalField(
        _("sales revenue (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        db_table = "enterprises_dispatch"
        ordering = ["-visited_on", "-id"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scheduled_for"],
                name="dispatch_once_per_due_date",
                violation_error_message=_("A dispatch for this due date is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(output_value__gte=0) | Q(output_value__isnull=True),
                name="dispatch_output_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(sales__gte=0) | Q(sales__isnull=True),
                name="dispatch_sales_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-scheduled_for"], name="dispatch_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.scheduled_for:%Y-%m-%d}"


class DispatchProblem(models.Model):
    """A problem found on a dispatch; one click files it as a ticket (channel `visit`)."""

    dispatch = models.ForeignKey(
        Dispatch, verbose_name=_("dispatch"), on_delete=models.CASCADE, related_name="problems"
    )
    description = models.CharField(_("problem"), max_length=500)
    ticket = models.OneToOneField(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispatch_problem",
    )

    class Meta:
        db_table = "enterprises_dispatchproblem"
        ordering = ["id"]
        verbose_name = _("problem found")
        verbose_name_plural = _("problems found")

    def __str__(self) -> str:
        return self.description
