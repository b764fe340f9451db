"""`manage.py export_offers --format json|tabular|xlsx|ical|geojson OUTFILE`."""

from pathlib import Path

from django.core.management.base import BaseCommand

from wegweiser.hsds import exports

BUILDERS = {
    "json": exports.export_hsds_json,
    "tabular": exports.export_tabular_zip,
    "xlsx": exports.export_xlsx,
    "ical": exports.export_ical,
    "geojson": exports.export_geojson,
}


class Command(BaseCommand):
    help = "Export the published offers (HSDS JSON, HSDS tabular zip, XLSX, iCal, GeoJSON)."

    def add_arguments(self, parser):
        parser.add_argument("outfile")
        parser.add_argument("--format", required=True, choices=sorted(BUILDERS))

    def handle(self, *args, **options):
        content = BUILDERS[options["format"]]()
        Path(options["outfile"]).write_bytes(content)
        self.stdout.write(f"{options['outfile']}: {len(content)} bytes")
