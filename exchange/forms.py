from django import forms
from django.utils.translation import gettext_lazy as _

from .spreadsheets import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        max_length=200,
        help_text=_("An .xlsx workbook or a .csv file in the template's columns, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return upload
