"""`python manage.py seed_bench --tickets N`: the benchmark city (see demo/benchcity/)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.benchcity import seed as seed_city


class Command(BaseCommand):
    help = (
        "Empty the tickets and master data of this (benchmark) database and fill it with N "
        "tickets and their events over two years, with PostgreSQL COPY."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tickets", type=int, required=True, help="How many tickets.")
        parser.add_argument(
            "--enterprises",
            type=int,
            default=None,
            help="How many enterprises (default: one for 40 tickets, at most 25,000).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask before emptying a database whose name does not contain 'bench'.",
        )

    def handle(
        self, *args, tickets: int, enterprises: int | None, seed: int, yes: bool, **options
    ) -> None:
        if not settings.SEED_DEMO_ALLOWED:
            raise CommandError("seed_bench empties the database: production settings refuse it.")
        if tickets < 1:
            raise CommandError("--tickets must be at least 1.")
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not yes:
            raise CommandError(
                f"This empties every ticket and all master data of the database “{name}”. "
                "Use a benchmark database (its name contains 'bench') or pass --yes."
            )
        if enterprises is not None and enterprises < 1:
            raise CommandError("--enterprises must be at least 1.")
        result = seed_city(
            tickets=tickets, enterprises=enterprises, seed=seed, log=self.stdout.write
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.tickets:,} tickets, {result.events:,} events, "
                f"{result.enterprises:,} enterprises in {result.seconds:.0f} s."
            )
        )
