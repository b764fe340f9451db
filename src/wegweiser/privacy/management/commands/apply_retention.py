from django.core.management.base import BaseCommand, CommandError

from wegweiser.privacy.retention import retention_apply, retention_plan, retention_summary_text


class Command(BaseCommand):
    help = (
        "Delete or anonymise personal data whose retention period has run out (nightly). "
        "Honours legal holds and writes the deletion journal."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print counts per model and change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        results = retention_plan() if dry_run else retention_apply()
        for line in retention_summary_text(results, dry_run=dry_run):
            self.stdout.write(line)
        total = sum(r.count for r in results)
        failed = sum(r.failed for r in results)
        if failed:
            # A non-zero exit shows up in `systemctl --failed`.
            raise CommandError(f"{failed} rows could not be processed; see the log")
        self.stdout.write(
            self.style.SUCCESS(f"{'would process' if dry_run else 'processed'} {total}")
        )
