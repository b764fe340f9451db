"""Mail providers whose offers were not verified for N months; archive offers past their end date."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wegweiser.editorial import services


class Command(BaseCommand):
    help = "Send 'still correct?' reminders for stale offers and archive expired offers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Months without verification (default: WEGWEISER_STALE_MONTHS).",
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WEGWEISER_BASE_URL", "") or "http://localhost:8000",
            help="Absolute address of the site for the links in the mails.",
        )

    def handle(self, *args, months=None, base_url="", **options):
        months = months if months is not None else settings.WEGWEISER_STALE_MONTHS
        if months < 1:
            raise CommandError("--months must be at least 1.")
        archived = services.offers_archive_expired()
        sent = services.stale_offers_remind(months=months, base_url=base_url.rstrip("/"))
        self.stdout.write(f"archived={len(archived)} reminders={sent}")
