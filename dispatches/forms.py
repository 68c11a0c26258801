"""The dispatch pages' forms: a visit, the category of a problem to file, a period."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Category
from enterprises.pickers import PickerField

from .cadence import campaign_start, visit_date_error

NOTES_MAX_LENGTH = 5000  # as a ticket's notes
PROBLEMS_MAX_LENGTH = 5000  # ten problems at their longest (500 characters each)
TOO_LONG = _("Keep this to %(limit_value)d characters; it has %(show_value)d.")


class DispatchForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date of the visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    output_value = forms.DecimalField(
        label=_("Output value this period (10,000 yuan)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    sales = forms.DecimalField(
        label=_("Sales revenue this period (10,000 yuan)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problems = forms.CharField(
        label=_("Problems found"),
        required=False,
        max_length=PROBLEMS_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One problem per line; each can then be filed as a ticket with one click."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["visited_on"].initial = today
        attrs = self.fields["visited_on"].widget.attrs
        attrs["max"] = today.isoformat()
        if (start := campaign_start()) is not None:
            attrs["min"] = start.isoformat()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Record the dispatch")))

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if (error := visit_date_error(visited_on)) is not None:
            raise forms.ValidationError(error)
        return visited_on

    def clean_problems(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["problems"].splitlines()]
        lines = [line for line in lines if line]
        if any(len(line) > 500 for line in lines):
            raise forms.ValidationError(_("Keep each problem under 500 characters."))
        return lines


class FileProblemForm(forms.Form):
    category = PickerField(
        label=_("Category"),
        picker="categories",
        queryset=Category.objects.filter(is_active=True).select_related("parent"),
        empty_label=_("Choose the problem's category"),
    )


class CompletionPeriodForm(forms.Form):
    """The dispatch completion page's dates (`from`, `to`; this month when left out), within
    the years the dispatch calendar can count."""

    EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # `from` is a Python keyword, so the fields are named here rather than declared.
        self.fields["from"] = forms.DateField(label=_("From"), required=False)
        self.fields["to"] = forms.DateField(label=_("To"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if any(day and not self.EARLIEST <= day <= self.LATEST for day in (start, end)):
            raise forms.ValidationError(
                _("Choose dates between %(first)s and %(last)s.")
                % {"first": self.EARLIEST.year, "last": self.LATEST.year}
            )
        if start and end and end < start:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        return data

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The dates chosen, or (for what was left out or is wrong) this month up to today."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("from") or today.replace(day=1), data.get("to") or today
