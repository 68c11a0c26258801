"""PDF of the documents, with WeasyPrint: the same HTML and stylesheet as the printable page,
set in a Chinese font that Debian packages (fonts-noto-cjk; the stylesheet names the usual
Windows fonts first, then Noto CJK, which fontconfig finds)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STYLESHEET = "css/document.css"


def html_to_pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML  # loads pango: only when a PDF is asked for

    html = render_to_string(template, context)
    stylesheet = CSS(filename=finders.find(STYLESHEET))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
