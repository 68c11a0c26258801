from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with the project's site (config/admin.py)."""

    default_site = "config.admin.AdminSite"

    def ready(self) -> None:
        super().ready()
        # Every select's empty choice, the admin's included, reads "请选择" rather than Django's
        # "- Select an option -" (which has no Chinese); Django 6.1 documents overriding it here.
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        fields.BLANK_CHOICE_LABEL = _("Choose…")
