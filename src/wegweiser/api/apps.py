from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Open JSON APIs over the public data: search now, HSDS 3.0 with the open-data issue."""

    name = "wegweiser.api"
    label = "api"
    verbose_name = _("API")
