"""The office's themes: candidates found at night, confirmed or gathered by hand, tracked,
resolved. Leaders read them; nobody else knows they exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.selectors import is_office, member_of, official_of
from tickets.models import Action
from tickets.selectors import ticket_for_action

from . import services
from .forms import AnswerForm, OutreachForm, ProgressForm, ResolveForm, ThemeForm
from .models import Candidate, Member, Outreach, Theme


def _reader(request: HttpRequest) -> bool:
    official = official_of(request.user)
    office = is_office(request.user)
    if not office and not (official is not None and official.is_leader):
        raise Http404
    return office


def _office(request: HttpRequest) -> None:
    if not _reader(request):
        raise Http404


@login_required
def index(request: HttpRequest) -> HttpResponse:
    office = _reader(request)
    themes = Theme.objects.select_related("lead_department", "leader").annotate(
        size=Count("members")
    )
    candidates = (
        Candidate.objects.filter(dismissed=False)
        .prefetch_related("tickets")
        .annotate(size=Count("tickets"))[:30]
        if office
        else []
    )
    month = services.this_month()
    return render(
        request,
        "themes/index.html",
        {"themes": themes, "candidates": candidates, "office": office, "month": month},
    )


@login_required
def create(request: HttpRequest, candidate: int | None = None) -> HttpResponse:
    _office(request)
    found = get_object_or_404(Candidate, pk=candidate, dismissed=False) if candidate else None
    initial = {}
    if found is not None:
        initial = {
            "title": found.title,
            "tickets": " ".join(found.tickets.values_list("number", flat=True)),
        }
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(actor=request.user, candidate=found, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Theme “%(title)s” created.") % {"title": theme.title})
            return redirect("themes:detail", theme.pk)
    return render(request, "themes/form.html", {"form": form, "candidate": found})


@login_required
@require_POST
def dismiss(request: HttpRequest, candidate: int) -> HttpResponse:
    _office(request)
    Candidate.objects.filter(pk=candidate).update(dismissed=True)
    return redirect("themes:index")


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    office = _reader(request)
    theme = get_object_or_404(
        Theme.objects.select_related("lead_department", "leader").prefetch_related(
            Prefetch(
                "members",
                queryset=Member.objects.select_related("ticket__enterprise").order_by(
                    "ticket__number"
                ),
            ),
            "progress__author",
        ),
        pk=pk,
    )
    progress, resolve = ProgressForm(), ResolveForm()
    peers = (
        list(services.theme_peers(theme)) if office and theme.status == Theme.Status.OPEN else []
    )
    outreach = OutreachForm(
        peers=peers,
        initial={
            "message": _(
                "The office is working on “%(title)s” with several enterprises. If it affects your enterprise too, tell us here."
            )
            % {"title": theme.title}
        },
    )
    if request.method == "POST":
        _office(request)
        if "note" in request.POST:
            progress = ProgressForm(request.POST)
            if progress.is_valid():
                services.theme_add_progress(
                    actor=request.user, theme=theme, **progress.cleaned_data
                )
                return redirect("themes:detail", pk)
        elif "resolution" in request.POST:
            resolve = ResolveForm(request.POST)
            if resolve.is_valid():
                try:
                    services.theme_resolve(actor=request.user, theme=theme, **resolve.cleaned_data)
                except ValidationError as error:
                    resolve.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _("The theme is resolved; each problem's handler is asked to confirm."),
                    )
                    return redirect("themes:detail", pk)
        elif "message" in request.POST:
            outreach = OutreachForm(request.POST, peers=peers)
            if outreach.is_valid():
                sent = services.outreach_send(
                    actor=request.user, theme=theme, **outreach.cleaned_data
                )
                messages.success(request, _("%(count)s enterprises asked.") % {"count": len(sent)})
                return redirect("themes:detail", pk)
        elif request.POST.get("meeting") in ("put", "take"):
            put = request.POST["meeting"] == "put"
            services.theme_put_to_meeting(actor=request.user, theme=theme, put=put)
            return redirect("themes:detail", pk)
        elif request.POST.get("month") == "pick":
            services.theme_pick_month(actor=request.user, theme=theme, month=services.this_month())
            return redirect("themes:detail", pk)
    return render(
        request,
        "themes/detail.html",
        {
            "theme": theme,
            "office": office,
            "progress_form": progress,
            "resolve_form": resolve,
            "outreach_form": outreach if peers else None,
            "asked": theme.outreach.select_related("enterprise", "ticket") if office else [],
            "month": services.this_month(),
        },
    )


@login_required
@require_POST
def member_confirm(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """The ticket's handler takes the theme's resolution (the ticket's RESOLVE, with its checks)."""
    ticket = ticket_for_action(request.user, number, Action.RESOLVE)
    member = get_object_or_404(Member.objects.select_related("theme"), theme_id=pk, ticket=ticket)
    try:
        services.member_confirm(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(ticket.get_absolute_url())


@login_required
def outreach(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as the enterprise reads it, and its answer: affected (a ticket of the theme,
    channel `proactive`) or not. Only the users of the enterprise asked may see it."""
    member = member_of(request.user)
    asked = get_object_or_404(
        Outreach.objects.select_related("theme", "ticket"),
        pk=pk,
        enterprise_id=member.enterprise_id if member else None,
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and asked.answered_at is None:
        if request.POST.get("answer") == "no":
            services.outreach_decline(actor=request.user, outreach=asked)
            messages.success(request, _("Thank you: the office knows it does not affect you."))
            return redirect("themes:outreach", pk)
        if form.is_valid():
            try:
                ticket = services.outreach_answer(
                    actor=request.user, outreach=asked, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Filed as problem %(number)s.") % {"number": ticket.number}
                )
                return redirect(ticket.get_absolute_url())
    return render(request, "themes/outreach.html", {"asked": asked, "form": form})
