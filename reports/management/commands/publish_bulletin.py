"""`python manage.py publish_bulletin [--week 2026-W46]`: what Monday's beat job does, by hand
(a week the job missed, or the demo). A week already published is left as it is."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Publish the weekly bulletin of a week (default: last week) and announce it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--week", help="An ISO week such as 2026-W46 (default: last week).")

    def handle(self, *args, week: str | None, **options) -> None:
        from reports.periods import Period, last_week
        from reports.services import bulletin_publish

        if week:
            year, _sep, number = week.upper().partition("-W")
            try:
                period = Period.iso_week(int(year), int(number))
            except ValueError:
                raise CommandError(f"Not an ISO week such as 2026-W46: {week}") from None
        else:
            period = last_week()
        published = bulletin_publish(week=period)
        self.stdout.write(
            self.style.SUCCESS(f"{period.week_label}: {len(published)} bulletin(s) published.")
        )
