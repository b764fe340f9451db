from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "wegweiser.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import health

        health.register_default_checks()
