"""The joint meetings' pages. The office and the leaders read the meetings (404 for everybody
else); only the office writes; a department's officials read their department's decisions
under "Meeting tasks"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Department
from enterprises.selectors import is_office
from tickets.models import Ticket

from .forms import DecisionForm, DoneForm, ItemForm, MeetingForm
from .models import AgendaItem, Meeting
from .selectors import agenda, decisions_visible_to, meeting_for, next_meeting, reads_meetings
from .services import (
    MeetingError,
    decision_done,
    decision_record,
    item_add,
    meeting_close,
    meeting_create,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _office_only(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise Http404("No such page.")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The meetings, newest first, for the office and the leaders; a department's officials
    go to their tasks."""
    if not reads_meetings(request.user):
        if decisions_visible_to(request.user).query.is_empty():
            raise Http404("No such page.")
        return redirect("meetings:tasks")
    return render(
        request,
        "meetings/home.html",
        {
            "meetings": Meeting.objects.all()[:36],
            "next": next_meeting(),
            "form": MeetingForm() if is_office(request.user) else None,
            "is_office": is_office(request.user),
        },
    )


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = meeting_create(held_on=form.cleaned_data["held_on"])
        except MeetingError as error:
            messages.error(request, str(error))
        else:
            return redirect("meetings:detail", pk=meeting.pk)
    else:
        messages.error(request, _("Enter a valid date for the meeting."))
    return redirect("meetings:home")


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    office = is_office(request.user) and not meeting.is_closed
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "agenda": agenda(meeting),
            "can_edit": office,
            "is_office": is_office(request.user),
            "item_form": ItemForm() if office else None,
            "departments": list(Department.objects.all()) if office else [],
            "done_form": DoneForm() if is_office(request.user) else None,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    meeting = meeting_for(request.user, pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("An item needs a title of at most 120 characters."))
    else:
        _try(request, item_add, meeting=meeting, actor=request.user, **form.cleaned_data)
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def decide_ticket(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    _office_only(request)
    meeting = meeting_for(request.user, pk)
    if "\x00" in number or len(number) > 32:  # no ticket number holds these
        raise Http404("No such ticket.")
    ticket = get_object_or_404(Ticket, number=number)
    return _decide(request, meeting, ticket=ticket)


@login_required
@require_POST
def decide_item(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    _office_only(request)
    meeting = meeting_for(request.user, pk)
    found = get_object_or_404(AgendaItem, pk=item)
    return _decide(request, meeting, item=found)


def _decide(request: HttpRequest, meeting: Meeting, **subject) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("A decision needs its text, a responsible department and 1 to 120 working days."),
        )
    else:
        _try(
            request,
            decision_record,
            meeting=meeting,
            actor=request.user,
            **subject,
            **form.cleaned_data,
        )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    meeting = meeting_for(request.user, pk)
    _try(request, meeting_close, meeting=meeting)
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    decision = get_object_or_404(decisions_visible_to(request.user), pk=pk)
    form = DoneForm(request.POST)
    if form.is_valid():
        _try(request, decision_done, decision=decision, note=form.cleaned_data["note"])
    else:
        messages.error(request, _("The note may be at most 2,000 characters."))
    back = request.POST.get("next", "")
    if back.isdigit() and len(back) < 10 and Meeting.objects.filter(pk=int(back)).exists():
        return redirect("meetings:detail", pk=int(back))
    return redirect("meetings:tasks")


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """Decisions as tracked work: open first, soonest due first, with their overdue state."""
    decisions = decisions_visible_to(request.user)
    if decisions.query.is_empty():
        raise Http404("No such page.")
    show_done = request.GET.get("done") == "1"
    listed = decisions.filter(done_at__isnull=not show_done).order_by("due_at", "pk")[:200]
    return render(
        request,
        "meetings/tasks.html",
        {
            "decisions": listed,
            "show_done": show_done,
            "is_office": is_office(request.user),
            "done_form": DoneForm(),
            "now": timezone.now(),
        },
    )


@login_required
def agenda_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    from . import documents  # python-docx: loaded by the first download, not at start

    content = documents.agenda_docx(agenda(meeting))
    return _docx(content, _("agenda-%(date)s.docx") % {"date": f"{meeting.held_on:%Y%m%d}"})


@login_required
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    from . import documents

    content = documents.minutes_docx(agenda(meeting))
    return _docx(content, _("minutes-%(date)s.docx") % {"date": f"{meeting.held_on:%Y%m%d}"})


def _try(request: HttpRequest, service, **kwargs) -> None:
    try:
        service(**kwargs)
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))


def _docx(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=DOCX,
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )
