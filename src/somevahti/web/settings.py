"""Django settings for the somevahti web application.

Everything that differs between installations comes from the environment:
``DATABASE_URL`` (default: SQLite in WAL mode under the data directory), ``SOMEVAHTI_DATA_DIR``
(default ``./var``), ``SOMEVAHTI_SECRET_KEY`` (default: generated once and kept under the data
directory, never in the repository), ``SOMEVAHTI_DEBUG``, ``SOMEVAHTI_ALLOWED_HOSTS``,
``SOMEVAHTI_PACK`` (the organisation's policy pack), ``SOMEVAHTI_EMAIL_BACKEND``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SOMEVAHTI_DATA_DIR", "var")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("SOMEVAHTI_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SOMEVAHTI_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("SOMEVAHTI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API docs page from ninja's own static swagger-ui files, not a CDN
    "somevahti.web.core",
    "somevahti.web.registry",
    "somevahti.web.requests",
    "somevahti.web.audits",
    "somevahti.web.inbox",
    "somevahti.web.archive",
    "somevahti.web.policy",
    "somevahti.web.wizard",
    "somevahti.web.publishing",
    "somevahti.web.onboarding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "somevahti.web.core.middleware.LimitApiCheckBody",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "somevahti.web.core.middleware.CoreMessagesInReaderLanguage",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "somevahti.web.core.middleware.SessionIdleTimeout",
    "somevahti.web.core.middleware.SecurityHeaders",
    "somevahti.web.core.middleware.UserLanguage",
    "somevahti.web.core.middleware.RequireLoginAndTwoFactor",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "somevahti.web.core.auth.Backend",
]

ROOT_URLCONF = "somevahti.web.urls"
WSGI_APPLICATION = "somevahti.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "somevahti.web.core.context.roles",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        try:
            db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except Exception as e:  # noqa: BLE001 - any parse failure is the operator's configuration
            raise ImproperlyConfigured(
                f"DATABASE_URL: not a database URL such as postgresql://user@host/db "
                f"or sqlite:////path/file.sqlite3 ({type(e).__name__})"
            ) from None
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "somevahti.sqlite3")}
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("OPTIONS", {}).update(
            {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            }
        )
        # Each server process keeps its connection: opening one and running the PRAGMAs cost ~3 ms a request.
        db["CONN_MAX_AGE"] = None
    return db


DATABASES = {"default": _database()}
DATABASE_ROUTERS = ["somevahti.web.core.scratch.ScratchRouter"]  # an import's dry run on a private copy
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True

STATIC_URL = "/static/"
# WhiteNoise serves the packages' static files where they are installed: nothing to collect.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and os.environ.get("SOMEVAHTI_HTTPS") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SOMEVAHTI_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the organisation's other hosts are not ours to pin
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (docs/operations.md).
    if os.environ.get("SOMEVAHTI_BEHIND_PROXY") == "1":
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Idle sessions end (middleware.SessionIdleTimeout); the cookie itself lasts at most a working day.
SESSION_IDLE_SECONDS = int(os.environ.get("SOMEVAHTI_SESSION_IDLE_MINUTES", 8 * 60)) * 60
SESSION_IDLE_SECONDS_ADMIN = int(os.environ.get("SOMEVAHTI_ADMIN_SESSION_IDLE_MINUTES", 60)) * 60
SESSION_COOKIE_AGE = max(SESSION_IDLE_SECONDS, 12 * 3600)
# POST /api/check refuses bodies over this with 413 (middleware.LimitApiCheckBody).
API_CHECK_MAX_BYTES = int(os.environ.get("SOMEVAHTI_API_CHECK_MAX_BYTES", 256 * 1024))
# Expensive API calls per signed-in user (ninja throttling; api.py).
API_CHECK_RATE = os.environ.get("SOMEVAHTI_API_CHECK_RATE", "60/m")

# Uploads: a CSV import larger than this is refused with a message on the form.
IMPORT_MAX_BYTES = int(os.environ.get("SOMEVAHTI_IMPORT_MAX_BYTES", 2 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"

OTP_TOTP_ISSUER = "Somevahti"

TASKS = {"default": {"BACKEND": os.environ.get("SOMEVAHTI_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("SOMEVAHTI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SOMEVAHTI_FROM_EMAIL", "somevahti@localhost")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

SOMEVAHTI = {
    "PACK": os.environ.get("SOMEVAHTI_PACK", "kirkkonummi"),
    # The organisation's e-mail domains; empty: those of the pack.
    "EMAIL_DOMAINS": [
        d.strip().lower() for d in os.environ.get("SOMEVAHTI_EMAIL_DOMAINS", "").split(",") if d.strip()
    ],
    # Audit thresholds (password age, settings review, dormant accounts) are the pack's `audits:`.
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING"},
        # every 500 with its traceback, also when DEBUG is off (Django's default only mails ADMINS)
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
