import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import sms
from .models import Preference

# What people type around a mobile number: spaces, dashes, the country code.
PHONE_NOISE = re.compile(r"[\s\-()]")


class PreferenceForm(forms.ModelForm):
    """The channels a user hears on, and the addresses they need: "e-mail" cannot be chosen
    without an e-mail address, nor "text message" without a mobile number."""

    email_address = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=get_user_model()._meta.get_field("email").max_length,
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        help_text=_("A mainland mobile number of 11 digits."),
    )

    class Meta:
        model = Preference
        fields = ["in_app", "email", "email_address", "sms", "phone", "language"]
        labels = {
            "in_app": _("Count new notices under the bell"),
            "email": _("Send me e-mail"),
            "sms": _("Send me a text message about my problems"),
            "language": _("Language of e-mails and text messages"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email_address"].initial = self.instance.user.email
        # "E-mail" stays unticked until there is an address to send it to.
        self.initial["email"] = self.instance.email and bool(self.instance.user.email)
        if not sms.enabled():
            self.fields["sms"].disabled = True
            self.fields["sms"].help_text = _("Text messages are not set up on this server yet.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_phone(self) -> str:
        phone = PHONE_NOISE.sub("", self.cleaned_data["phone"])
        if phone.startswith("+86"):
            phone = phone[3:]
        elif phone.startswith("0086"):
            phone = phone[4:]
        if phone:
            sms.validate_mobile(phone)
        return phone

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("email")
            and not data.get("email_address")
            and "email_address" not in self.errors
        ):
            self.add_error("email_address", _("Enter your e-mail address to receive e-mail."))
        if data.get("sms") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Enter your mobile number to receive text messages."))
        return data

    def save(self, commit: bool = True) -> Preference:
        preference = super().save(commit=commit)
        user = preference.user
        user.email = self.cleaned_data["email_address"]
        if commit:
            user.save(update_fields=["email"])
        return preference
