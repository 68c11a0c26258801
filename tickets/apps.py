from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Problems")

    def ready(self) -> None:
        from workdays.services import register_deadlines

        from .calendar_moves import ticket_deadline_moves

        register_deadlines(ticket_deadline_moves)
