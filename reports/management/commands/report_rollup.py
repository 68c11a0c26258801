"""`python manage.py report_rollup --check | --rebuild`: the reports rollup (reports.rollup)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check the reports rollup against the tickets, or rebuild it from them."

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true", help="Exit 1 if the rollup differs.")
        group.add_argument("--rebuild", action="store_true", help="Recompute it from the tickets.")

    def handle(self, *args, check: bool, rebuild: bool, **options) -> None:
        from reports.rollup import rollup_differences, rollup_rebuild

        if rebuild:
            self.stdout.write(self.style.SUCCESS(f"Rollup rebuilt: {rollup_rebuild()} rows."))
            return
        differences = rollup_differences()
        for key, stored, computed in differences[:20]:
            self.stdout.write(f"{key[0]} district {key[1]}: stored {stored}, tickets {computed}")
        if differences:
            raise CommandError(f"The rollup differs from the tickets on {len(differences)} rows.")
        self.stdout.write(self.style.SUCCESS("The rollup agrees with the tickets."))
