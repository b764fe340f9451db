from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wegweiser.pages.services import integreat_import


class Command(BaseCommand):
    help = (
        "Import Integreat page exports (JSON, one file per language) as info pages. Idempotent; "
        "all or nothing unless --skip-rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Integreat pages JSON file")
        parser.add_argument(
            "--skip-rejected",
            action="store_true",
            help="import the valid records even when others are rejected",
        )

    def handle(self, *args, files, skip_rejected, **options):
        try:
            report = integreat_import(paths=files, skip_rejected=skip_rejected)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Integreat import: {report}.")
        for rejection in report.rejected:
            self.stdout.write(f"  rejected: {rejection}")
        if not report.committed:
            raise CommandError(
                "Nothing was imported because records were rejected. Fix them or pass "
                "--skip-rejected to import the rest."
            )
