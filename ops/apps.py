from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the service: backups and restores, and report reads on a replica. Knows no
    domain model (floor 1): the apps above mark their report views with ops.replica."""

    name = "ops"
