from django.core.management.base import BaseCommand, CommandError

from wegweiser.privacy.models import AuditEvent
from wegweiser.privacy.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exit non-zero and name the first broken row."

    def handle(self, *args, **options):
        broken = audit_chain_verify()
        if broken:
            raise CommandError(f"Audit chain broken at event {broken.event_id}: {broken.reason}")
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact ({AuditEvent.objects.count()} events).")
        )
