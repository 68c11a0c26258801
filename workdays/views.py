"""The office reads the year's holiday notice into the calendar: paste, preview, apply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import NoticeForm
from .services import notice_apply, notice_preview

# Who keeps the calendar: the office's group holds these, and so does a system administrator.
CALENDAR_PERMISSIONS = ("workdays.add_calendarday", "workdays.change_calendarday")


@login_required
def notice_import(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perms(CALENDAR_PERMISSIONS):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("step") == "apply":
            applied = notice_apply(form.notice, actor=request.user)
            if applied.changes_anything:
                messages.success(
                    request,
                    _(
                        "The %(year)s notice is in the calendar: %(days)s days entered or corrected, %(moves)s deadlines moved."
                    )
                    % {
                        "year": form.notice.year,
                        "days": len(applied.days),
                        "moves": len(applied.moves),
                    },
                )
            else:
                messages.info(
                    request, _("The calendar already holds this notice: nothing was changed.")
                )
            return redirect("workdays:notice")
        preview = notice_preview(form.notice)
    return render(request, "workdays/notice.html", {"form": form, "preview": preview})
