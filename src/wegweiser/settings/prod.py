"""Production: PostgreSQL, HTTPS behind a reverse proxy. Refuses to start without its secrets."""

import os

from wegweiser.ops.logs import logging_config

from .base import *  # noqa: F403
from .base import env_bool, require_env

DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in require_env("ALLOWED_HOSTS").split(",") if host.strip()]
require_env("DATABASE_URL")
WEGWEISER_DEMO_SKIP_2FA = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# Health checks and Prometheus call gunicorn directly over loopback HTTP; nginx redirects
# outside clients to HTTPS anyway, and /metrics refuses anything but loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# One JSON object per line on stderr (journald under systemd), without personal data.
LOGGING = logging_config(json_lines=True, level=os.environ.get("LOG_LEVEL", "INFO"))
