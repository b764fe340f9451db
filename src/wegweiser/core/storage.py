"""File storage that leaves no half-written file behind when a write fails (e.g. a full disk)."""

import contextlib
import os

from django.core.files.storage import FileSystemStorage


class CleanFileSystemStorage(FileSystemStorage):
    """`FileSystemStorage` that removes the partial file when writing it fails.

    Django's storage writes chunk by chunk into the final path; an `OSError` half way (ENOSPC,
    EDQUOT, EIO) would leave a truncated file that no database row refers to. The error itself
    is re-raised, so the surrounding transaction rolls back and no record points to a missing file.
    """

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError:
            # `name` is the free name chosen by `get_available_name`, so the file is ours.
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path(name))
            raise
