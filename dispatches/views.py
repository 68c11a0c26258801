"""The dispatch pages: what is due, recording a visit, filing what it found, completion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import District, Enterprise
from enterprises.selectors import (
    covers,
    enterprises_visible_to,
    is_office,
    official_of,
    report_scope,
)

from . import services
from .cadence import completion_by_district, dispatch_states, latest_due_date, next_due_date
from .forms import CompletionPeriodForm, DispatchForm, FileProblemForm
from .models import DispatchProblem
from .selectors import dispatches_visible_to


@login_required
def dispatches(request: HttpRequest) -> HttpResponse:
    """Due and overdue dispatches of the enterprises I cover (the office: of all)."""
    official = official_of(request.user)
    if official is None and not is_office(request.user):
        raise PermissionDenied
    enterprises = (
        Enterprise.objects.all()
        if is_office(request.user)
        else Enterprise.objects.filter(coverages__official=official)
    )
    states = dispatch_states(enterprises)
    states.sort(key=lambda s: (not s.overdue, s.due, s.enterprise.name))
    recent = (
        dispatches_visible_to(request.user)
        .select_related("enterprise", "official")
        .prefetch_related("problems")[:20]
    )
    return render(request, "dispatches/index.html", {"states": states, "recent": recent})


def _enterprise_for_dispatch(request: HttpRequest, pk: int):
    """An enterprise the user covers, or 404 (like any enterprise it may not see)."""
    official = official_of(request.user)
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=pk)
    if official is None or not covers(official, enterprise.pk):
        raise PermissionDenied
    return official, enterprise


@login_required
def dispatch_create(request: HttpRequest, pk: int) -> HttpResponse:
    official, enterprise = _enterprise_for_dispatch(request, pk)
    tier = enterprise.revenue_tier
    today = timezone.localdate()
    answered = set(enterprise.dispatches.values_list("scheduled_for", flat=True))
    due = latest_due_date(tier, today)
    if due is None or due in answered:
        due = next_due_date(tier, today)
    if due is None:
        messages.info(request, _("This enterprise has no dispatch cadence (revenue tier d)."))
        return redirect("dispatches:list")
    form = DispatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.dispatch_record(
                official=official, enterprise=enterprise, scheduled_for=due, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The dispatch was recorded."))
            return redirect("dispatches:detail", pk=dispatch.pk)
    return render(
        request,
        "dispatches/form.html",
        {"form": form, "enterprise": enterprise, "due": due},
    )


@login_required
def dispatch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispatch = get_object_or_404(
        dispatches_visible_to(request.user).select_related("enterprise", "official"), pk=pk
    )
    official = official_of(request.user)
    can_file = official is not None and covers(official, dispatch.enterprise_id)
    return render(
        request,
        "dispatches/detail.html",
        {
            "dispatch": dispatch,
            "problems": dispatch.problems.select_related("ticket"),
            "can_file": can_file,
            "categories": list(FileProblemForm().fields["category"].choices),
        },
    )


@login_required
@require_POST
def problem_file(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: a problem found on a dispatch becomes a ticket filed on the enterprise's behalf."""
    problem = get_object_or_404(
        DispatchProblem.objects.select_related("dispatch").filter(
            dispatch__in=dispatches_visible_to(request.user)
        ),
        pk=pk,
    )
    official = official_of(request.user)
    if official is None or not covers(official, problem.dispatch.enterprise_id):
        raise PermissionDenied
    form = FileProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the problem's category."))
        return redirect("dispatches:detail", pk=problem.dispatch_id)
    try:
        problem = services.dispatch_problem_file(
            problem=problem, user=request.user, category=form.cleaned_data["category"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dispatches:detail", pk=problem.dispatch_id)
    messages.success(request, _("Filed as %(number)s.") % {"number": problem.ticket.number})
    return redirect(problem.ticket)


@login_required
def dispatch_completion(request: HttpRequest) -> HttpResponse:
    """Leaders: how many due dispatches were recorded, per district (this month by default)."""
    scope = report_scope(request.user)
    if scope is None:
        raise PermissionDenied
    today = timezone.localdate()
    form = CompletionPeriodForm(request.GET)
    start, end = form.period(today)
    districts = District.objects.all()
    if not scope.is_city:
        districts = districts.filter(pk=scope.district_id)
    rows = completion_by_district(
        districts=districts,
        start=start,
        end=end,
        enterprises=enterprises_visible_to(request.user).filter(is_active=True),
    )
    return render(
        request,
        "dispatches/completion.html",
        {"rows": rows, "start": start, "end": min(end, today), "form": form},
        status=200 if form.is_valid() else 400,
    )
