"""The campaign's reporting settings and the published weekly bulletins (周报/通报)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import District


class CampaignSettings(models.Model):
    """One row: the date the campaign started, from which cumulative figures count."""

    campaign_start = models.DateField(
        _("campaign start"),
        help_text=_("Cumulative figures (累计) count the tickets submitted from this day on."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("campaign settings")
        verbose_name_plural = _("campaign settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="campaign_settings_single_row")
        ]

    def __str__(self) -> str:
        return str(_("Campaign started on %(date)s") % {"date": f"{self.campaign_start:%Y-%m-%d}"})

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)


class Bulletin(models.Model):
    """A published weekly bulletin: a frozen snapshot of the figures, never rewritten.

    One for the whole city (`district` empty) and one for each district, so a district's leader
    reads its own. `data` holds everything the page and the workbook show.
    """

    week_start = models.DateField(_("week starting"), help_text=_("The Monday of the week."))
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the whole city."),
    )
    data = models.JSONField(_("figures"), editable=False)
    published_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-week_start", "district__sort_order", "district__code"]
        verbose_name = _("weekly bulletin")
        verbose_name_plural = _("weekly bulletins")
        constraints = [
            models.UniqueConstraint(
                fields=["week_start"],
                condition=models.Q(district__isnull=True),
                name="bulletin_one_city_bulletin_per_week",
            ),
            models.UniqueConstraint(
                fields=["week_start", "district"],
                condition=models.Q(district__isnull=False),
                name="bulletin_one_per_week_and_district",
            ),
            models.CheckConstraint(
                condition=models.Q(week_start__week_day=2), name="bulletin_week_starts_monday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_label} {self.district or _('City')}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("A published bulletin is never rewritten.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A published bulletin is never deleted.")

    @property
    def week_label(self) -> str:
        year, week, _day = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)


class RollupCounts(models.Model):
    """The columns of the rollup: a day, a district and the clock-free counts (reports.figures)."""

    day = models.DateField(_("day"))
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="+"
    )
    submitted = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    explained = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    accepted_on_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    progress_on_time = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DayFigures(RollupCounts):
    """The rollup: for the tickets submitted on one day (Asia/Shanghai) in one district, the
    counts of every figure that does not depend on the clock; and `returned`, the returns made
    on that day to tickets of that district.

    Every ticket change appends its difference to DayFiguresDelta in its own transaction
    (reports.rollup); a job folds those into these rows every minute, and readers add the ones
    not folded yet, so that totals over long periods (累计) read a few thousand rows instead of
    every ticket. `overdue` and the part of `progress_due` still waiting for its deadline depend
    on the time of reading and are counted live (see reports.aggregates).
    """

    class Meta:
        verbose_name = _("figures of a day")
        verbose_name_plural = _("figures of days")
        constraints = [
            models.UniqueConstraint(fields=["day", "district"], name="day_figures_one_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.district_id}"


class DayFiguresDelta(RollupCounts):
    """A change to DayFigures not folded in yet: appended by every ticket change that moves a
    count (reports.rollup), never updated, so concurrent submissions never wait for each other
    on a row; `rollup_fold` adds them to DayFigures and deletes them."""

    class Meta:
        verbose_name = _("change of the figures of a day")
        verbose_name_plural = _("changes of the figures of days")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.district_id}"
