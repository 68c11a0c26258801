"""Write the demo documents to var/documents/: last published week's bulletin (the city's and
the first district's) as DOCX and PDF, and the next joint meeting's agenda and the last one's
minutes as DOCX. Prints each file with its size, and the page count of each PDF."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from meetings import documents as meeting_documents
from meetings.models import Meeting
from meetings.selectors import agenda
from reports.document import bulletin_document
from reports.docx import bulletin_docx
from reports.models import Bulletin
from reports.pdf import html_to_pdf


class Command(BaseCommand):
    help = "Write the demo bulletin (DOCX, PDF) and joint meeting papers (DOCX) to var/documents/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "documents"))

    def handle(self, *args, output: str, **options) -> None:
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        latest = Bulletin.objects.filter(published_at__isnull=False).order_by("-week_start").first()
        if latest is None:
            raise CommandError("No published bulletin: run seed_demo or publish_bulletin first.")
        with translation.override("zh-hans"):
            for bulletin in Bulletin.objects.filter(
                week_start=latest.week_start, published_at__isnull=False
            ).order_by("district__sort_order", "district__code")[:2]:
                name = f"bulletin-{bulletin.week_label}-{bulletin.district.code if bulletin.district else 'city'}"
                doc = bulletin_document(bulletin)
                self._write(folder / f"{name}.docx", bulletin_docx(doc))
                self._write(
                    folder / f"{name}.pdf", html_to_pdf("reports/bulletin_pdf.html", {"doc": doc})
                )
            upcoming = Meeting.objects.filter(closed_at__isnull=True).order_by("held_on").first()
            held = Meeting.objects.filter(closed_at__isnull=False).order_by("-held_on").first()
            if upcoming:
                self._write(
                    folder / f"agenda-{upcoming.held_on:%Y%m%d}.docx",
                    meeting_documents.agenda_docx(agenda(upcoming)),
                )
            if held:
                self._write(
                    folder / f"minutes-{held.held_on:%Y%m%d}.docx",
                    meeting_documents.minutes_docx(agenda(held)),
                )

    def _write(self, path: Path, content: bytes) -> None:
        path.write_bytes(content)
        pages = ""
        if path.suffix == ".pdf":
            try:
                from pypdf import PdfReader

                pages = f", {len(PdfReader(BytesIO(content)).pages)} pages"
            except ImportError:
                pages = ""
        self.stdout.write(f"{path} ({len(content):,} bytes{pages})")
