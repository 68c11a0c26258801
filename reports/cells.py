"""Cells of a workbook that hold what people typed (openpyxl): text stays text, whatever it
starts with, and characters a workbook cannot hold are dropped. Every workbook the service writes
(the reports' and exchange's exports) puts typed text through here."""

from __future__ import annotations


def looks_like_a_formula(value) -> bool:
    """openpyxl writes any string starting with "=" as a formula: a ticket titled =HYPERLINK(…)
    would become a live link in the office's workbook (formula injection, OWASP)."""
    return isinstance(value, str) and value.startswith("=")


def text_safe(sheet, value):
    """A write-only cell for `value`, in which text that looks like a formula stays text."""
    from openpyxl.cell import WriteOnlyCell

    value = _printable(value)
    if looks_like_a_formula(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def set_text_safe(cell, value) -> None:
    """Put `value` in `cell` (of an ordinary worksheet); text that looks like a formula stays text."""
    value = _printable(value)
    cell.value = value
    if looks_like_a_formula(value):
        cell.data_type = "s"


def _printable(value):
    """Control characters are illegal in a workbook (openpyxl refuses the whole cell)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
