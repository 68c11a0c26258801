"""The admin site: Django's, refusing two inputs before its pages (every view it wraps with
admin_view) read them.

- A NUL character anywhere in the query or the form: PostgreSQL cannot hold NUL in text, so an
  autocomplete term with one failed in the database (a 500); a search or a filter with one
  found nothing or was dropped. Now all of them are told why.
- An empty `_to_field`: Django's change and delete views then look up a field named "" (a 500;
  any other field the admin does not allow is refused by Django itself with a 400).

Both answer 400 with a message. (The admin's autocomplete widgets are made safe where they are
declared: enterprises/admin_widgets.py.)
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin
from django.contrib.admin.options import TO_FIELD_VAR
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class AdminSite(admin.AdminSite):
    site_header = site_title = gettext_lazy("Qinqing administration")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            problem = refused_input(request)
            if problem is not None:
                return render(request, "400.html", {"message": problem}, status=400)
            return inner(request, *args, **kwargs)

        return guarded


def refused_input(request: HttpRequest) -> str | None:
    """Why the admin refuses this request's input, or None."""
    data = [request.GET] + ([request.POST] if request.method == "POST" else [])
    for values in data:
        for key, items in values.lists():
            if "\x00" in key or any("\x00" in item for item in items):
                return _("The request contains a NUL character, which no field may hold.")
        if TO_FIELD_VAR in values and not values[TO_FIELD_VAR]:
            return _("The request names no field to pick objects by.")
    return None
