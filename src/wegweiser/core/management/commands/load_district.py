from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wegweiser.core.services import district_load, vocabulary_load
from wegweiser.search.services import synonyms_load_defaults


class Command(BaseCommand):
    help = (
        "Load (or update) a district, its towns and the shared vocabulary from data files, "
        "and the default synonym list of the search if there is none yet. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=settings.WEGWEISER_DISTRICT_FILE,
            help="district JSON file (default: WEGWEISER_DISTRICT_FILE)",
        )

    def handle(self, *args, file, **options):
        try:
            district = district_load(path=file)
            vocabulary = vocabulary_load()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        synonyms = synonyms_load_defaults()
        self.stdout.write(
            f"Municipalities: {district}. Vocabulary: {vocabulary}. Synonym groups added: {synonyms}."
        )
