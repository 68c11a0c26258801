"""The joint meeting's agenda (议程) and minutes (会议纪要) as DOCX, in the same house style as
the weekly bulletin (reports.docx)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from reports import docx as word
from reports.document import document_date
from reports.selectors import campaign_settings

from .selectors import Agenda


def _head(document, agenda: Agenda, title: str) -> None:
    word.title(document, title, color=word.RED)
    head = word.text(
        document,
        f"{campaign_settings().issuing_office}　　{document_date(agenda.meeting.held_on)}",
        indent=False,
        align=word.WD_ALIGN_PARAGRAPH.CENTER,
    )
    word.red_rule(head)


def _due(decision) -> str:
    return f"{timezone.localdate(decision.due_at):%Y-%m-%d}"


def agenda_docx(agenda: Agenda) -> bytes:
    document = word.new_document()
    _head(document, agenda, _("Agenda of the joint meeting"))
    number = 0
    word.heading(document, _("1. Decisions of earlier meetings not yet done"))
    for decision in agenda.follow_ups:
        number += 1
        word.text(
            document,
            _("(%(n)s) %(subject)s: %(text)s (%(department)s, due %(due)s)")
            % {
                "n": number,
                "subject": decision.subject,
                "text": decision.text,
                "department": decision.department.name,
                "due": _due(decision),
            },
        )
    if not agenda.follow_ups:
        word.text(document, _("None."))
    word.heading(document, _("2. Problems escalated to the joint meeting"))
    for ticket in agenda.tickets:
        number += 1
        word.text(
            document,
            _("(%(n)s) %(number)s %(enterprise)s: %(title)s")
            % {
                "n": number,
                "number": ticket.number,
                "enterprise": ticket.enterprise.name,
                "title": ticket.title,
            },
        )
    if not agenda.tickets:
        word.text(document, _("None."))
    word.heading(document, _("3. Themes past their deadline or put to the meeting"))
    for theme in agenda.themes:
        number += 1
        word.text(
            document,
            _("(%(n)s) %(title)s (led by %(department)s, %(members)s problems, due %(due)s)")
            % {
                "n": number,
                "title": theme.title,
                "department": theme.lead_department.name,
                "members": theme.member_count,  # type: ignore[attr-defined]
                "due": f"{timezone.localdate(theme.due):%Y-%m-%d}",
            },
        )
    if not agenda.themes:
        word.text(document, _("None."))
    word.heading(document, _("4. Items of the office"))
    for item in agenda.items:
        number += 1
        word.text(document, f"（{number}）{item.title}" if _zh() else f"({number}) {item.title}")
        if item.description:
            word.text(document, item.description)
    if not agenda.items:
        word.text(document, _("None."))
    return word.to_bytes(document)


def minutes_docx(agenda: Agenda) -> bytes:
    document = word.new_document()
    _head(document, agenda, _("Minutes of the joint meeting"))
    word.heading(document, _("1. Decisions"))
    if agenda.decided:
        word.table(
            document,
            [_("Subject"), _("Decision"), _("Responsible department"), _("Deadline")],
            [[d.subject, d.text, d.department.name, _due(d)] for d in agenda.decided],
        )
    else:
        word.text(document, _("None."))
    word.heading(document, _("2. Decisions of earlier meetings still open"))
    if agenda.follow_ups:
        word.table(
            document,
            [_("Subject"), _("Decision"), _("Responsible department"), _("Deadline")],
            [[d.subject, d.text, d.department.name, _due(d)] for d in agenda.follow_ups],
        )
    else:
        word.text(document, _("None."))
    word.seal(document, campaign_settings().issuing_office, document_date(agenda.meeting.held_on))
    return word.to_bytes(document)


def _zh() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("zh")
