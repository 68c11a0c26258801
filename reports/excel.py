"""Excel workbooks (openpyxl): the weekly bulletin, and the summary of `manage.py report`.

One sheet per table, the header row frozen, column widths set, rates written as fractions with
a percentage format (96.4 % is the number 0.964), and "—" where a rate is undefined.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tickets.models import Status
from workdays.weeks import week_title

from .cells import set_text_safe
from .dimensions import DIMENSIONS
from .figures import FIGURES, LABELS, RANKED, RATES
from .scores import ranking_note

if TYPE_CHECKING:  # openpyxl is imported when a workbook is made, not by every web worker
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

PERCENT = "0.0%"
DASH = "—"
HEADER_FILL_COLOUR = "DDE6F5"
MAX_WIDTH = 60


def bulletin_workbook(data: dict) -> Workbook:
    """The bulletin as a workbook: summary, each breakdown (districts and departments in rank
    order), and the overdue and supervised tickets."""
    from openpyxl import Workbook

    workbook = Workbook()
    _bulletin_summary(workbook.active, data)
    for code, dimension in DIMENSIONS.items():
        sheet = workbook.create_sheet(
            _sheet_title(_("By %(dimension)s") % {"dimension": dimension.label})
        )
        _breakdown_sheet(sheet, dimension, data["breakdowns"][code], ranked=code in RANKED)
        if code in RANKED and "score" in data:  # how the units were scored, under the table
            sheet.append([])
            sheet.append([ranking_note(data["score"])])
    for key, title in (("overdue", _("Overdue tickets")), ("supervised", _("Supervised tickets"))):
        _ticket_list_sheet(workbook.create_sheet(_sheet_title(title)), data[key])
    return workbook


def _bulletin_summary(sheet: Worksheet, data: dict) -> None:
    """The scope and the dates, then every figure of the week and cumulatively."""
    sheet.title = _sheet_title(_("Summary"))
    week, total = data["period"], data["cumulative"]
    sheet.append([_("Weekly bulletin"), _scope_name(data)])
    sheet.append([_("Week"), f"{week_title(week['label'])} ({week['from']} – {week['to']})"])
    sheet.append([_("Cumulative"), f"{total['from']} – {total['to']}"])
    sheet.append([])
    _table(
        sheet,
        [_("Figure"), _("This week"), _("Cumulative")],
        [
            [
                str(LABELS[code]),
                data["week"]["figures"].get(code),  # none in a bulletin older than the figure
                data["total"]["figures"].get(code),
            ]
            for code in FIGURES
        ],
        rate_rows={n for n, code in enumerate(FIGURES) if code in RATES},
        first_row=5,
    )


def _breakdown_sheet(sheet: Worksheet, dimension, groups: list[dict], *, ranked: bool) -> None:
    """One row per unit with every figure; a ranked breakdown in rank order, its rank first."""
    if ranked:
        groups = sorted(groups, key=lambda g: (g["rank"] is None, g["rank"] or 0))
    header = ([_("Rank")] if ranked else []) + [str(dimension.label)]
    header += ([_("Score")] if ranked else []) + [str(LABELS[c]) for c in FIGURES]
    rows = [
        ([g["rank"] if g["rank"] is not None else _unranked(g)] if ranked else [])
        + [g["name"] if g["key"] is not None else str(dimension.none_label)]
        + ([g.get("score")] if ranked else [])  # none in a bulletin older than the score
        + [g["figures"].get(c) for c in FIGURES]
        for g in groups
    ]
    offset = 3 if ranked else 1
    _table(
        sheet,
        header,
        rows,
        rate_columns={offset + n for n, c in enumerate(FIGURES) if c in RATES},
    )


def _unranked(group: dict) -> str:
    """未排名 for a unit below the minimum (or the none group: —)."""
    return _("Unranked") if group["key"] is not None and "score" in group else DASH


def _ticket_list_sheet(sheet: Worksheet, listing: dict) -> None:
    """The tickets of a list (overdue, supervised), and how many are left out when it is cut."""
    _table(
        sheet,
        [
            _("Number"),
            _("Problem"),
            _("Enterprise"),
            _("District"),
            _("Lead department"),
            _("Status"),
            _("Complete by"),
            _("Working days overdue"),
        ],
        [
            [
                t["number"],
                t["title"],
                t["enterprise"],
                t["district"],
                t["department"] or DASH,
                str(Status(t["status"]).label),
                t["due"] or DASH,
                t["working_days_overdue"],
            ]
            for t in listing["tickets"]
        ],
    )
    if listing["count"] > len(listing["tickets"]):
        sheet.append([])
        sheet.append(
            [
                ngettext(
                    "%(shown)d of %(count)d ticket listed.",
                    "%(shown)d of %(count)d tickets listed.",
                    listing["count"],
                )
                % {"shown": len(listing["tickets"]), "count": listing["count"]}
            ]
        )


def summary_workbook(summary: dict, *, group_by: str | None) -> Workbook:
    """The JSON of reports.aggregates.summary as a workbook: totals, and the groups if any."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Totals"))
    period = summary["period"]
    label = _("Cumulative") if period["cumulative"] else _("Period")
    sheet.append([label, f"{period['from']} – {period['to']}"])
    sheet.append([])
    _table(
        sheet,
        [_("Figure"), _("Value")],
        [[str(LABELS[code]), summary["totals"][code]] for code in FIGURES],
        rate_rows={n for n, code in enumerate(FIGURES) if code in RATES},
        first_row=3,
    )
    if group_by:
        dimension = DIMENSIONS[group_by]
        groups = workbook.create_sheet(
            _sheet_title(_("By %(dimension)s") % {"dimension": dimension.label})
        )
        _table(
            groups,
            [_("Key"), str(dimension.label), *(str(LABELS[c]) for c in FIGURES)],
            [[g["key"] or DASH, g["name"], *(g[c] for c in FIGURES)] for g in summary["groups"]],
            rate_columns={2 + n for n, c in enumerate(FIGURES) if c in RATES},
        )
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- layout ----------------------------------------------------------------------------------


def _table(
    sheet: Worksheet,
    header: list,
    rows: list[list],
    *,
    rate_columns: set[int] = frozenset(),
    rate_rows: set[int] = frozenset(),
    first_row: int = 1,
) -> None:
    """Write a header and rows from `first_row`, freeze what is above and left of the data,
    format rate cells as percentages and set each column's width to its content."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL_COLOUR)
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=first_row, column=column, value=str(title))
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for n, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            is_rate = (column - 1) in rate_columns or (n in rate_rows and column > 1)
            cell = sheet.cell(row=first_row + 1 + n, column=column)
            if is_rate:
                if value is None:
                    cell.value = DASH
                    cell.alignment = Alignment(horizontal="right")
                else:
                    cell.value = float(value) / 100
                    cell.number_format = PERCENT
            else:
                set_text_safe(cell, value)
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=2)
    for column in range(1, len(header) + 1):
        letter = get_column_letter(column)
        texts = [str(header[column - 1])] + [
            str(row[column - 1]) for row in rows if column - 1 < len(row)
        ]
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(_width(t) for t in texts) + 2)


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_title(title) -> str:
    """Excel's limits: 31 characters, none of []:*?/\\."""
    text = str(title)
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    return text[:31]


def _scope_name(data: dict) -> str:
    return data["district"]["name"] if data.get("district") else _("The whole city")
