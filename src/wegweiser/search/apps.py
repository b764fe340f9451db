from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "wegweiser.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import tokens
        from .models import SynonymGroup

        def synonyms_changed(**_kwargs) -> None:
            tokens.token_bump(tokens.SYNONYMS)

        post_save.connect(synonyms_changed, sender=SynonymGroup, dispatch_uid="synonyms-save")
        post_delete.connect(synonyms_changed, sender=SynonymGroup, dispatch_uid="synonyms-del")
