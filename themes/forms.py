from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Department, Enterprise, Official
from tickets.models import Ticket

NUMBERS = re.compile(r"[A-Za-z0-9-]{4,32}")


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("What the cause is"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_department = forms.ModelChoiceField(
        label=_("Lead department"),
        queryset=Department.objects.all(),
        empty_label=_("Choose the lead department"),
    )
    leader = forms.ModelChoiceField(
        label=_("Coordinating leader"),
        queryset=Official.objects.filter(
            level__in=[Official.Level.CITY_LEADER, Official.Level.BUREAU_LEADER]
        ),
        empty_label=_("Choose the coordinating leader"),
    )
    working_days = forms.IntegerField(
        label=_("Deadline in working days"), min_value=1, max_value=120, initial=22
    )
    tickets = forms.CharField(
        label=_("Problems"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Their numbers, separated by spaces or commas."),
    )

    def clean_tickets(self) -> list[Ticket]:
        numbers = list(dict.fromkeys(NUMBERS.findall(self.cleaned_data["tickets"])))
        if not numbers:
            raise forms.ValidationError(_("Give at least one problem's number."))
        if len(numbers) > 500:
            raise forms.ValidationError(_("At most 500 problems in one theme."))
        found = {t.number: t for t in Ticket.objects.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("No such problem: %(numbers)s.") % {"numbers": "、".join(missing[:10])}
            )
        return [found[n] for n in numbers]


class ProgressForm(forms.Form):
    note = forms.CharField(
        label=_("Progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutreachForm(forms.Form):
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises to ask"),
        queryset=Enterprise.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the office is working on, and what it asks of them."),
    )

    def __init__(self, *args, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = Enterprise.objects.filter(
            pk__in=[p.pk for p in peers]
        )
        self.fields["enterprises"].label_from_instance = lambda e: f"{e.name}（{e.district}）"


class AnswerForm(forms.Form):
    description = forms.CharField(
        label=_("How it affects your enterprise"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
