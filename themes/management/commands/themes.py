"""`python manage.py themes [--days 90] [--format json]`: the candidate themes, printed."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from themes.services import candidates_find


class Command(BaseCommand):
    help = (
        "Print the candidate themes among the last days' problems (one cause, several enterprises)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=90, choices=range(1, 731), metavar="DAYS")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, days: int, format: str, **options) -> None:
        found = candidates_find(days=days)
        if format == "json":
            self.stdout.write(
                json.dumps([f.as_json() for f in found], ensure_ascii=False, indent=2)
            )
            return
        for f in found:
            self.stdout.write(f"{f.score:.2f}  {len(f.tickets):3d}  {f.title}")
            self.stdout.write("      " + " ".join(t.number for t in f.tickets))
        self.stdout.write(f"{len(found)} candidates.")
