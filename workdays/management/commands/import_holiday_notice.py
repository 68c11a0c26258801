"""`python manage.py import_holiday_notice FILE [--apply] [--format json]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workdays.notice import NoticeError, notice_text, parse_notice
from workdays.services import Preview, notice_apply, notice_preview


class Command(BaseCommand):
    help = (
        "Read the State Council's holiday notice (a text file, or - for standard input) and "
        "show the days off, the make-up working days and the deadlines it would move. "
        "Nothing is written unless --apply."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the notice as a .txt file (UTF-8 or GBK), or -")
        parser.add_argument("--apply", action="store_true", help="Write it into the calendar.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file: str, apply: bool, format: str, **options) -> None:
        if file == "-":
            data = sys.stdin.buffer.read()
        elif Path(file).is_file():
            data = Path(file).read_bytes()
        else:
            raise CommandError(f"No such file: {file}")
        try:
            notice = parse_notice(notice_text(data))
        except NoticeError as error:
            raise CommandError(f"{error} Nothing was applied.") from None
        preview = notice_apply(notice, actor=None) if apply else notice_preview(notice)
        if format == "json":
            self.stdout.write(json.dumps(as_json(preview), ensure_ascii=False, indent=2))
        else:
            self._text(preview, applied=apply)

    def _text(self, preview: Preview, *, applied: bool) -> None:
        notice = preview.notice
        self.stdout.write(
            f"{notice.year}: {len(notice.holidays)} days off, {len(notice.workdays)} make-up working days"
        )
        for festival in notice.festivals:
            off = f"{festival.off[0]:%m-%d}" + (
                f" to {festival.off[-1]:%m-%d}" if len(festival.off) > 1 else ""
            )
            worked = ", ".join(f"{d:%m-%d}" for d in festival.worked)
            self.stdout.write(
                f"  {festival.name}: off {off}" + (f"; working {worked}" if worked else "")
            )
        self.stdout.write(
            f"{len(preview.days)} days change, {preview.unchanged} already as the notice says"
        )
        for move in preview.moves:
            self.stdout.write(
                f"  {move.label} {move.field}: {timezone.localtime(move.before):%Y-%m-%d} -> "
                f"{timezone.localtime(move.after):%Y-%m-%d}"
            )
        if applied:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Applied: {len(preview.days)} days, {len(preview.moves)} deadlines moved."
                )
            )
        else:
            self.stdout.write("Preview only: nothing was written (add --apply).")


def as_json(preview: Preview) -> dict:
    return {
        "year": preview.notice.year,
        "holidays": [d.isoformat() for d in preview.notice.holidays],
        "workdays": [d.isoformat() for d in preview.notice.workdays],
        "moved": [
            {
                move.model._meta.model_name: move.label,
                "deadline": move.field,
                "from": timezone.localtime(move.before).date().isoformat(),
                "to": timezone.localtime(move.after).date().isoformat(),
            }
            for move in preview.moves
        ],
    }
