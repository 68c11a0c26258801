"""The admin's autocomplete fields, safe with a value that is no key of their model.

When a form comes back with errors, Django's AutocompleteSelect looks the submitted value up
to show it again; a value that is not a key at all (text where the key is a number) makes that
lookup raise instead of letting the field say "Select a valid choice". Every admin and inline
with `autocomplete_fields` uses AutocompleteAdminMixin (tests/test_admin_input.py checks).
The same fix other autocomplete widgets made:
https://github.com/yourlabs/django-autocomplete-light/pull/1321
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _NoKeyShowsNothing:
    def optgroups(self, name, value, attr=None):
        try:
            return super().optgroups(name, value, attr)
        except (ValueError, TypeError, ValidationError):  # raised before any query is sent
            return super().optgroups(name, [], attr)


class SafeAutocompleteSelect(_NoKeyShowsNothing, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_NoKeyShowsNothing, AutocompleteSelectMultiple):
    pass


class AutocompleteAdminMixin:
    """For a ModelAdmin or an inline: its autocomplete fields use the safe widgets."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
