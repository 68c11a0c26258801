"""Word documents (DOCX) with python-docx, laid out as a Chinese government office issues them:
A4, a red head, 黑体 headings and 仿宋 text. WPS and Word pick a run's Chinese font from its
East Asian font (w:rFonts w:eastAsia), which python-docx does not set by itself, so every style
and run here sets it; Latin letters and digits keep Times New Roman.

`bulletin_docx` writes the weekly bulletin; the helpers serve the joint meeting's agenda and
minutes too (meetings.documents).
"""

from __future__ import annotations

from io import BytesIO

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .document import Document

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
BODY_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(10.5)  # 五号


def set_font(target, east_asia: str, size=None, *, bold: bool | None = None, color=None) -> None:
    """A run's or a style's font: the East Asian one in w:eastAsia, Latin in ascii/hAnsi."""
    font = target.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color
    properties = target.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def new_document():
    """An A4 document with the margins of GB/T 9704 and 仿宋 as its normal text."""
    document = new_docx()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.3), Cm(3)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.3
    return document


def text(document, content: str, *, indent: bool = True, align=None, size=None, font=BODY_FONT):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(28)  # two characters
    if align is not None:
        paragraph.alignment = align
    set_font(paragraph.add_run(content), font, size)
    return paragraph


def heading(document, content: str):
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(28)
    paragraph.paragraph_format.space_before = Pt(6)
    set_font(paragraph.add_run(content), HEADING_FONT, BODY_SIZE)
    return paragraph


def title(document, content: str, *, size=None, color=None):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(content), TITLE_FONT, size or Pt(22), bold=True, color=color)
    return paragraph


def red_rule(paragraph) -> None:
    """The red line under a document's head: the paragraph's bottom border."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "18"),
        ("w:space", "4"),
        ("w:color", "C00000"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def table(document, header: list[str], rows: list[list[str]]):
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(grid.rows[0].cells, header, strict=True):
        _cell(cell, label, bold=True)
    for row in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _cell(cell, value)
    return grid


def _cell(cell, value: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = None
    paragraph.paragraph_format.line_spacing = 1.0
    set_font(paragraph.add_run(value), HEADING_FONT if bold else BODY_FONT, TABLE_SIZE)


def seal(document, office: str, date: str) -> None:
    """The seal line: the issuing office and the date, right-aligned, room above for the seal."""
    document.add_paragraph()
    for line in (office, date):
        text(document, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)


def to_bytes(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bulletin_docx(doc: Document) -> bytes:
    """The weekly bulletin (通报) as a DOCX."""
    from django.utils.translation import gettext as _

    document = new_document()
    title(document, doc.title, size=Pt(20), color=RED)
    text(document, doc.issue, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    head = text(
        document, f"{doc.office}　　{doc.date}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    red_rule(head)
    text(document, f"{doc.scope} · {doc.period}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)

    heading(document, doc.headings["overview"])
    text(document, doc.overview)

    heading(document, doc.headings["ranking"])
    for ranking in doc.rankings:
        text(document, ranking.title, indent=False, font=HEADING_FONT, size=TABLE_SIZE)
        table(document, ranking.header, ranking.rows)
        text(document, f"{_('Honour list')}：{'、'.join(ranking.honour) or '—'}")
        text(document, f"{_('Warning list')}：{'、'.join(ranking.warning) or '—'}")
    text(document, doc.ranking_note, size=TABLE_SIZE)

    heading(document, doc.headings["late"])
    text(document, doc.late_more)
    if doc.late:
        table(document, doc.late_header, doc.late)
    if doc.themes is not None:
        text(document, doc.themes.heading, indent=False, font=HEADING_FONT, size=TABLE_SIZE)
        text(document, doc.themes.summary)
        text(document, doc.themes.month)
        if doc.themes.rows:
            table(document, doc.themes.header, doc.themes.rows)

    heading(document, doc.headings["typical"])
    for line in doc.typical or [_("None chosen this week.")]:
        text(document, line)

    heading(document, doc.headings["next"])
    for line in doc.next_steps or ["—"]:
        text(document, line)

    seal(document, doc.seal, doc.date)
    return to_bytes(document)
