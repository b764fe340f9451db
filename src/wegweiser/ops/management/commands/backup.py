import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wegweiser.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write an encrypted backup (database + media) into a directory, using a key file kept outside."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", default=os.environ.get("WEGWEISER_BACKUP_DIR", "var/backups")
        )
        parser.add_argument(
            "--key-file",
            default=os.environ.get("WEGWEISER_BACKUP_KEY_FILE", ""),
            help="file with the passphrase (chmod 600); default WEGWEISER_BACKUP_KEY_FILE",
        )

    def handle(self, *args, directory, key_file, **options):
        if not key_file:
            raise CommandError("Give --key-file or set WEGWEISER_BACKUP_KEY_FILE.")
        try:
            path = backup_create(directory=Path(directory), key_file=Path(key_file))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
