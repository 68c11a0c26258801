"""Spreadsheet downloads and the office's enterprise import (exchange/urls.py: under /enterprises/
and /tickets/)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Coverage
from enterprises.selectors import enterprises_visible_to, is_office
from ops.replica import replica_reads
from reports.links import FigureFilter
from tickets.filters import TicketFilter
from tickets.selectors import ticket_list_for

from .exports import enterprises_workbook, template_workbook, tickets_workbook
from .filters import EnterpriseFilter
from .forms import ImportForm
from .imports import COLUMNS, enterprise_import_plan
from .services import enterprise_import
from .spreadsheets import XLSX_TYPE

PENDING = "exchange.pending_import"
PAGE_SIZE = 50


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@replica_reads()
def ticket_export(request: HttpRequest) -> HttpResponse:
    """The tickets the user may see, filtered as the queue is (its query string), as .xlsx."""
    # The list behind a dashboard number (reports.links) exports as it shows.
    filterset_class = FigureFilter if "figure" in request.GET else TicketFilter
    filterset = filterset_class(
        request.GET, queryset=ticket_list_for(user=request.user), user=request.user
    )
    if not filterset.is_valid():
        return redirect("tickets:queue")
    stamp = f"{timezone.localtime():%Y%m%d-%H%M}"
    return _xlsx(tickets_workbook(filterset.qs), f"tickets-{stamp}.xlsx")


def _office_only(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied


def _enterprises(request: HttpRequest) -> EnterpriseFilter:
    queryset = (
        enterprises_visible_to(request.user)
        .select_related("district", "industry_chain")
        .order_by("district__sort_order", "name", "pk")
    )
    return EnterpriseFilter(request.GET, queryset=queryset)


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """The office's list of enterprises, with their primary covering leader, to export. A page
    is by name (an index reads 50 of a province's 135,000; the district is a filter and a
    column); the export keeps the districts' order."""
    _office_only(request)
    filterset = _enterprises(request)
    enterprises = filterset.qs.order_by("name", "pk").prefetch_related(
        Prefetch(
            "coverages",
            queryset=Coverage.objects.filter(role=Coverage.Role.PRIMARY).select_related("official"),
            to_attr="primaries",
        )
    )
    page = Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchange/enterprise_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@login_required
def enterprise_export(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    enterprises = _enterprises(request).qs
    stamp = f"{timezone.localtime():%Y%m%d-%H%M}"
    return _xlsx(enterprises_workbook(enterprises), f"enterprises-{stamp}.xlsx")


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    return _xlsx(template_workbook(), "enterprises-template.xlsx")


@login_required
def enterprise_import_page(request: HttpRequest) -> HttpResponse:
    """Upload → every row checked. All valid: imported at once. Some wrong: nothing imported,
    the errors listed by row and column, and the office may confirm importing the valid rows."""
    _office_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        plan = enterprise_import_plan(content=content, filename=upload.name)
        context["plan"] = plan
        if not plan.errors:
            result = enterprise_import(actor=request.user, plan=plan)
            messages.success(
                request,
                _("Imported %(total)d enterprises: %(created)d new, %(updated)d updated.")
                % {"total": plan.total, "created": result.created, "updated": result.updated},
            )
            return redirect("exchange:enterprise-list")
        _forget_pending(request)
        if plan.rows:
            suffix = PurePath(upload.name).suffix.lower()
            path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", ContentFile(content))
            request.session[PENDING] = {"path": path, "name": upload.name}
        return render(request, "exchange/import.html", context, status=400)
    return render(request, "exchange/import.html", context)


@login_required
@require_POST
def enterprise_import_confirm(request: HttpRequest) -> HttpResponse:
    """The office confirmed: import the valid rows of the file it uploaded, skip the others."""
    _office_only(request)
    pending = request.session.get(PENDING)
    if not pending or not default_storage.exists(pending["path"]):
        messages.error(request, _("Upload the file again; the earlier upload has expired."))
        return redirect("exchange:enterprise-import")
    with default_storage.open(pending["path"], "rb") as stored:
        plan = enterprise_import_plan(content=stored.read(), filename=pending["name"])
    try:
        result = enterprise_import(actor=request.user, plan=plan, valid_only=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("exchange:enterprise-import")
    finally:
        _forget_pending(request)
    messages.success(
        request,
        _(
            "Imported the valid rows: %(created)d new, %(updated)d updated; %(skipped)d rows "
            "with errors were skipped."
        )
        % {"created": result.created, "updated": result.updated, "skipped": result.skipped},
    )
    return redirect("exchange:enterprise-list")


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING, None)
    if pending and default_storage.exists(pending["path"]):
        default_storage.delete(pending["path"])
