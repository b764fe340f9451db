from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "wegweiser.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from wegweiser.ops.backup import RESTORE_HOOKS

        # The rules of both parts, and the system check validating every model's `Privacy`
        # declaration.
        from . import permissions_consent, permissions_subject_rights, registry  # noqa: F401
        from .retention import journal_restore_hook

        if journal_restore_hook not in RESTORE_HOOKS:
            RESTORE_HOOKS.append(journal_restore_hook)
