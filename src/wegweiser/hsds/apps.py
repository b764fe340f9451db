from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HsdsConfig(AppConfig):
    name = "wegweiser.hsds"
    label = "hsds"
    verbose_name = _("Open data (HSDS)")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
