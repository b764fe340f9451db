from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wegweiser.core.services import district_load, vocabulary_load


class Command(BaseCommand):
    help = "Load (or update) a district, its towns and the shared vocabulary from data files. Idempotent."

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
        self.stdout.write(f"Municipalities: {district}. Vocabulary: {vocabulary}.")
