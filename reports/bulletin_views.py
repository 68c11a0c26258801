"""The weekly bulletins: the archive, the document (page, DOCX, PDF, workbook) and the office's
editing of a draft.

Every view reads the reader's report scope first (403 for those who read no reports) and loads
the bulletin through `bulletin_for` (404 for a bulletin the reader may not open: another
district's, or a draft, which only the office sees). Only the office edits and publishes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enterprises.selectors import is_office
from ops.replica import replica_reads

from .document import bulletin_document
from .excel import bulletin_workbook, workbook_bytes
from .forms import BulletinForm
from .models import Bulletin
from .pdf import html_to_pdf
from .selectors import bulletin_for, bulletins_visible_to, scope_for, typical_candidates
from .services import BulletinError, bulletin_edit, bulletin_issue, bulletin_url

WEEKS_PER_PAGE = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@replica_reads()
def bulletins(request: HttpRequest) -> HttpResponse:
    """The archive: bulletins, newest week first (drafts too, for the office)."""
    scope_for(request.user)
    visible = bulletins_visible_to(request.user)
    weeks = visible.order_by("-week_start").values_list("week_start", flat=True).distinct()
    page = Paginator(weeks, WEEKS_PER_PAGE).get_page(request.GET.get("page"))
    on_page = visible.filter(week_start__in=list(page.object_list)).only(
        "week_start",
        "district__code",
        "district__name",
        "district__sort_order",
        "published_at",
        "issue_year",
        "issue_number",
    )
    by_week: dict = {}
    for published in sorted(on_page, key=_city_first):
        by_week.setdefault(published.week_start, []).append(published)
    return render(
        request,
        "reports/bulletins.html",
        {"page": page, "weeks": sorted(by_week.items(), reverse=True)},
    )


@login_required
@replica_reads()
def bulletin(request: HttpRequest, week: str, district: str | None = None) -> HttpResponse:
    """The bulletin as a document, printable on A4."""
    found = _load(request, week, district)
    return render(
        request,
        "reports/bulletin.html",
        {"bulletin": found, "doc": bulletin_document(found), "links": _links(found)},
    )


@login_required
@replica_reads()
def bulletin_xlsx(request: HttpRequest, week: str, district: str | None = None) -> HttpResponse:
    found = _load(request, week, district)
    return _download(bulletin_workbook_bytes(found), found, "xlsx", XLSX)


@login_required
@replica_reads()
def bulletin_docx_view(request: HttpRequest, week: str, district: str | None = None):
    from .docx import bulletin_docx  # python-docx: loaded by the first download, not at start

    found = _load(request, week, district)
    return _download(bulletin_docx(bulletin_document(found)), found, "docx", DOCX)


@login_required
@replica_reads()
def bulletin_pdf(request: HttpRequest, week: str, district: str | None = None) -> HttpResponse:
    found = _load(request, week, district)
    content = html_to_pdf("reports/bulletin_pdf.html", {"doc": bulletin_document(found)})
    return _download(content, found, "pdf", "application/pdf")


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_edit_view(request: HttpRequest, week: str, district: str | None = None):
    """The office's sections 4 and 5 of a draft; "save and publish" publishes it."""
    if not is_office(request.user):
        raise Http404("No such bulletin.")
    found = _load(request, week, district)
    if found.is_published:
        messages.info(request, _("This bulletin is published; it can no longer be changed."))
        return redirect(bulletin_url(found))
    form = BulletinForm(
        request.POST or None,
        candidates=typical_candidates(found),
        initial={"typical": found.typical, "next_steps": found.next_steps},
    )
    if request.method == "POST" and form.is_valid():
        try:
            bulletin_edit(
                bulletin=found,
                typical=form.cleaned_data["typical"],
                next_steps=form.cleaned_data["next_steps"],
            )
        except BulletinError as error:
            form.add_error(None, str(error))
        else:
            if "publish" in request.POST:
                bulletin_issue(bulletin=found)
                messages.success(request, _("The bulletin is published."))
            else:
                messages.success(request, _("The draft is saved."))
            return redirect(bulletin_url(found))
    return render(
        request,
        "reports/bulletin_edit.html",
        {"bulletin": found, "form": form, "links": _links(found)},
    )


# --- helpers ---------------------------------------------------------------------------------


def _load(request: HttpRequest, week: str, district: str | None) -> Bulletin:
    scope_for(request.user)
    return bulletin_for(request.user, week=week, district=district)


def _links(found: Bulletin) -> dict:
    base = bulletin_url(found)
    return {
        "page": base,
        "edit": bulletin_url(found, "reports:bulletin_edit"),
        "docx": f"{base}docx/",
        "pdf": f"{base}pdf/",
        "xlsx": f"{base}xlsx/",
    }


def bulletin_workbook_bytes(found: Bulletin) -> bytes:
    return workbook_bytes(bulletin_workbook(found.data))


def _download(content: bytes, found: Bulletin, extension: str, content_type: str):
    name = found.district.name if found.district_id else _("city")
    filename = f"{_('bulletin')}-{found.week_label}-{name}.{extension}"
    return HttpResponse(
        content,
        content_type=content_type,
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )


def _city_first(found) -> tuple:
    district = found.district
    return (district is not None, district.sort_order if district else 0, found.pk)
