"""The one settings module of the portal.

Everything that differs between machines comes from environment variables. With none set the
portal runs in its *embedded* mode: SQLite in ``var/``, email to the console and Celery tasks run
in-process (eager), so that ``make run`` needs no server. Production mode is ``DEBUG=0`` plus
``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``; its defaults are the secure ones.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from bumdes_export.config import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=True)
# Production mode is simply "not DEBUG": every default below is chosen for it.
PRODUCTION = not DEBUG

_DEV_SECRET = "embedded-mode-only-secret-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0 (production mode).")
if PRODUCTION and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must not be the embedded-mode default in production.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG=0 (production mode).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    # Shared apps of the project package.
    "bumdes_export.core",
    "bumdes_export.accounts",
    "bumdes_export.reference",
    "bumdes_export.notifications",
    # Domain apps. products and exporters know only the shared apps; matchmaking knows both.
    "products",
    "exporters",
    "matchmaking",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bumdes_export.core.middleware.PortalLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bumdes_export.urls"
WSGI_APPLICATION = "bumdes_export.wsgi.application"
ASGI_APPLICATION = "bumdes_export.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bumdes_export.core.context_processors.navigation_links",
                "bumdes_export.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unknown scheme is reported below, clearly
        DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_sqlite)}
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a valid database URL ({exc}). "
        "Use postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:////absolute/path.sqlite3."
    ) from exc
_engine = DATABASES["default"].get("ENGINE")
if _engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
    raise ImproperlyConfigured(f"DATABASE_URL must point at PostgreSQL or SQLite, not {_engine!r}.")
if _engine == "django.db.backends.sqlite3":
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if _sqlite_name and ":memory:" not in _sqlite_name:
        Path(_sqlite_name).parent.mkdir(parents=True, exist_ok=True)
    # WAL and IMMEDIATE transactions let background jobs write while pages are served.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

# --- Internationalisation: Bahasa Indonesia first, English beside it -------------------------
LANGUAGE_CODE = "id"
# Each language is named in itself (an autonym), so anyone can find their own in the switcher.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# SQLite builds the dashboard's covering index (shipment_period_figures) without its extra
# columns; only PostgreSQL reads a period's figures from the index alone.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Caches ---------------------------------------------------------------------------------
# The cache every web process shares (catalogue counts, dashboard figures): Redis when set
# (redis://127.0.0.1:6379/1, a database of its own: clearing the cache empties it), else the
# database's cache table.
SHARED_CACHE_URL = env.str("SHARED_CACHE_URL", default="")
if SHARED_CACHE_URL and not SHARED_CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        f"SHARED_CACHE_URL must be a redis:// or rediss:// URL, not {SHARED_CACHE_URL!r}."
    )

# --- Email ----------------------------------------------------------------------------------
try:
    _email = env.email_url("EMAIL_URL", default="consolemail://")
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"EMAIL_URL is not a valid email URL ({exc}). "
        "Use smtp+tls://USER:PASSWORD@HOST:587 or consolemail://."
    ) from exc
vars().update(_email)
# A mail library's backend (django-anymail, say) instead of what EMAIL_URL names.
if env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Portal Ekspor BUMDes <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP connection may hang before the send counts as failed (and is retried).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)
# A notification's email is retried when the mail server fails: this many seconds, doubling.
NOTIFICATION_EMAIL_RETRY_SECONDS = env_int("NOTIFICATION_EMAIL_RETRY_SECONDS", default=60)
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or env.str("REDIS_URL", default="")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL / REDIS_URL must be a redis:// or rediss:// URL, "
        f"not {CELERY_BROKER_URL!r}."
    )
# No broker: tasks run in-process (eager). Long jobs then run in a background thread
# (bumdes_export.core.jobs) and periodic jobs in `manage.py run_scheduler`, so pages never block.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# The queue tasks are sent to, including those a task sends; workers must consume it.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How long a task may stay unacknowledged before the broker hands it to another worker (one
# killed midway). Tasks are idempotent, so a slow task that runs twice does no harm.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "bumdes_export.core.tasks.clear_expired_sessions",
        "schedule": 6 * 3600.0,
    },
    "expire-stale-jobs": {
        "task": "bumdes_export.core.tasks.expire_stale_jobs",
        "schedule": 15 * 60.0,
    },
    "remind-expiring-certificates": {
        "task": "products.tasks.remind_expiring_certificates",
        "schedule": 24 * 3600.0,
    },
    "handle-lapsed-certificates": {
        "task": "products.tasks.handle_lapsed_certificates",
        "schedule": 6 * 3600.0,
    },
    "refresh-readiness-at-rule-dates": {
        "task": "products.tasks.refresh_readiness_when_rules_start_or_end",
        "schedule": 6 * 3600.0,
    },
    "refresh-catalogue": {
        "task": "products.catalogue.tasks.refresh_catalogue",
        "schedule": 24 * 3600.0,
    },
    "expire-buying-requests": {
        "task": "matchmaking.dealings.tasks.expire_buying_requests",
        "schedule": 6 * 3600.0,
    },
    "sweep-matches": {
        "task": "matchmaking.matching.tasks.sweep_matches",
        "schedule": 10 * 60.0,
    },
    "send-meeting-reminders": {
        "task": "matchmaking.forums.tasks.send_meeting_reminders",
        "schedule": 3600.0,
    },
    "send-daily-digests": {
        "task": "bumdes_export.notifications.tasks.send_daily_digests",
        "schedule": 24 * 3600.0,
    },
    "announce-new-matches": {
        "task": "matchmaking.matching.tasks.announce_new_matches",
        "schedule": 24 * 3600.0,
    },
    "sweep-notification-emails": {
        "task": "bumdes_export.notifications.tasks.sweep_emails",
        "schedule": 5 * 60.0,
    },
    "refresh-dashboard-tallies": {
        "task": "matchmaking.oversight.tasks.refresh_all_tallies",
        "schedule": 3600.0,
    },
    "take-target-snapshots": {
        "task": "matchmaking.oversight.tasks.take_target_snapshots",
        "schedule": 6 * 3600.0,
    },
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so that an anonymous request is answered 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "bumdes_export.core.api.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["bumdes_export.core.filters.FilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "bumdes_export.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"auth": "20/min"},
    # A service's ValidationError is a field-level 400 on every endpoint.
    "EXCEPTION_HANDLER": "bumdes_export.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BUMDes Export Portal API",
    "DESCRIPTION": "Village products of BUMDes, exporters and matchmaking.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Status fields that accept every status of their record (the service says which change is
    # allowed) share one enum with the record's own status.
    "ENUM_NAME_OVERRIDES": {
        "InquiryStatusEnum": "matchmaking.dealings.models.InquiryStatus",
        "ServiceRequestStatusEnum": "matchmaking.dealings.models.ServiceRequestStatus",
        "DealStageEnum": "matchmaking.deals.models.DealStage",
        "LostReasonEnum": "matchmaking.deals.models.LostReason",
        "MeetingRequestStatusEnum": "matchmaking.forums.models.meetings.RequestStatus",
        "MeetingStatusEnum": "matchmaking.forums.models.meetings.MeetingStatus",
        "ForumStatusEnum": "matchmaking.forums.models.events.ForumStatus",
        "ParticipantStatusEnum": "matchmaking.forums.models.events.ParticipantStatus",
    },
    # Every operation documents the errors it may answer (``bumdes_export.core.schema``).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bumdes_export.core.schema.document_errors",
    ],
}

# --- Security: secure by default in production -------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is polled by load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Portal ---------------------------------------------------------------------------------
REFERENCE_DATA_DIR = BASE_DIR / "bumdes_export" / "reference" / "data"
# Product list imports: larger files are checked and committed by a background job.
PRODUCT_IMPORT_BACKGROUND_ROWS = env_int("PRODUCT_IMPORT_BACKGROUND_ROWS", default=2000)
PRODUCT_IMPORT_MAX_ROWS = env_int("PRODUCT_IMPORT_MAX_ROWS", default=200_000)
PRODUCT_IMPORT_MAX_BYTES = env_int("PRODUCT_IMPORT_MAX_BYTES", default=64 * 1024 * 1024)
PRODUCT_IMPORT_MAX_UNPACKED_BYTES = env_int(
    "PRODUCT_IMPORT_MAX_UNPACKED_BYTES", default=256 * 1024 * 1024
)
