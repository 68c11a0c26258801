"""What a GeoReport v2 client may send; the rules about problems stay in tickets.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises.models import Category, Enterprise
from enterprises.validators import normalize_uscc, validate_uscc

TITLE_LENGTH = 60


class ServiceRequestForm(forms.Form):
    """POST requests.{xml,json}: the spec's fields, with `attribute[uscc]` naming the enterprise
    and the optional `attribute[title]` a one-line title (else the description's first line)."""

    service_code = forms.CharField(label="service_code", max_length=32)
    description = forms.CharField(label="description", max_length=4000)
    lat = forms.DecimalField(
        label="lat",
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=6,
        max_digits=9,
    )
    long = forms.DecimalField(
        label="long",
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        max_digits=9,
    )
    address_string = forms.CharField(label="address_string", required=False, max_length=255)
    address_id = forms.CharField(label="address_id", required=False, max_length=64)
    email = forms.EmailField(label="email", required=False)
    first_name = forms.CharField(label="first_name", required=False, max_length=30)
    last_name = forms.CharField(label="last_name", required=False, max_length=30)
    phone = forms.CharField(label="phone", required=False, max_length=32)
    media_url = forms.URLField(label="media_url", required=False, max_length=500)
    account_id = forms.CharField(label="account_id", required=False, max_length=64)
    device_id = forms.CharField(label="device_id", required=False, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attribute[uscc]"] = forms.CharField(label="attribute[uscc]", max_length=40)
        self.fields["attribute[title]"] = forms.CharField(
            label="attribute[title]", required=False, max_length=120
        )

    def clean_service_code(self) -> Category:
        category = Category.objects.filter(
            code=self.cleaned_data["service_code"], is_active=True
        ).first()
        if category is None:
            raise ValidationError(_("There is no service with this code."))
        return category

    def clean(self) -> dict:
        data = super().clean()
        code = self.cleaned_data.get("attribute[uscc]")
        if code is not None:
            try:
                validate_uscc(code)
            except ValidationError as error:
                self.add_error("attribute[uscc]", error)
            else:
                enterprise = Enterprise.objects.filter(uscc=normalize_uscc(code)).first()
                if enterprise is None:
                    self.add_error(
                        "attribute[uscc]",
                        _("No enterprise in the campaign has this unified social credit code."),
                    )
                data["enterprise"] = enterprise
        if (data.get("lat") is None) != (data.get("long") is None):
            self.add_error("long", _("Give both lat and long, or neither."))
        return data

    def submission(self) -> dict:
        """Keywords for open311.services.service_request_create."""
        data = self.cleaned_data
        description = data["description"].strip()
        title = data.get("attribute[title]") or description.splitlines()[0][:TITLE_LENGTH]
        first, last = data.get("first_name", ""), data.get("last_name", "")
        return {
            "enterprise": data["enterprise"],
            "category": data["service_code"],
            "title": title,
            "description": description,
            "contact_name": full_name(first, last),
            "contact_phone": data.get("phone", ""),
            "contact_email": data.get("email", ""),
            "address": data.get("address_string", ""),
            "address_id": data.get("address_id", ""),
            "latitude": data.get("lat"),
            "longitude": data.get("long"),
            "media_url": data.get("media_url", ""),
            "account_id": data.get("account_id", ""),
            "device_id": data.get("device_id", ""),
        }

    def error_list(self) -> list[str]:
        return [
            f"{name}: {message}" if name != "__all__" else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]


def full_name(first: str, last: str) -> str:
    """Chinese names read family name first (张 + 伟 → 张伟); others “first last”."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)
