from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Problems")

    def ready(self) -> None:
        """Tell the apps below what they must know of tickets without importing them."""
        from django.db.models import Count, Q

        from enterprises.selectors import register_covered_count
        from integrations.models import register_channels
        from notifications.messages import register_label
        from workdays.services import register_deadlines

        from .calendar_moves import ticket_deadline_moves
        from .clocks import clock_label
        from .models import OPEN_STATUSES, Channel
        from .notices import status_label

        register_label("status", status_label)
        register_label("clock", clock_label)
        register_covered_count(
            "open_tickets",
            Count(
                "tickets",
                filter=Q(tickets__status__in=OPEN_STATUSES, tickets__merged_into__isnull=True),
            ),
        )
        register_deadlines(ticket_deadline_moves)
        # An integration never files an answer to the office's own notice (themes' outreach).
        register_channels(
            [c for c in Channel.choices if c[0] != Channel.PROACTIVE], default=Channel.API
        )
