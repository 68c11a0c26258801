from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Department


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return day


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.all(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    working_days = forms.IntegerField(
        label=_("Working days to complete"), min_value=1, max_value=120, initial=10
    )


class DoneForm(forms.Form):
    note = forms.CharField(
        label=_("How it was done"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
