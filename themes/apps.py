from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")

    def ready(self) -> None:
        from tickets.panels import register_panel
        from workdays.services import register_deadlines

        from .calendar_moves import theme_deadline_moves
        from .panels import similar_panel, theme_panel

        register_panel(theme_panel)
        register_panel(similar_panel)
        register_deadlines(theme_deadline_moves)
