from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wegweiser.accounts.models import Organisation
from wegweiser.cases.importer import intakes_import


class Command(BaseCommand):
    help = (
        "Import intakes from a registration office's CSV file. All or nothing; rows already "
        "imported (same office reference) are skipped, so running it twice is harmless."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--office", required=True, help="UUID of the registration office")

    def handle(self, *args, file: Path, office: str, **options):
        organisation = Organisation.objects.filter(uuid=office).first()
        if organisation is None:
            raise CommandError(f"No organisation with UUID {office}.")
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        result = intakes_import(actor=None, office=organisation, raw=raw)
        if not result.ok:
            for line, reason in result.errors:
                self.stderr.write(f"line {line}: {reason}")
            raise CommandError(f"{len(result.errors)} problems; nothing was imported.")
        self.stdout.write(
            f"{result.created} intakes imported, {result.skipped} already known "
            f"(encoding {result.encoding})."
        )
