"""The campaign's reporting settings and the published weekly bulletins (周报/通报)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import District

DEFAULT_ISSUING_OFFICE = "万人助万企活动领导小组办公室"


class CampaignSettings(models.Model):
    """One row: the date the campaign started, from which cumulative figures count."""

    campaign_start = models.DateField(
        _("campaign start"),
        help_text=_("Cumulative figures (累计) count the tickets submitted from this day on."),
    )
    issuing_office = models.CharField(
        _("issuing office"),
        max_length=64,
        default=DEFAULT_ISSUING_OFFICE,
        help_text=_("The office named at the head of every weekly bulletin and on its seal line."),
    )
    roll_length = models.PositiveSmallIntegerField(
        _("length of the honour and warning lists"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "How many units the bulletin names on its honour list (红榜) and its warning "
            "list (黑榜)."
        ),
    )
    auto_publish = models.BooleanField(
        _("publish bulletins automatically"),
        default=False,
        help_text=_("Publish Monday's drafts at once, without the office's sections 4 and 5."),
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


MAX_WEIGHT = 100


# Each rate of the score (reports.scores) and the ScoreWeights field holding its weight, in the
# printed order.
WEIGHT_FIELDS = {
    "on_time_acceptance_rate": "on_time_acceptance",
    "resolution_rate": "resolution",
    "on_time_completion_rate": "on_time_completion",
    "satisfaction_rate": "satisfaction",
    "return_rate": "returns",
    "rework_rate": "rework",
}


class ScoreWeights(models.Model):
    """One row: how the office weighs each rate in a unit's score (综合评分, reports.scores),
    and how many problems a unit needs in the period to be ranked at all."""

    on_time_acceptance = models.PositiveSmallIntegerField(
        _("weight of on-time acceptance"), default=20, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    resolution = models.PositiveSmallIntegerField(
        _("weight of the resolution rate"), default=25, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    on_time_completion = models.PositiveSmallIntegerField(
        _("weight of on-time completion"), default=20, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("weight of satisfaction"), default=20, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    returns = models.PositiveSmallIntegerField(
        _("weight of the return rate"), default=5, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    rework = models.PositiveSmallIntegerField(
        _("weight of the rework rate"), default=10, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    min_tickets = models.PositiveSmallIntegerField(
        _("fewest problems to be ranked"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("A unit with fewer problems in the period is listed as unranked."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score weights")
        verbose_name_plural = _("score weights")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="score_weights_single_row")
        ]

    def __str__(self) -> str:
        return str(_("Score weights"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not sum(getattr(self, name) or 0 for name in WEIGHT_FIELDS.values()):
            raise ValidationError(_("Give at least one rate a weight above zero."))


class Bulletin(models.Model):
    """A weekly bulletin (周报/通报): drafted on Monday, edited by the office, then published, a
    frozen snapshot never rewritten.

    One for the whole city (`district` empty) and one for each district, so a district's leader
    reads its own. `data` holds everything the page and the documents show; publishing
    recomputes it and adds the document's own parts (`data["document"]`: the issuing office,
    the issue number, the chosen typical problems, the next steps).
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
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    issue_year = models.PositiveSmallIntegerField(_("year of issue"), null=True, editable=False)
    issue_number = models.PositiveIntegerField(_("issue number"), null=True, editable=False)
    typical = models.JSONField(
        _("typical problems"), default=list, blank=True, help_text=_("Ticket numbers.")
    )
    next_steps = models.TextField(_("next steps"), max_length=4000, blank=True)

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
            # An issue number belongs to a published bulletin, and each is given once per year
            # in each series (the city's, each district's).
            models.CheckConstraint(
                condition=models.Q(
                    published_at__isnull=True, issue_year__isnull=True, issue_number__isnull=True
                )
                | models.Q(
                    published_at__isnull=False,
                    issue_year__isnull=False,
                    issue_number__isnull=False,
                ),
                name="bulletin_published_has_issue_number",
            ),
            models.UniqueConstraint(
                fields=["issue_year", "issue_number"],
                condition=models.Q(district__isnull=True),
                name="bulletin_city_issue_number_once",
            ),
            models.UniqueConstraint(
                fields=["district", "issue_year", "issue_number"],
                condition=models.Q(district__isnull=False),
                name="bulletin_district_issue_number_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_label} {self.district or _('City')}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and self.pk is not None and self._stored_published():
            raise TypeError("A published bulletin is never rewritten.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A published bulletin is never deleted.")

    def _stored_published(self) -> bool:
        return Bulletin.objects.filter(pk=self.pk, published_at__isnull=False).exists()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def week_label(self) -> str:
        year, week, _day = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)


class IssueCounter(models.Model):
    """The last issue number given in one year to one series of bulletins (`series` 0: the
    city's; else a district's id). Publishing locks its row, so numbers have neither gaps nor
    duplicates: a publication that fails rolls its number back with it."""

    year = models.PositiveSmallIntegerField()
    series = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "series"], name="issue_counter_one_per_series")
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.series}: {self.last}"


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
    reworked = models.IntegerField(default=0)
    resolved_once = models.IntegerField(default=0)
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
