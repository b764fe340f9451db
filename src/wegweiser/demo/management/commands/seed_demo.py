from django.conf import settings
from django.core.management.base import BaseCommand

from wegweiser.demo.services import demo_seed


class Command(BaseCommand):
    help = "Create deterministic synthetic demo data (idempotent) and write var/demo-accounts.json."

    def handle(self, *args, **options):
        report = demo_seed()
        self.stdout.write(
            f"Demo data ready: {report.organisations_created} organisations and "
            f"{report.users_created} accounts, {report.offers_created} offers, {report.pages_created} info pages, {report.cases_created} demo cases, {report.revisions_created} proposed changes created, {report.vectors_loaded} search vectors loaded. Accounts: {settings.WEGWEISER_DEMO_ACCOUNTS_FILE}"
        )
        for account in report.accounts:
            self.stdout.write(
                f"  {account['role']:<20} {account['email']:<40} {account['password']}"
            )
