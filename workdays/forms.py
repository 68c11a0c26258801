from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .notice import Notice, NoticeError, notice_text, parse_notice

MAX_CHARS = 20_000
MAX_BYTES = 200_000


class NoticeForm(forms.Form):
    """The notice pasted as text or uploaded as a text file (the text wins when both are given)."""

    text = forms.CharField(
        label=_("Text of the notice"),
        required=False,
        max_length=MAX_CHARS,
        widget=forms.Textarea(
            attrs={
                "rows": 14,
                "placeholder": "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
            }
        ),
        help_text=_("Paste the notice as published, title and numbered lines included."),
    )
    file = forms.FileField(
        label=_("Or a text file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".txt,text/plain"}),  # nothing to clear here
        help_text=_("A .txt file, UTF-8 or GBK, at most 200 KB."),
    )

    def clean(self):
        data = super().clean()
        text = data.get("text") or ""
        upload = data.get("file")
        if not text.strip() and upload:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 200 KB: is it the notice?"))
            try:
                text = notice_text(upload.read())
            except NoticeError as error:
                raise forms.ValidationError(str(error)) from None
        if not text.strip():
            raise forms.ValidationError(_("Paste the notice or choose its file."))
        try:
            data["notice"] = parse_notice(text)
        except NoticeError as error:
            raise forms.ValidationError(str(error)) from None
        data["text"] = text
        return data

    @property
    def notice(self) -> Notice:
        return self.cleaned_data["notice"]
