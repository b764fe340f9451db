from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wegweiser.cases"
    label = "cases"
    verbose_name = _("KIM case management")

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the rules
        from .services import consent_withdrawn_handler

        try:
            from wegweiser.privacy.consent import register_withdrawal_handler
        except ImportError:  # the consent API has not landed in this checkout yet
            return
        register_withdrawal_handler(consent_withdrawn_handler)
