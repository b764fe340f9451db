from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "wegweiser.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from . import permissions_consent  # noqa: F401  (registers the rules)
