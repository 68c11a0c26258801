"""Pages of the enterprise portal, the officials' workbench and the office.

Views are thin: they load through tickets.selectors (404 for what the user may not see, 403 for
what it may see but not do), validate with a form and call tickets.services.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from enterprises.selectors import is_office, member_of, official_of, report_scope
from notifications.services import notifications_read
from workdays.calendar import WorkCalendar

from . import services
from .action_forms import ACTION_FORMS
from .clocks import acceptance_overdue_condition, overdue_condition
from .filters import TicketFilter
from .forms import TicketForm
from .models import OPEN_STATUSES, Action, Attachment
from .paging import CappedPaginator
from .panels import panels_for
from .previews import display_file
from .selectors import (
    attachment_visible_to,
    enterprise_view,
    ticket_for,
    ticket_for_action,
    ticket_list_for,
    timeline_for,
)
from .stages import ticket_stages
from .submissions import ticket_submit_once
from .workflow import TransitionError, allowed_actions

PAGE_SIZE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their day starts."""
    if member_of(request.user) is not None and official_of(request.user) is None:
        return redirect("tickets:mine")
    official = official_of(request.user)
    leads = official is not None and official.is_leader and not official.is_office
    if leads and report_scope(request.user) is not None:  # figures, under what waits on it
        return redirect("reports:dashboard")
    if official is not None or request.user.is_superuser:
        return redirect("tickets:queue")
    return render(request, "home_no_role.html")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The workbench queue: every visible ticket, filtered, sorted and paginated."""
    if official_of(request.user) is None and not is_office(request.user):
        if member_of(request.user) is not None:
            return redirect("tickets:mine")
        raise PermissionDenied
    return queue_page(request, TicketFilter, CappedPaginator)


def queue_page(
    request: HttpRequest,
    filterset_class: type[TicketFilter],
    paginator_class: type[Paginator] = Paginator,
) -> HttpResponse:
    """The queue's page with the tickets `filterset_class` lets through, counted by
    `paginator_class` (the reports show the tickets behind a figure with it, counted exactly, so
    that each list equals its figure). The caller has checked who may see the page."""
    filterset = filterset_class(
        request.GET, queryset=ticket_list_for(user=request.user), user=request.user
    )
    page = paginator_class(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tickets/queue.html",
        {
            "filter": filterset,
            "page": page,
            "days_left": _days_left(page.object_list),
            "query": _query_without_page(request),
            "can_file": _files_on_behalf(request.user),
        },
    )


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    """The office's list of overdue and supervised tickets (超期督办), most overdue first."""
    if not is_office(request.user):
        raise PermissionDenied
    tickets = (
        ticket_list_for(user=request.user)
        .filter(merged_into__isnull=True)
        .filter(
            overdue_condition()
            | acceptance_overdue_condition()
            | Q(supervised=True, status__in=OPEN_STATUSES)
        )
        .annotate(reminders=Count("events", filter=Q(events__action=Action.REMIND)))
        .order_by(Coalesce("completion_due", "acceptance_due"), "pk")  # most overdue first
    )
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tickets/supervision.html",
        {"page": page, "days_left": _days_left(page.object_list)},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The enterprise portal: my enterprise's tickets, newest first."""
    member = member_of(request.user)
    if member is None:
        return redirect("tickets:queue")
    tickets = ticket_list_for(user=request.user).filter(enterprise_id=member.enterprise_id)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tickets/mine.html",
        {"page": page, "enterprise": member.enterprise, "days_left": _days_left(page.object_list)},
    )


@login_required
@ratelimit(key="user_or_ip", rate=lambda g, r: settings.TICKET_SUBMIT_RATE, method="POST")
@ratelimit(key="ip", rate=lambda g, r: settings.TICKET_SUBMIT_IP_RATE, method="POST")
def create(request: HttpRequest) -> HttpResponse:
    """File a problem: an enterprise user for its enterprise, the office on an enterprise's behalf."""
    member = member_of(request.user)
    official = official_of(request.user)
    on_behalf = official is not None or request.user.is_superuser
    if not on_behalf and member is None:
        raise PermissionDenied
    form = TicketForm(
        request.POST or None, request.FILES or None, user=request.user, on_behalf=on_behalf
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = data.get("enterprise") or member.enterprise
        try:
            filed = ticket_submit_once(
                form_token=data["form_token"],
                enterprise=enterprise,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                channel=data.get("channel") or "web",
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
                attachments=data["attachments"],
                submitted_by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        except TransitionError as error:
            form.add_error(None, error.message)
        else:
            ticket = filed.ticket
            if filed.again:
                messages.info(
                    request,
                    _("This form was sent already and filed %(number)s; here it is.")
                    % {"number": ticket.number},
                )
            else:
                messages.success(
                    request,
                    _("Your problem was filed as %(number)s. The office will accept it by %(due)s.")
                    % {"number": ticket.number, "due": f"{ticket.acceptance_due:%Y-%m-%d}"},
                )
            return redirect(ticket)
    return render(request, "tickets/create.html", {"form": form, "on_behalf": on_behalf})


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    ticket = ticket_for(request.user, number)
    notifications_read(user=request.user, ticket_id=ticket.pk)  # opening it is reading its news
    return _render_detail(request, ticket)


def _render_detail(request, ticket, bound_form=None, status=200) -> HttpResponse:
    forms = []
    for action in allowed_actions(request.user, ticket):
        if bound_form is not None and bound_form.action == action:
            forms.append(bound_form)
        else:
            forms.append(ACTION_FORMS[action](ticket=ticket, user=request.user))
    as_enterprise = enterprise_view(request.user, ticket)
    events = timeline_for(request.user, ticket)
    primary = _action_of_the_moment(forms) if as_enterprise else None
    if primary is not None:
        forms.remove(primary)
    return render(
        request,
        "tickets/detail.html",
        {
            "ticket": ticket,
            "events": events,
            "extension": _last_extension(events, ticket),
            "forms": forms,
            "primary_form": primary,
            "stages": ticket_stages(ticket),
            "as_enterprise": as_enterprise,
            "days_left": _days_left([ticket]).get(ticket.pk),
            "supporting": list(ticket.supporting_departments.all()),
            "duplicates": [] if as_enterprise else list(ticket.duplicates.only("number", "title")),
            "panels": panels_for(request.user, ticket),
        },
        status=status,
    )


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Do one action from the ticket's page; a refusal is shown there and changes nothing."""
    try:
        action = Action(action)
    except ValueError:
        raise PermissionDenied from None
    if action == Action.SUBMIT:
        raise PermissionDenied
    ticket = ticket_for_action(request.user, number, action)
    form = ACTION_FORMS[action](request.POST, request.FILES, ticket=ticket, user=request.user)
    if form.is_valid():
        params = form.params()
        try:
            services.ticket_transition(
                ticket=ticket,
                actor=request.user,
                action=action,
                note=params.pop("note", ""),
                public=params.pop("public", None),
                attachments=params.pop("attachments", []),
                **params,
            )
        except TransitionError as error:
            messages.error(request, error.message)
            return _back(request, ticket)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": action.label})
            return _back(request, ticket)
    return _render_detail(request, ticket, bound_form=form, status=400)


def _visible_attachment(request: HttpRequest, pk: int) -> Attachment:
    """The attachment, if `request.user` may see it: else 404, as for a ticket it may not see."""
    attachment = get_object_or_404(Attachment.objects.select_related("ticket", "event"), pk=pk)
    attachment.ticket = ticket_for(request.user, attachment.ticket.number)
    if not attachment_visible_to(request.user, attachment):
        raise Http404
    return attachment


def _sandboxed(response: FileResponse) -> FileResponse:
    """An uploaded file is never run or read as anything but its type: no scripts, no plugins,
    no same-origin access even when opened on its own."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Files are served only here, to those who may see the ticket (and, for the enterprise,
    only the files of notes it may read, as on its timeline)."""
    return _download(_visible_attachment(request, pk))


def _download(attachment: Attachment) -> FileResponse:
    return _sandboxed(
        FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.download_name,
            content_type=attachment.content_type,
        )
    )


@login_required
def attachment_view(request: HttpRequest, pk: int) -> FileResponse:
    """The same file for the browser to show: images and PDFs inline (a HEIC photo as JPEG),
    through the same checks; any other type is downloaded as from `attachment_download`."""
    attachment = _visible_attachment(request, pk)
    shown = display_file(attachment)
    if shown is None:
        return _download(attachment)
    file, content_type = shown
    name = attachment.download_name
    if content_type != attachment.content_type:
        name = f"{name.rsplit('.', 1)[0]}.jpg"
    return _sandboxed(FileResponse(file, filename=name, content_type=content_type))


# --- helpers ---------------------------------------------------------------------------------


def _back(request: HttpRequest, ticket) -> HttpResponse:
    """After an action: the page it was taken from when it says so (a leader's 待我处理 on its
    dashboard), else the ticket's page. Only a path of this site is followed."""
    next_url = request.POST.get("next", "")
    if (
        next_url.startswith("/")
        and next_url.isprintable()
        and " " not in next_url
        and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(next_url)  # a path, never taken for a view's name
    return redirect(ticket)


def _files_on_behalf(user) -> bool:
    """The office and the officials who work enterprises' problems file on their behalf; a
    leader reads and decides, and is not offered the button."""
    official = official_of(user)
    return official is not None and (official.is_office or not official.is_leader)


# The enterprise's one prominent button, by what the moment asks: rate a resolution, else urge
# a problem past its deadline, else add information while it is worked. The other actions it may take stay folded below.
ACTIONS_OF_THE_MOMENT = (Action.RATE, Action.URGE, Action.ADD_INFO)


def _last_extension(events: list, ticket):
    """The approved extension that set the completion date now running, if any (what the
    enterprise is told at the top of its page: the new date and the reason given)."""
    if not ticket.is_open:
        return None
    return next((e for e in reversed(events) if e.action == Action.APPROVE_EXTENSION), None)


def _action_of_the_moment(forms: list):
    by_action = {form.action: form for form in forms}
    return next((by_action[a] for a in ACTIONS_OF_THE_MOMENT if a in by_action), None)


def _days_left(tickets) -> dict[int, int]:
    """Working days left (negative: overdue) for each ticket on the page with a running clock."""
    calendar = WorkCalendar.current()
    return {
        ticket.pk: calendar.working_days_left(due)
        for ticket in tickets
        if (due := ticket.current_deadline()) is not None
    }


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
