"""Forms: they validate what a person typed; the rules live in tickets.services. The filing
form is here, each action's form in tickets/action_forms.py."""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.models import Category
from enterprises.pickers import PickerField
from enterprises.selectors import active_categories, enterprises_fileable_by

from .attachments import ALLOWED_LABEL, validate_attachments
from .models import Channel, Ticket

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

    enterprise = PickerField(
        label=_("Enterprise"),
        picker="fileable-enterprises",
        empty_label=_("Choose the enterprise"),
    )
    category = PickerField(
        label=_("Category"),
        picker="categories",
        queryset=Category.objects.filter(is_active=True).select_related("parent"),
        kept=lambda pk: active_categories().get(pk=pk),
        empty_label=_("Choose the problem's category"),
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
        if on_behalf:
            self.fields["enterprise"].queryset = enterprises_fileable_by(user)
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

    def _get_validation_exclusions(self) -> set[str]:
        """The model's own checks skip the enterprise and the category: their pickers found
        them in the user's scope just now, so checking again that they exist is a query for
        nothing (ticket_submit checks that both are active)."""
        return super()._get_validation_exclusions() | {"enterprise", "category"}
