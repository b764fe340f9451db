from django.core.management.base import BaseCommand

from wegweiser.privacy.services import consent_expire_due


class Command(BaseCommand):
    help = (
        "Record an 'expired' event for every given consent past its end date and run the "
        "withdrawal handlers. Idempotent; run nightly (cron or systemd timer)."
    )

    def handle(self, *args, **options):
        count = consent_expire_due()
        self.stdout.write(f"{count} consent(s) expired.")
