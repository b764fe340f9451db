from django.core.management.base import BaseCommand

from wegweiser.search.registry import PROVIDERS
from wegweiser.search.services import index_rebuild, synonyms_load_defaults


class Command(BaseCommand):
    help = "Rebuild the search index from the data (offers, info pages). Safe to run at any time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", action="append", choices=sorted(PROVIDERS), help="only this kind"
        )

    def handle(self, *args, kind=None, **options):
        synonyms_load_defaults()

        def progress(current_kind: str, count: int) -> None:
            if count % 100 == 0:
                self.stdout.write(f"  {current_kind}: {count} documents", ending="\r")
                self.stdout.flush()

        count = index_rebuild(kinds=kind, progress=progress if options["verbosity"] else None)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} documents."))
