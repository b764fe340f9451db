from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "wegweiser.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from wegweiser.ops.health import register_check

        from . import tokens
        from .models import SynonymGroup
        from .selectors import search_index_check

        register_check("search_index", search_index_check)

        post_save.connect(
            tokens.synonyms_changed, sender=SynonymGroup, dispatch_uid="synonyms-save"
        )
        post_delete.connect(
            tokens.synonyms_changed, sender=SynonymGroup, dispatch_uid="synonyms-del"
        )
