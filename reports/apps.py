from django.apps import AppConfig
from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        """Keep the figures' rollup current with every ticket saved (see reports.rollup); name
        the week a bulletin's notification keeps ("2026-W47" -> 2026年第47周)."""
        from enterprises.models import Enterprise
        from notifications.messages import register_label
        from tickets.models import Ticket, TicketEvent
        from workdays.weeks import week_title

        from . import rollup

        register_label("week", lambda code: week_title(str(code)))

        uid = "reports.rollup"
        pre_save.connect(rollup.ticket_pre_save, sender=Ticket, dispatch_uid=f"{uid}.pre")
        post_save.connect(rollup.ticket_post_save, sender=Ticket, dispatch_uid=f"{uid}.post")
        pre_delete.connect(rollup.ticket_pre_delete, sender=Ticket, dispatch_uid=f"{uid}.del")
        post_save.connect(rollup.event_post_save, sender=TicketEvent, dispatch_uid=f"{uid}.event")
        pre_save.connect(
            rollup.enterprise_pre_save, sender=Enterprise, dispatch_uid=f"{uid}.enterprise.pre"
        )
        post_save.connect(
            rollup.enterprise_post_save, sender=Enterprise, dispatch_uid=f"{uid}.enterprise.post"
        )
