"""Fast, hermetic settings for the test suite (SQLite by default, PostgreSQL via DATABASE_URL)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="wegweiser-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="wegweiser-private-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="wegweiser-static-"))
WHITENOISE_AUTOREFRESH = True
WEGWEISER_DEMO_SKIP_2FA = False
WEGWEISER_DEMO_ACCOUNTS_FILE = (
    Path(tempfile.mkdtemp(prefix="wegweiser-var-")) / "demo-accounts.json"
)
WEGWEISER_DELETION_JOURNAL = (
    Path(tempfile.mkdtemp(prefix="wegweiser-journal-")) / "deletion-journal.jsonl"
)
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Every test builds its downloads (the cache has its own test).
WEGWEISER_EXPORT_CACHE_SECONDS = 0
WEGWEISER_EXPORT_CACHE_DIR = Path(tempfile.mkdtemp(prefix="wegweiser-exports-"))
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Imports from the upload page and password-reset mails run in the request, not in a
# background thread.
WEGWEISER_IMPORT_IN_BACKGROUND = False
WEGWEISER_MAIL_IN_BACKGROUND = False
# New passages are embedded in the request that saved them, not in a background thread.
SEARCH_EMBED_IN_BACKGROUND = False

# Search snapshots are always rebuilt in the request that finds them outdated (tests of the
# background builds switch it on).
SEARCH_BACKGROUND_BUILD_SECONDS = None
