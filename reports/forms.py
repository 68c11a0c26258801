"""The dashboard's choice of period, and the office's weights of the units' score."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ScoreWeights
from .periods import Period

MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-sm-auto g-2 align-items-end"
        self.helper.field_class = ""
        self.helper.add_input(Submit("", pgettext_lazy("button", "Show"), css_class="btn-primary"))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for day in (start, end):
            if day and not EARLIEST <= day <= LATEST:
                raise forms.ValidationError(
                    _("Choose dates between %(first)s and %(last)s.")
                    % {"first": EARLIEST.year, "last": LATEST.year}
                )
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period cannot end before it starts."))
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data

    def period(self) -> Period:
        """The chosen period; this week when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return Period.week(timezone.localdate())


EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def quick_periods(today: dt.date) -> list[tuple[str, Period]]:
    """The periods a leader asks for most, for one-click links."""
    return [
        (_("This week"), Period.week(today)),
        (_("Last week"), Period.week(today - dt.timedelta(days=7))),
        (_("This month"), Period.month(today)),
        (_("This quarter"), Period.quarter(today)),
        (_("This year"), Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))),
    ]


class BulletinForm(forms.Form):
    """The office's sections of a draft bulletin: 四、典型问题 and 五、下步工作."""

    typical = forms.MultipleChoiceField(
        label=_("Typical problems"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to five of this week's problems, named in section 4."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Section 5: one paragraph a line."),
    )

    def __init__(self, *args, candidates: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["typical"].choices = [
            (c["number"], f"{c['number']} {c['enterprise_name']}：{c['title']}") for c in candidates
        ]

    def clean_typical(self) -> list[str]:
        chosen = self.cleaned_data["typical"]
        if len(chosen) > 5:
            raise forms.ValidationError(
                _("Choose at most %(count)s typical problems."), params={"count": 5}
            )
        return chosen


class ScoreWeightsForm(forms.ModelForm):
    """The office's weights of the units' score (综合评分) and the fewest problems to rank."""

    class Meta:
        model = ScoreWeights
        fields = [
            "on_time_acceptance",
            "resolution",
            "on_time_completion",
            "satisfaction",
            "returns",
            "rework",
            "min_tickets",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[:-1]:
            self.fields[name].help_text = _("From 0 to 100; the shares count, not the sum.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("", pgettext_lazy("button", "Save"), css_class="btn-primary"))
