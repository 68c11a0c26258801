"""Reading rows from .xlsx and .csv files, and writing .xlsx workbooks (openpyxl).

openpyxl parses the workbook's XML through defusedxml when it is installed (it is pinned), so a
hostile file cannot expand entities.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reports.cells import text_safe

# openpyxl (some 13 MB) is imported where a workbook is read or written, not by every web worker.

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000
MAX_COLUMNS = 40
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024


def read_rows(content: bytes, filename: str) -> list[list[str]]:
    """Every row of the first sheet (or of the CSV file) as text, the header row first.

    CSV may be UTF-8 (with or without Excel's byte-order mark) or GB 18030, which Chinese Excel
    writes. Cells are stripped; trailing empty rows are dropped.
    """
    if len(content) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB; split it into several files."))
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    try:
        rows = _xlsx_rows(content) if suffix == ".xlsx" else _csv_rows(content)
        cleaned = [[_cell(value) for value in row[:MAX_COLUMNS]] for row in rows]
    except ValidationError:
        raise
    except Exception as error:  # a cell that lies about its type, a runaway CSV field…
        raise ValidationError(
            _("This file cannot be read; open it in Excel or WPS, save it again and retry.")
        ) from error
    while cleaned and not any(cleaned[-1]):
        cleaned.pop()
    if len(cleaned) > MAX_ROWS + 1:
        raise ValidationError(
            _("The file has more than %(max)d rows; split it into several files.")
            % {"max": MAX_ROWS}
        )
    return cleaned


def _xlsx_rows(content: bytes) -> Iterator[Sequence]:
    if not content.startswith(b"PK"):
        raise ValidationError(_("This is not an Excel workbook (.xlsx)."))
    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except zipfile.BadZipFile as error:
        raise ValidationError(_("This Excel workbook cannot be read.")) from error
    if unpacked > MAX_UNPACKED:  # a small file that unpacks into gigabytes (a zip bomb)
        raise ValidationError(_("This workbook unpacks to more than 50 MB; split it."))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ValidationError(_("This Excel workbook cannot be read.")) from error
    sheet = workbook.worksheets[0]
    # The sheet's declared size is not trusted: at most MAX_COLUMNS columns are read.
    rows = [
        list(row)
        for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
    ]
    workbook.close()
    return iter(rows)


def _csv_rows(content: bytes) -> Iterator[Sequence]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        if text.count("\n") > MAX_ROWS + 2:
            raise ValidationError(
                _("The file has more than %(max)d rows; split it into several files.")
                % {"max": MAX_ROWS}
            )
        return csv.reader(io.StringIO(text))
    raise ValidationError(_("This CSV file is neither UTF-8 nor GB 18030 text."))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def workbook_bytes(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    widths: Sequence[int] | None = None,
    notes: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A workbook with one sheet: a bold, frozen header row and the rows; optionally a second
    sheet of notes (what each column takes)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    head = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append([text_safe(sheet, value) for value in row])
    if notes:
        help_sheet = workbook.create_sheet(_("Notes")[:31])
        help_sheet.column_dimensions["A"].width = 28
        help_sheet.column_dimensions["B"].width = 90
        for name, note in notes:
            help_sheet.append([str(name), str(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
