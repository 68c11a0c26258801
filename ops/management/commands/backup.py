"""`python manage.py backup [--output DIR] [--keep N]`: one dated archive of the database and the
uploaded files (ops.backup); its path is the last line printed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the uploaded files into one dated archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help=f"Folder for the archive (default: BACKUP_DIR, {settings.BACKUP_DIR}).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="Keep this many archives in the folder, deleting the oldest "
            f"(default: BACKUP_KEEP, {settings.BACKUP_KEEP}).",
        )

    def handle(self, *args, output: Path | None, keep: int, **options) -> None:
        try:
            archive = backup_create(output=output or Path(settings.BACKUP_DIR), keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(archive))
