from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "wegweiser.offers"
    label = "offers"
    verbose_name = _("Offers")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
        from .facets import connect_signals
        from .search import register
        from .services import connect_signals as connect_service_signals

        register()
        connect_signals()
        connect_service_signals()
