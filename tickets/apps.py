from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Problems")

    def ready(self) -> None:
        from notifications.messages import register_label

        from .clocks import clock_label
        from .notices import status_label

        register_label("status", status_label)
        register_label("clock", clock_label)
