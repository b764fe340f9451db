from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "wegweiser.pages"
    label = "pages"
    verbose_name = _("Guide")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
        from .search import register

        register()
