"""Settings shared by every environment. Everything site-specific comes from the environment."""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("WEGWEISER_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """Return SECRET_KEY from the environment or from a key generated once into var/.

    A generated key keeps sessions valid across restarts of a local installation without
    anybody having to invent a secret. Production settings refuse to start without one.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = local_secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Form widgets render with the project's templates (FORM_RENDERER below), Django's as fallback.
    "django.forms",
    "django_htmx",
    "leaflet",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "wegweiser.core",
    "wegweiser.privacy",
    "wegweiser.accounts",
    "wegweiser.search",
    "wegweiser.offers",
    "wegweiser.editorial",
    "wegweiser.pages",
    "wegweiser.hsds",
    "wegweiser.api",
    "wegweiser.demo",
    "wegweiser.ops",
    "wegweiser.cases",
]

MIDDLEWARE = [
    # First, so that the request id and the timing cover everything below.
    "wegweiser.ops.middleware.RequestIdMiddleware",
    "wegweiser.ops.middleware.MetricsMiddleware",
    "wegweiser.ops.middleware.DatabaseUnavailableMiddleware",
    "wegweiser.ops.middleware.StorageFullMiddleware",
    "wegweiser.ops.middleware.NullCharacterMiddleware",
    "wegweiser.search.middleware.TokensScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wegweiser.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and 304 Not Modified for every GET (public pages carry no per-request nonce).
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wegweiser.accounts.middleware.UserLanguageMiddleware",
    "wegweiser.accounts.middleware.TwoFactorRequiredMiddleware",
    "wegweiser.accounts.middleware.PrivatePagesNotCachedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wegweiser.urls"
WSGI_APPLICATION = "wegweiser.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wegweiser.core.context_processors.site",
            ],
        },
    },
]

# templates/django/forms/ overrides a few of Django's widget templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'wegweiser.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers continue while one writer commits; IMMEDIATE avoids "database is locked"
    # errors when two requests upgrade a read transaction to a write at the same time.
    # Connections are kept like PostgreSQL's (DATABASE_CONN_MAX_AGE, one per worker thread):
    # opening one per request cost 1.5 ms at 100,000 offers (the schema is parsed again and
    # the page cache starts empty), a tenth of a search request.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Login lockout: five failed attempts for one account from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

OTP_TOTP_ISSUER = os.environ.get("WEGWEISER_SITE_NAME", "Wegweiser")

# Two-factor login may be skipped only for the synthetic demo accounts of a local demo
# installation (`make run`). It is never honoured by production settings.
WEGWEISER_DEMO_SKIP_2FA = env_bool("WEGWEISER_DEMO_SKIP_2FA")

LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("fa", "فارسی"),
]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files with personal data (consent evidence, case documents): never served at MEDIA_URL, only
# through views that check permissions.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "wegweiser.core.storage.CleanFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wegweiser@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features per origin (`self`, or none): only the offer search's "near me" button uses
# one, the position (offers/static/offers/position.js).
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Map tiles: a tile server the district trusts (privacy: every tile request reveals the
# visitor's address to that server). Empty: the map shows markers on a plain background and the
# list beside it; nothing is loaded from elsewhere.
WEGWEISER_MAP_TILE_URL = os.environ.get("WEGWEISER_MAP_TILE_URL", "")
WEGWEISER_MAP_ATTRIBUTION = os.environ.get("WEGWEISER_MAP_ATTRIBUTION", "")


def _origin(url: str) -> list[str]:
    """The CSP source of a tile URL template: {s} subdomains become a wildcard."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")
    return [f"{parts.scheme}://{host}"] if host else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_origin(WEGWEISER_MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

WEGWEISER_SITE_NAME = os.environ.get("WEGWEISER_SITE_NAME", "Wegweiser")
WEGWEISER_DISTRICT_FILE = os.environ.get(
    "WEGWEISER_DISTRICT_FILE", str(SRC_DIR / "core" / "data" / "kreis-recklinghausen.json")
)
# Freshness: offers not verified for this many months get a reminder (manage.py remind_stale);
# the "still correct" link in the mail is valid for this many days.
# The public address, for links in mails sent by commands (no request to take it from).
WEGWEISER_BASE_URL = os.environ.get("WEGWEISER_BASE_URL", "http://127.0.0.1:8000")
WEGWEISER_STALE_MONTHS = int(os.environ.get("WEGWEISER_STALE_MONTHS", "6"))
WEGWEISER_STILL_CORRECT_MAX_AGE_DAYS = int(
    os.environ.get("WEGWEISER_STILL_CORRECT_MAX_AGE_DAYS", "30")
)
WEGWEISER_DEMO_ACCOUNTS_FILE = VAR_DIR / "demo-accounts.json"
# The public open-data downloads (/api/hsds/export/...) are built at most once per this many
# seconds while the offers stay unchanged, and shared by the workers as files in this folder
# (hsds.exports.export_cached); 0 builds every download.
WEGWEISER_EXPORT_CACHE_SECONDS = int(os.environ.get("WEGWEISER_EXPORT_CACHE_SECONDS", "300"))
WEGWEISER_EXPORT_CACHE_DIR = VAR_DIR / "exports"
# The language model's latent terms beside its vectors (search.embeddings; ADR 0009): better
# results for queries in other languages, for twice the time to embed a passage.
SEARCH_LATENT_TERMS = env_bool("WEGWEISER_SEARCH_LATENT_TERMS", True)
# Append-only journal of deletions (no personal data), outside the database and the media
# directory, so that a restore can replay it (docs/adr/0005-retention-and-subject-rights.md).
WEGWEISER_DELETION_JOURNAL = Path(
    os.environ.get("WEGWEISER_DELETION_JOURNAL", VAR_DIR / "deletion-journal.jsonl")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs the attempted user name of every failed login: keep that out of the logs.
        "axes": {"level": "WARNING"},
    },
}


def require_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value
