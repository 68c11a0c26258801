"""`python manage.py restore ARCHIVE`: a backup (ops.backup) into an empty database and MEDIA_ROOT.
A database that is not empty is refused and left as it is."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty MEDIA_ROOT."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="A qinqing-….tar made by `backup`.")

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            restored = backup_restore(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {restored.tables} tables into {restored.database} and "
            f"{restored.files} files into MEDIA_ROOT. If this code is newer than the backup, "
            "run `manage.py migrate` next."
        )
