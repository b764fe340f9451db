"""Local development and the `make run` demo: SQLite under var/, console e-mail."""

import os

from wegweiser.ops.logs import logging_config

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", default=True)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Readable lines with the request id; LOG_JSON=1 shows what production writes.
LOGGING = logging_config(
    json_lines=env_bool("LOG_JSON"),
    level=os.environ.get("LOG_LEVEL", "INFO"),
)
