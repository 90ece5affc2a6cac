"""The one settings file. Every value comes from an environment variable read through
``peaceworks.core.env``; with no variables set it runs a development site on SQLite.
Each variable is documented in ``docs/configuration.md`` (a test checks the list).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from peaceworks.core.env import (
    env_bool,
    env_choice,
    env_int,
    env_int_list,
    env_list,
    env_str,
    parse_database_url,
    parse_email_url,
    public_address_problem,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("PEACEWORKS_DATA_DIR", str(BASE_DIR / "var")))

DEVELOPMENT_SECRET_KEY = "development-only-key-never-use-in-production-peaceworks"  # noqa: S105

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )
# Keyed hash for respondents' matching codes; kept apart from SECRET_KEY so either can be
# rotated on its own (docs/security.md explains the rotation).
PSEUDONYM_KEY = env_str("PSEUDONYM_KEY", SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)
# The public address: survey links, QR codes, the ODK Collect server address and e-mailed
# links are built from it. With DEBUG off a missing or loopback address stops start-up.
SITE_URL = env_str("SITE_URL", "" if not DEBUG else "http://127.0.0.1:8000").strip().rstrip("/")
if not DEBUG and (site_url_problem := public_address_problem(SITE_URL)):
    raise ImproperlyConfigured(site_url_problem)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # the widget templates, found by the project's template engine (FORM_RENDERER below)
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "peaceworks.core",
    "peaceworks.accounts",
    "peaceworks.directory",
    "peaceworks.campaigns",
    "peaceworks.impact",
    "peaceworks.consultations",
    "peaceworks.meetings",
    "peaceworks.reports",
    "peaceworks.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "peaceworks.core.middleware.RequestContextMiddleware",
    "peaceworks.core.middleware.SecurityHeadersMiddleware",
    "peaceworks.core.middleware.RequestSizeLimitMiddleware",
    "peaceworks.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, the signed-in account's row read by a written statement (accounts.middleware)
    "peaceworks.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "peaceworks.web.context_processors.navigation",
                "peaceworks.web.context_processors.public_address",
                "peaceworks.web.context_processors.breadcrumbs",
                "peaceworks.web.context_processors.notifications",
            ],
        },
    },
]

# One form design for the whole product: every ``{{ form }}`` renders through web/form.html
# (error summary linking to each field, labels above fields, help text, the error at its field,
# per-language groups) and web/field.html.
FORM_RENDERER = "peaceworks.web.forms.FormRenderer"

DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'peaceworks.sqlite3'}"
DATABASES = {"default": parse_database_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins for one address from one client within the window before that client is
# locked out of the address; from all clients together before each client gets one try only.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50, minimum=1, maximum=10000)
# Requests one personal API token may make per minute before it is answered 429.
API_TOKEN_RATE_PER_MINUTE = env_int("API_TOKEN_RATE_PER_MINUTE", 600, minimum=1, maximum=1_000_000)
WEBHOOK_DELIVERY_LEASE_SECONDS = env_int(
    "WEBHOOK_DELIVERY_LEASE_SECONDS", 300, minimum=30, maximum=86_400
)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=1440)
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14, minimum=1, maximum=365)
# Meeting action items: reminder e-mails this many days before and after the due date.
MEETINGS_REMINDER_DAYS_BEFORE = env_int_list("MEETINGS_REMINDER_DAYS_BEFORE", [7, 1])
MEETINGS_REMINDER_DAYS_AFTER = env_int_list("MEETINGS_REMINDER_DAYS_AFTER", [1, 7])
MEETINGS_RSVP_REMINDER_DAYS_BEFORE = env_int_list("MEETINGS_RSVP_REMINDER_DAYS_BEFORE", [7, 2])
# Days purgeable data (expired invitations, withdrawn respondents...) is kept before
# ``peaceworks retention`` deletes it.
RETENTION_GRACE_DAYS = env_int("RETENTION_GRACE_DAYS", 30, minimum=0, maximum=3650)

LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "en", {"en", "fr", "es"})
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LANGUAGE_COOKIE_NAME = "peaceworks_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
# dates and times per language (config/formats): month names in short dates, a 24-hour clock
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
LOCALE_PATHS: list[Path] = []

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from the npm registry (package.json, installed by the Makefile);
# only the files the pages use are exposed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),  # the API docs page
]
# The packages' files the pages load (the stylesheet names its source map, which the manifest
# storage resolves); the finder leaves out the rest (source maps, other builds).
NPM_STATIC_FILES = frozenset(
    {
        "vendor/htmx/htmx.min.js",
        "vendor/swagger-ui/swagger-ui-bundle.js",
        "vendor/swagger-ui/swagger-ui.css",
        "vendor/swagger-ui/swagger-ui.css.map",
    }
)
STATICFILES_FINDERS = [
    "peaceworks.core.static_files.NpmFilesFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development whitenoise serves straight from the finders; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# The default cache holds counters that must be shared by every process and host that serves
# the site (API tokens' rate limits, withdrawal attempts): with several processes or hosts, point
# CACHE_URL at Redis. Without it, each process keeps its own (one process, or tests).
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// address (or unset).")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # rendered charts and maps (peaceworks.core.charts) and the PDFs of meeting reports and
    # consultation drafts (peaceworks.core.documents), by content: shared by the server's
    # processes and kept across restarts, so a figure or page that has not changed is drawn once
    "charts": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "charts",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
MEDIA_URL = "media/"
# Largest upload accepted (imports, documents); larger requests are refused with a message.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20, minimum=1, maximum=1024)
# Consultations' optional semantic theme backend: a local sentence-embedding model the operator
# installed (a path, or "backend:location"); empty: the concept lexicon (the default).
CONSULTATIONS_EMBEDDING_MODEL = env_str("CONSULTATIONS_EMBEDDING_MODEL", "").strip()
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

_email = parse_email_url(env_str("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Peaceworks <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASK_BACKEND = env_choice("TASK_BACKEND", "database", {"database", "immediate", "rq"})
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[TASK_BACKEND],
        "QUEUES": ["default"],
    }
}

# The RQ backend's Redis (TASK_BACKEND=rq); workers run `peaceworks rqworker default`.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}}

# Django's database sessions, the row read by a written statement (accounts.sessions)
SESSION_ENGINE = "peaceworks.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
}

SILENCED_SYSTEM_CHECKS: list[str] = []
