"""Forms: they validate what a person typed; the rules live in tickets.services."""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.models import Category, Department, Enterprise
from enterprises.selectors import enterprises_fileable_by, official_of

from .attachments import ALLOWED_LABEL, validate_attachments
from .models import Action, Channel, Outcome, Rating, RejectReason, Ticket
from .selectors import tickets_visible_to
from .services import MAX_EXTENSION_DAYS
from .workflow import NOTE_AUDIENCE, NoteAudience

User = get_user_model()

# Notes, reasons, resolutions and comments: as long as the API takes (api/serializers.py) and as
# a ticket's description may be.
TEXT_MAX_LENGTH = 5000
# An attachment's name as a ticket keeps it (Attachment.original_name).
FILE_NAME_MAX_LENGTH = 200
TOO_LONG = _("Keep this to %(limit_value)d characters; it has %(show_value)d.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern from Django's file upload documentation)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        validate_attachments(files)
        return files


def _attachments_help() -> str:
    return gettext("Up to %(count)d files of at most %(size)s each: %(types)s.") % {
        "count": settings.ATTACHMENT_MAX_COUNT,
        "size": filesizeformat(settings.ATTACHMENT_MAX_SIZE),
        "types": ALLOWED_LABEL,
    }


def attachments_field() -> MultipleFileField:
    # The help text is made lazily, so that it follows the language of each request.
    return MultipleFileField(
        label=_("Attachments"),
        help_text=lazy(_attachments_help, str)(),
        max_length=FILE_NAME_MAX_LENGTH,
    )


class TicketForm(forms.ModelForm):
    """Filing a problem. The office (or a covering official) also names the enterprise and the
    channel it came through; an enterprise user files for its own enterprise on the web."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose the enterprise"),
    )
    attachments = attachments_field()
    # A new one with every blank form: posting the same form twice files one ticket
    # (tickets.submissions).
    form_token = forms.CharField(required=False, max_length=36, widget=forms.HiddenInput)

    class Meta:
        model = Ticket
        fields = [
            "enterprise",
            "category",
            "title",
            "description",
            "channel",
            "contact_name",
            "contact_phone",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "title": _("One line that says what the problem is."),
            "description": _("What happened, what you need, and by when."),
        }
        # The lengths are the model's (and the API's).
        error_messages = {
            name: {"max_length": TOO_LONG}
            for name in ("title", "description", "contact_name", "contact_phone")
        }

    def __init__(self, *args, user, on_behalf: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related(
            "parent"
        )
        self.fields["category"].empty_label = _("Choose the problem's category")
        if on_behalf:
            self.fields["enterprise"].queryset = enterprises_fileable_by(user).order_by("name")
            self.fields["channel"].choices = [
                c for c in Channel.choices if c[0] not in (Channel.WEB, Channel.API)
            ]
            self.fields["channel"].initial = Channel.PHONE
        else:
            for name in ("enterprise", "channel", "contact_name", "contact_phone"):
                del self.fields[name]
        self.fields["form_token"].initial = uuid.uuid4()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_form_token(self) -> uuid.UUID | None:
        """A token that is not one of ours (an old page, a script) just does not guard."""
        try:
            return uuid.UUID(self.cleaned_data["form_token"])
        except ValueError:
            return None


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

    def __init__(self, *args, ticket: Ticket, user, **kwargs) -> None:
        super().__init__(*args, prefix=self.action.value, **kwargs)
        self.ticket = ticket
        self.user = user
        self.fields["note"].required = self.note_required
        self.fields["note"].label = self.note_label
        _say_who_reads_the_note(self)
        self.helper = FormHelper()
        self.helper.form_action = reverse("tickets:act", args=[ticket.number, self.action.value])
        self.helper.attrs = {"enctype": "multipart/form-data"} if self.has_files() else {}
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
    assignee = forms.ModelChoiceField(
        label=_("Official"), queryset=User.objects.none(), empty_label=_("Choose the official")
    )
    field_order = ["assignee", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        officials = User.objects.filter(is_active=True, official__isnull=False).select_related(
            "official__department"
        )
        me = official_of(self.user)
        if me is not None and not me.is_office and not self.user.is_superuser:
            officials = officials.filter(official__department_id=me.department_id)
        self.fields["assignee"].queryset = officials.order_by("official__name")
        self.fields["assignee"].label_from_instance = _official_label


def _official_label(user) -> str:
    official = user.official
    department = (
        official.department.short_name or official.department.name
        if (official.department_id)
        else ""
    )
    return " · ".join(part for part in (official.name, official.title, department) if part)


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


class UrgeForm(ActionForm):
    action = Action.URGE
    button_class = "btn-warning"
    note_label = _("What you want to tell whoever handles it (optional)")


class FollowUpForm(ActionForm):
    action = Action.FOLLOW_UP
    note_required = True
    note_label = _("What the enterprise said on the call")


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
