"""The form of each action on a ticket (accept, assign, resolve, rate…): what a person typed,
checked and handed to tickets.services.ticket_transition as keywords; the rules live there."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Hidden, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import Department
from enterprises.pickers import PickerField, officials_assignable_by

from .forms import TEXT_MAX_LENGTH, TOO_LONG, attachments_field
from .models import Action, Outcome, Rating, RejectReason, Ticket
from .selectors import tickets_visible_to
from .services import MAX_EXTENSION_DAYS
from .workflow import NOTE_AUDIENCE, NoteAudience

User = get_user_model()


class ActionForm(forms.Form):
    """The base of every action's form: a note, and what the service needs as keywords."""

    action: Action
    note_required = False
    note_label = _("Note")
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, ticket: Ticket, user, next_url: str = "", **kwargs) -> None:
        super().__init__(*args, prefix=self.action.value, **kwargs)
        self.ticket = ticket
        self.user = user
        self.fields["note"].required = self.note_required
        self.fields["note"].label = self.note_label
        _say_who_reads_the_note(self)
        self.helper = FormHelper()
        self.helper.form_action = reverse("tickets:act", args=[ticket.number, self.action.value])
        self.helper.attrs = {"enctype": "multipart/form-data"} if self.has_files() else {}
        if next_url:  # acted on from another page (a leader's 待我处理): back there after
            self.helper.add_input(Hidden("next", next_url))
        self.helper.add_input(Submit("submit", self.action.label, css_class=self.button_class))

    button_class = "btn-primary"

    def has_files(self) -> bool:
        return "attachments" in self.fields

    def params(self) -> dict:
        """Keywords for tickets.services.ticket_transition."""
        data = dict(self.cleaned_data)
        return {"note": data.pop("note", ""), **data}


# What each action form says under its note (tickets.workflow.NOTE_AUDIENCE is the rule).
NOTE_HELP = {
    NoteAudience.ENTERPRISE: _("Both the officials and the enterprise read this note."),
    NoteAudience.CHOICE: _(
        "The enterprise does not see this note unless you tick “Let the enterprise read this note”."
    ),
    NoteAudience.INTERNAL: _("The enterprise does not see this note."),
}


def _say_who_reads_the_note(form: ActionForm) -> None:
    """Under the note, who will read it; where its author may choose, the box to tick."""
    audience = NOTE_AUDIENCE[form.action]
    form.fields["note"].help_text = NOTE_HELP[audience]
    if audience == NoteAudience.CHOICE:
        fields = {}
        for name, field in form.fields.items():
            fields[name] = field
            if name == "note":
                fields["public"] = forms.BooleanField(
                    label=_("Let the enterprise read this note"), required=False
                )
        form.fields = fields


class AcceptForm(ActionForm):
    action = Action.ACCEPT
    button_class = "btn-success"


class RejectForm(ActionForm):
    action = Action.REJECT
    button_class = "btn-outline-danger"
    note_required = True
    note_label = _("Explanation for the enterprise")
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose the reason")), *RejectReason.choices],
    )
    field_order = ["reason", "note"]


class AssignForm(ActionForm):
    action = Action.ASSIGN
    assignee = PickerField(
        label=_("Official"), picker="officials", empty_label=_("Choose the official")
    )
    field_order = ["assignee", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officials_assignable_by(self.user)


class TransferForm(ActionForm):
    action = Action.TRANSFER
    department = forms.ModelChoiceField(
        label=_("Lead department"),
        queryset=Department.objects.all(),
        empty_label=_("Choose the lead department"),
    )
    supporting = forms.ModelMultipleChoiceField(
        label=_("Supporting departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    field_order = ["department", "supporting", "note"]


class ReturnForm(ActionForm):
    action = Action.RETURN
    button_class = "btn-outline-warning"
    note_required = True
    note_label = _("Why this is not your department's business")


class MergeForm(ActionForm):
    action = Action.MERGE
    button_class = "btn-outline-secondary"
    into = forms.CharField(
        label=_("Number of the ticket this one duplicates"),
        max_length=16,
        help_text=_("A problem of the same enterprise."),
    )
    field_order = ["into", "note"]

    def clean_into(self) -> Ticket:
        number = self.cleaned_data["into"].strip().upper()
        ticket = tickets_visible_to(self.user).filter(number=number).first()
        if ticket is None:
            raise ValidationError(_("There is no ticket %(number)s."), params={"number": number})
        return ticket


class ProgressForm(ActionForm):
    action = Action.PROGRESS
    note_required = True
    note_label = _("What has been done")
    attachments = attachments_field()


class AddInfoForm(ActionForm):
    action = Action.ADD_INFO
    note_required = True
    note_label = _("Information to add")
    attachments = attachments_field()


class RequestExtensionForm(ActionForm):
    action = Action.REQUEST_EXTENSION
    button_class = "btn-outline-primary"
    note_required = True
    note_label = _("Why more time is needed")
    days = forms.IntegerField(
        label=_("Extra working days"), min_value=1, max_value=MAX_EXTENSION_DAYS
    )
    field_order = ["days", "note"]


class ApproveExtensionForm(ActionForm):
    action = Action.APPROVE_EXTENSION
    button_class = "btn-success"
    note_required = True
    note_label = _("Reason for the enterprise")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The enterprise is told the new completion date; with it, why (as the leader words it,
        # from the request's own reason, which stays between officials).
        self.fields["note"].initial = self.ticket.extension_reason
        self.fields["public"].initial = True


class DenyExtensionForm(ActionForm):
    action = Action.DENY_EXTENSION
    button_class = "btn-outline-danger"
    note_required = True
    note_label = _("Why the extension is denied")


class EscalateForm(ActionForm):
    action = Action.ESCALATE
    button_class = "btn-outline-danger"
    note_required = True
    note_label = _("What the higher level should decide")


class SuperviseForm(ActionForm):
    action = Action.SUPERVISE
    button_class = "btn-outline-danger"


class ResolveForm(ActionForm):
    action = Action.RESOLVE
    button_class = "btn-success"
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    resolution = forms.CharField(
        label=_("Resolution"),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What was done, or the policy reason it cannot be done. The enterprise reads this."
        ),
    )
    attachments = attachments_field()
    field_order = ["outcome", "resolution", "attachments"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class RateForm(ActionForm):
    action = Action.RATE
    button_class = "btn-success"
    rating = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("“Unsatisfied” or “very unsatisfied” sends the problem back for rework."),
    )
    field_order = ["rating", "comment"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class ReopenForm(ActionForm):
    action = Action.REOPEN
    button_class = "btn-outline-danger"
    note_required = True
    note_label = _("What is still not solved")


class CloseForm(ActionForm):
    action = Action.CLOSE
    button_class = "btn-outline-secondary"


class RemindForm(ActionForm):
    action = Action.REMIND
    button_class = "btn-outline-warning"
    note_label = _("Reminder")


class FollowUpForm(ActionForm):
    action = Action.FOLLOW_UP
    note_required = True
    note_label = _("What the enterprise said on the call")


class UrgeForm(ActionForm):
    action = Action.URGE
    button_class = "btn-warning"
    note_label = _("What you want to tell whoever handles it (optional)")


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    form.action: form
    for form in (
        AcceptForm,
        RejectForm,
        AssignForm,
        TransferForm,
        ReturnForm,
        MergeForm,
        ProgressForm,
        AddInfoForm,
        RequestExtensionForm,
        ApproveExtensionForm,
        DenyExtensionForm,
        EscalateForm,
        SuperviseForm,
        ResolveForm,
        RateForm,
        ReopenForm,
        CloseForm,
        RemindForm,
        FollowUpForm,
        UrgeForm,
    )
}
