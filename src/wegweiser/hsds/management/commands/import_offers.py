"""`manage.py import_offers --format hsds|csv|xlsx|ohana FILE [--dry-run]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from wegweiser.hsds.constants import IMPORT_FORMATS
from wegweiser.hsds.services import import_offers


class Command(BaseCommand):
    help = "Import offers from HSDS 3.0 JSON, a CSV/XLSX spreadsheet or an Ohana CSV export."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file (an Ohana export: its folder or a zip file).")
        parser.add_argument("--format", required=True, choices=IMPORT_FORMATS)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, save nothing."
        )
        parser.add_argument(
            "--source", default="", help="Name of the source system (idempotency key)."
        )
        parser.add_argument("--unpublished", action="store_true", help="Import as drafts.")
        parser.add_argument(
            "--skip-rejected",
            action="store_true",
            help="Import the valid rows even when others are rejected (default: all or nothing).",
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        report = import_offers(
            actor=None,
            fmt=options["format"],
            path=options["file"],
            dry_run=options["dry_run"],
            source_system=options["source"],
            publish=not options["unpublished"],
            skip_rejected=options["skip_rejected"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.as_text())
        if report.failed:
            raise CommandError(report.failed)
