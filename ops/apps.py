from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the service: backups and restores, and report reads on a replica. Knows no
    domain model (floor 1): the apps above mark their report views with ops.replica."""

    name = "ops"
    verbose_name = _("Operations")
