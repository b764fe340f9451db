from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "wegweiser.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from . import health
        from .logs import request_context_clear

        health.register_default_checks()
        request_finished.connect(request_context_clear, dispatch_uid="ops.request_context_clear")
