from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "wegweiser.editorial"
    label = "editorial"
    verbose_name = _("Editorial back office")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
