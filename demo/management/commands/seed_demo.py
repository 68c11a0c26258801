"""Demo data for `make run`: master data, accounts and about 200 tickets over eight weeks.

Every account's password is `qinqing-demo`. Running the command twice changes nothing: master
data is found by its code, accounts by their user name, and dispatches and tickets are only made
when there are none yet.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.dispatches import seed_dispatches
from demo.leader import seed_leader_waiting
from demo.master_data import demo_city, hotline
from demo.meetings import seed_meetings
from demo.notices import leave_a_handful_unread
from demo.tickets import seed_tickets
from dispatches.models import Dispatch
from reports.periods import last_week
from reports.services import bulletin_publish
from tickets.models import Ticket


class Command(BaseCommand):
    help = "Create the demo city: master data, accounts (password qinqing-demo) and tickets."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-tickets", action="store_true", help="Create no tickets.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, no_tickets: bool = False, seed: int = 2026, **options) -> None:
        if not settings.SEED_DEMO_ALLOWED:
            raise CommandError(
                "seed_demo makes accounts with a published password; production settings "
                "refuse it (SEED_DEMO_ALLOWED is False)."
            )
        rng = random.Random(seed)
        with transaction.atomic():
            world = demo_city()
            hotline()
        self.stdout.write(self.style.SUCCESS("Master data and demo accounts are in place."))
        if not Dispatch.objects.exists():
            count = seed_dispatches(rng)
            self.stdout.write(self.style.SUCCESS(f"{count} demo dispatches recorded."))
        if no_tickets:
            return
        if Ticket.objects.exists():
            self.stdout.write("Tickets exist already; none added.")
            return
        count = seed_tickets(world, rng=rng, count=200, now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"{count} demo tickets created."))
        published = bulletin_publish(week=last_week())
        self.stdout.write(self.style.SUCCESS(f"{len(published)} bulletins of last week published."))
        if seed_meetings() is not None:
            self.stdout.write(self.style.SUCCESS("Joint meetings: last month's and the next one."))
        if seed_leader_waiting():
            self.stdout.write(
                self.style.SUCCESS("The leader has an extension and an escalation waiting.")
            )
        leave_a_handful_unread(rng)
        self.stdout.write(self.style.SUCCESS("Each account's older notices marked read."))
