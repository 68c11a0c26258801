"""Workbooks out: the ticket list (as filtered in the queue) and the enterprise list.

The enterprise workbook has the import's columns, so it can be edited and imported again.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Coverage, Enterprise
from tickets.models import Ticket

from .imports import COLUMNS
from .spreadsheets import workbook_bytes


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def tickets_workbook(tickets: QuerySet[Ticket]) -> bytes:
    """One row a ticket; `tickets` comes from tickets.selectors and the queue's filters."""
    header = [
        _("Number"),
        _("Title"),
        _("Enterprise"),
        _("Unified social credit code"),
        _("District"),
        _("Category"),
        _("Status"),
        _("Channel"),
        _("Submitted"),
        _("Accept by"),
        _("Complete by"),
        _("Lead department"),
        _("Assignee"),
        _("Outcome"),
        _("Rating"),
        _("Overdue"),
    ]
    now = timezone.now()

    def rows():
        for t in tickets.iterator(chunk_size=2000):
            yield [
                t.number,
                t.title,
                t.enterprise.name,
                t.enterprise.uscc,
                t.enterprise.district.name,
                str(t.category),
                t.get_status_display(),
                t.get_channel_display(),
                _local(t.submitted_at),
                _local(t.acceptance_due),
                _local(t.completion_due),
                t.lead_department.name if t.lead_department else "",
                t.assignee.official.name if t.assignee and hasattr(t.assignee, "official") else "",
                t.get_outcome_display(),
                t.get_rating_display(),
                _("yes") if t.is_overdue(now) else "",
            ]

    widths = [16, 36, 30, 22, 12, 16, 10, 10, 17, 17, 17, 20, 10, 12, 12, 8]
    return workbook_bytes(_("Tickets"), header, rows(), widths=widths)


def enterprises_workbook(enterprises: QuerySet[Enterprise]) -> bytes:
    """One row an enterprise, in the import template's columns (user names for officials)."""
    enterprises = enterprises.select_related("district", "industry_chain").prefetch_related(
        Prefetch("coverages", queryset=Coverage.objects.select_related("official__user"))
    )

    def rows():
        for e in enterprises.iterator(chunk_size=1000):
            coverages = list(e.coverages.all())
            primary = [c for c in coverages if c.role == Coverage.Role.PRIMARY]
            liaisons = [c for c in coverages if c.role == Coverage.Role.LIAISON]
            yield [
                e.uscc,
                e.name,
                e.district.code,
                e.industry_chain.code if e.industry_chain else "",
                e.revenue_tier,
                e.srdi_level,
                e.address,
                e.contact_name,
                e.contact_phone,
                e.contact_email,
                primary[0].official.user.get_username() if primary else "",
                "、".join(c.official.user.get_username() for c in liaisons),
            ]

    return workbook_bytes(
        _("Enterprises"),
        [str(c.label) for c in COLUMNS],
        rows(),
        widths=[c.width for c in COLUMNS],
    )


def template_workbook() -> bytes:
    """The import template: the header row, and a sheet that says what each column takes."""
    from enterprises.models import District, IndustryChain

    districts = "、".join(f"{d.code} {d.name}" for d in District.objects.all())
    chains = "、".join(f"{c.code} {c.name}" for c in IndustryChain.objects.all())
    notes = [
        (_("Column"), _("What it takes")),
        (
            COLUMNS[0].label,
            _(
                "18 characters, as on the business licence; an enterprise already "
                "known is updated, not duplicated. Required."
            ),
        ),
        (COLUMNS[1].label, _("Required.")),
        (COLUMNS[2].label, _("Code or name. Required. Known: %(list)s") % {"list": districts}),
        (COLUMNS[3].label, _("Code or name, or empty. Known: %(list)s") % {"list": chains}),
        (
            COLUMNS[4].label,
            _("a (≥ 10 billion yuan), b (≥ 1 billion), c (≥ 100 million) or d (below). Required."),
        ),
        (COLUMNS[5].label, _("national, provincial, municipal or none (the default).")),
        (
            COLUMNS[10].label,
            _(
                "Exactly one official, by user name (or by name when no other "
                "official has it). Required."
            ),
        ),
        (
            COLUMNS[11].label,
            _(
                "Officials separated by commas or 、; the row states the "
                "enterprise's coverage in full."
            ),
        ),
    ]
    return workbook_bytes(
        _("Enterprises"),
        [str(c.label) for c in COLUMNS],
        [],
        widths=[c.width for c in COLUMNS],
        notes=notes,
    )
