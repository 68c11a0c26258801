"""`python manage.py import_enterprises FILE [--dry-run] [--valid-only]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.imports import enterprise_import_plan
from exchange.services import enterprise_import


class Command(BaseCommand):
    help = (
        "Import enterprises and their coverage from an .xlsx or .csv file (the office's "
        "template). Nothing is imported when a row has an error, unless --valid-only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row; write nothing."
        )
        parser.add_argument(
            "--valid-only", action="store_true", help="Import the valid rows, skip the others."
        )

    def handle(self, *args, file: Path, dry_run: bool, valid_only: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        plan = enterprise_import_plan(content=file.read_bytes(), filename=file.name)
        for error in plan.errors:
            where = f"row {error.row}" + (f", column {error.column}" if error.column else "")
            self.stderr.write(f"{where}: {error.message}")
        self.stdout.write(
            f"{plan.total} rows: {plan.to_create} new, {plan.to_update} to update, "
            f"{plan.invalid_rows} with errors."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            if plan.errors:
                raise CommandError("Some rows have errors.")
            return
        if plan.errors and not valid_only:
            raise CommandError("Some rows have errors; nothing was imported (see --valid-only).")
        result = enterprise_import(actor=None, plan=plan, valid_only=valid_only)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.created} created, {result.updated} updated, "
                f"{result.skipped} skipped."
            )
        )
