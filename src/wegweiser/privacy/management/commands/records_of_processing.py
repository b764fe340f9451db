from django.core.management.base import BaseCommand
from django.utils import translation

from wegweiser.privacy.records import records_as_csv, records_as_markdown


class Command(BaseCommand):
    help = "Print the records of processing activities (Art. 30 GDPR) from the model declarations."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["md", "csv"], default="md")
        parser.add_argument("--language", default="de", help="language of the headings (de, en)")

    def handle(self, *args, format="md", language="de", **options):
        with translation.override(language):
            text = records_as_csv() if format == "csv" else records_as_markdown()
        self.stdout.write(text, ending="")
