from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wegweiser.cases"
    label = "cases"
    verbose_name = _("KIM case management")

    def ready(self) -> None:
        from wegweiser.privacy.consent import register_subjects_held, register_withdrawal_handler

        from . import permissions  # noqa: F401 - registers the rules
        from .selectors import person_ids_for_user
        from .services import consent_withdrawn_handler

        register_withdrawal_handler(consent_withdrawn_handler)
        # A recipient organisation's user reads the consents of the people whose case they
        # may open (privacy.selectors.consent_list_for_user).
        register_subjects_held(person_ids_for_user)
