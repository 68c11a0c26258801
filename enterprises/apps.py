from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Master data")

    def ready(self) -> None:
        post_migrate.connect(_office_group, dispatch_uid="enterprises.office_group")


def _office_group(sender, using: str = "default", **kwargs) -> None:
    """After `migrate` (and a test database's flush), the office group holds exactly the
    permissions enterprises.accounts defines. post_migrate comes once per app, after that app's
    permissions are made; the last app's is the one after which they all exist."""
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        from .accounts import office_group_sync

        office_group_sync(using=using)
