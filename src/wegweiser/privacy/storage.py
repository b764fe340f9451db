"""Storage for files with personal data: outside MEDIA_ROOT, never served by URL."""

import uuid

from django.conf import settings

from wegweiser.core.storage import CleanFileSystemStorage


class PrivateStorage(CleanFileSystemStorage):
    """A file system storage without a base URL: files leave it only through permissioned views."""

    def __init__(self) -> None:
        super().__init__(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

    def url(self, name):
        raise NotImplementedError("Private files have no URL; serve them through a view.")


def private_storage() -> PrivateStorage:
    # A callable, so that migrations do not freeze the path of one machine.
    return PrivateStorage()


def consent_evidence_path(instance, filename: str) -> str:
    """A random name: neither the uploaded file name nor the person shows in the path."""
    suffix = getattr(instance, "_evidence_suffix", "") or ".bin"
    return f"consent-evidence/{uuid.uuid4().hex}{suffix}"
