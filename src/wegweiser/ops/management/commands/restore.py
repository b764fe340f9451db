import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wegweiser.ops.backup import BackupError, backup_read_manifest, backup_restore


class Command(BaseCommand):
    help = "Restore an encrypted backup: replaces the database and the media files, then replays deletions."

    def add_arguments(self, parser):
        parser.add_argument("backup")
        parser.add_argument("--key-file", default=os.environ.get("WEGWEISER_BACKUP_KEY_FILE", ""))
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before replacing the data"
        )

    def handle(self, *args, backup, key_file, yes, **options):
        if not key_file:
            raise CommandError("Give --key-file or set WEGWEISER_BACKUP_KEY_FILE.")
        try:
            manifest = backup_read_manifest(backup=Path(backup), key_file=Path(key_file))
            if not yes:
                try:
                    answer = input(
                        f"Replace ALL data with the backup of {manifest['created_at']}? "
                        "Type 'yes': "
                    )
                except EOFError:  # no terminal (a script, a timer): never restore unasked
                    answer = ""
                if answer.strip() != "yes":
                    raise CommandError(
                        "Aborted; nothing changed (pass --yes to restore without asking)."
                    )
            manifest = backup_restore(backup=Path(backup), key_file=Path(key_file))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']}. "
                "Run `manage.py migrate` if the code is newer than the backup."
            )
        )
