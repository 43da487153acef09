"""bluesky settings: one module, everything from the environment (12-factor).

With no environment at all the app runs locally: SQLite under ``data/``,
Celery tasks run in-process (eager), e-mail goes to the console. Set
``DATABASE_URL`` for PostgreSQL and ``REDIS_URL`` for Redis (Celery broker,
result backend and cache).
"""
# Long module: Django's settings are one module by design; its sections are each one concern.

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("BLUESKY_DATA_DIR", BASE_DIR / "data"))

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "django-insecure-local-development-key-only-never-in-production"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets for /api/docs/, served from static (no CDN)
    "django_celery_beat",
    "django_htmx",
    "csp",  # Content-Security-Policy header (django-csp), see CONTENT_SECURITY_POLICY below
    "auditlog",  # who changed what, before and after, from every entry point (see AUDITLOG_* below)
    "bluesky",  # project commands: backup, restore
    "departments",
    "tasks",
    "reports",
    "importers",
    "demo",  # demo and benchmark data; imports every app, nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Upload part headers in any encoding, file names of any length: repaired before CSRF reads the form.
    "bluesky.multipart.RepairUploadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # the signed-in user (or token owner) as the change's actor, from the address client_address vouches for
    "bluesky.audit_context.AuditlogMiddleware",
    "bluesky.database_outage.DatabaseUnavailableMiddleware",  # a lost database connection: 503, not 500
]

ROOT_URLCONF = "bluesky.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE for base.html's <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reports.context_processors.notification_bell",  # the unread count of the header's bell
                "departments.context_processors.audit_log_link",  # 操作日志 in the header, for whom /audit/ admits
            ],
        },
    },
]

WSGI_APPLICATION = "bluesky.wsgi.application"

# --- Database: SQLite under DATA_DIR unless DATABASE_URL is set -------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # The planner's default cost of a random page read (4) is for spinning disks. bluesky's tables fit in
        # memory on any server it runs on, and with the default the planner scanned 50,000 measures once per
        # plan rather than read them by index (the plan list: 210 ms → 34 ms at city scale). Override with
        # BLUESKY_PG_RANDOM_PAGE_COST.
        _page_cost = float(os.environ.get("BLUESKY_PG_RANDOM_PAGE_COST", "1.1"))
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={_page_cost}"
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "bluesky.sqlite3",
            "OPTIONS": {"timeout": 20},
            # A file, not memory, so that a Celery worker process started by a
            # test can open the test database too; one per test run, so that
            # runs side by side do not share it.
            "TEST": {"NAME": str(DATA_DIR / f"test_bluesky_{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery: Redis when REDIS_URL is set, else in-process --------
# Three ways to run jobs: REDIS_URL (production and CI: a real broker);
# BLUESKY_LOCAL_BROKER=1 (`make run`: a worker and beat on a folder-based
# broker, no server needed); neither (tests, shell: jobs run in-process).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TASK_ALWAYS_EAGER = False
# The database cache is always configured (its table comes with the migrations): it is where the
# Redis cache turns while Redis is down (bluesky/cache.py).
_FALLBACK_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bluesky_cache"}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "bluesky.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
        "fallback": _FALLBACK_CACHE,
    }
    # Sessions in Redis, written through to the database (cached_db): every web host reads a session from
    # the shared Redis, and a Redis restart (or an outage, when the cache turns to its fallback) signs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A job whose worker died unacknowledged (acks_late) is handed out again after this long, not
    # Redis's default hour. Longer than the longest job (the city-scale ranking, ~40 s) with margin.
    # BLUESKY_VISIBILITY_TIMEOUT shortens it (the test that kills a worker mid-job).
    # Workers look for such jobs every 10 s (kombu's default scans only every tenth look, ~100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("BLUESKY_VISIBILITY_TIMEOUT", 300)),
        "unacked_restore_throttle": 1,
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fallback": _FALLBACK_CACHE,
    }
    if env_bool("BLUESKY_LOCAL_BROKER"):
        _broker_dir = DATA_DIR / "broker"
        for _sub in ("queue", "processed", "results"):
            (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
        CELERY_BROKER_URL = "filesystem://"
        CELERY_BROKER_TRANSPORT_OPTIONS = {
            "data_folder_in": str(_broker_dir / "queue"),
            "data_folder_out": str(_broker_dir / "queue"),
            "processed_folder": str(_broker_dir / "processed"),
            "store_processed": False,
        }
        CELERY_RESULT_BACKEND = f"file://{_broker_dir / 'results'}"
    else:
        CELERY_BROKER_URL = "memory://"
        CELERY_RESULT_BACKEND = "cache+memory://"
        CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The worker and beat write a heartbeat this often; /healthz calls one older than the second figure down.
BLUESKY_HEARTBEAT_SECONDS = float(os.environ.get("BLUESKY_HEARTBEAT_SECONDS", 15))
BLUESKY_HEARTBEAT_STALE_SECONDS = float(os.environ.get("BLUESKY_HEARTBEAT_STALE_SECONDS", 60))
# The jobs' schedule (reports/jobs.py), in CELERY_TIMEZONE. django_celery_beat's DatabaseScheduler
# copies these entries into its PeriodicTask table every time beat starts (update_from_dict), so they
# appear in the admin; edit the times here — an admin edit to one of these names is overwritten on restart.
CELERY_BEAT_SCHEDULE = {
    "reports.send-reminders": {  # deadlines, overdue, monthly reports: daily 09:00 Beijing time
        "task": "reports.jobs.send_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "reports.retry-deliveries": {  # failed e-mail/webhook deliveries, with backoff
        "task": "reports.jobs.retry_deliveries",
        "schedule": crontab(minute="*/10"),
    },
    "reports.weekly-notice": {  # 周通报 of the previous week, Mondays 07:30
        "task": "reports.jobs.build_weekly_notice",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    "importers.expire-stale-previews": {  # previews nobody finished within a day lose their file: hourly
        "task": "importers.jobs.expire_stale_previews",
        "schedule": crontab(minute=17),
    },
    "importers.send-unsent-parses": {  # parse jobs the broker refused while it was down
        "task": "importers.jobs.send_unsent_parses",
        "schedule": 60.0,
    },
    "reports.monthly-ranking": {  # daily check: last month's 月排名 once its reports are past due, built once
        "task": "reports.jobs.build_due_ranking",
        "schedule": crontab(hour=9, minute=30),
    },
}

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (departments/login_guard.py): a username blocked from an address after 5 failures,
# an address after 20 (any usernames), an account slowed down (not locked) after 10 from anywhere.
# Password reset (departments/reset_guard.py): 3 e-mails per account and 10 requests per address an hour.
AUTHENTICATION_BACKENDS = ["departments.login_guard.LockoutModelBackend"]
# Proxies whose X-Forwarded-For is believed (comma-separated CIDRs, e.g. the load balancer's);
# from any other peer the header is ignored (bluesky/client_address.py).
BLUESKY_TRUSTED_PROXIES = env_list("BLUESKY_TRUSTED_PROXIES")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time --------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", DATA_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", DATA_DIR / "media"))
WHITENOISE_USE_FINDERS = True  # static files are served without collectstatic in tests and `runserver`
# Uploaded and generated files: a folder (MEDIA_ROOT; with several web hosts, a shared mount such as NFS)
# or, with BLUESKY_MEDIA_STORAGE=s3, an S3-compatible bucket (MinIO, OSS, COS …) through django-storages.
BLUESKY_MEDIA_STORAGE = os.environ.get("BLUESKY_MEDIA_STORAGE", "filesystem")
if BLUESKY_MEDIA_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured("BLUESKY_MEDIA_STORAGE must be 'filesystem' or 's3'")
_MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if BLUESKY_MEDIA_STORAGE == "s3":
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["BLUESKY_S3_BUCKET"],
            "endpoint_url": os.environ.get("BLUESKY_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("BLUESKY_S3_REGION") or None,
            "access_key": os.environ.get("BLUESKY_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("BLUESKY_S3_SECRET_KEY") or None,
            "location": os.environ.get("BLUESKY_S3_PREFIX", "media"),
            "default_acl": None,
            "querystring_auth": True,  # private bucket: links are signed and expire
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("DJANGO_MANIFEST_STATIC", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded plan documents and evidence files: refuse anything larger.
BLUESKY_MAX_UPLOAD_BYTES = int(os.environ.get("BLUESKY_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# All evidence files of one progress update together (they are checked in memory).
BLUESKY_MAX_UPLOAD_TOTAL_BYTES = int(os.environ.get("BLUESKY_MAX_UPLOAD_TOTAL_BYTES", 50 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Plan import's outside programs (importers/office_convert.py, importers/ocr.py) and their limits:
# LibreOffice converts .doc/.wps; pdftoppm + Tesseract read scanned PDFs.
BLUESKY_SOFFICE = os.environ.get("BLUESKY_SOFFICE", "soffice")
BLUESKY_OFFICE_CONVERT_TIMEOUT = int(os.environ.get("BLUESKY_OFFICE_CONVERT_TIMEOUT", 60))
BLUESKY_PDFTOPPM = os.environ.get("BLUESKY_PDFTOPPM", "pdftoppm")
BLUESKY_TESSERACT = os.environ.get("BLUESKY_TESSERACT", "tesseract")
BLUESKY_OCR_MAX_PAGES = int(os.environ.get("BLUESKY_OCR_MAX_PAGES", 30))
BLUESKY_OCR_TIMEOUT = int(os.environ.get("BLUESKY_OCR_TIMEOUT", 300))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bluesky@localhost")

# --- Reminders (reports/notifications/reminders.py, reports/notifications/channels.py) ------------------------
# A WeCom/DingTalk group robot's URL; empty = the webhook channel is off.
BLUESKY_WEBHOOK_URL = os.environ.get("BLUESKY_WEBHOOK_URL", "")
# Overdue measures are escalated to the office after this many days.
BLUESKY_OVERDUE_ESCALATION_DAYS = int(os.environ.get("BLUESKY_OVERDUE_ESCALATION_DAYS", 7))
# A failed delivery is retried after 5, 10, 20 … minutes, at most this many attempts in all.
BLUESKY_DELIVERY_RETRY_SECONDS = int(os.environ.get("BLUESKY_DELIVERY_RETRY_SECONDS", 300))
BLUESKY_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("BLUESKY_DELIVERY_MAX_ATTEMPTS", 6))
# Test-only: a file path; the first job that writes a report file pauses half-way through writing
# it (and writes its pid there) so an end-to-end test can kill the worker mid-write. Unset in production.
BLUESKY_TEST_PAUSE_WRITING = os.environ.get("BLUESKY_TEST_PAUSE_WRITING", "")

# --- Security (production: set DJANGO_SECURE=1 behind HTTPS) -----------------
if env_bool("DJANGO_SECURE"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp 4): scripts, styles, fonts and images only from this site. ECharts,
# HTMX and Swagger UI are served from static/; no inline <script>, <style>, on…= or style= in templates
# (their behaviours are in static/js/bluesky.js); JSON for charts is json_script, which never runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# --- REST framework ---------------------------------------------------------------
# The audit trail (django-auditlog): every create, change and delete of these models, from the pages,
# the admin, the API, commands and jobs, with the actor and each field before and after. The app's
# own history (tasks.HistoryEntry) stays the readable story on the measure pages; this is the record
# nothing bypasses. Secrets are never copied into the log.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "tasks.Plan", "exclude_fields": ["updated_at"]},
    "tasks.Chapter",
    "tasks.Task",
    {"model": "tasks.Measure", "exclude_fields": ["updated_at"]},
    "tasks.Assignment",
    "tasks.Milestone",
    "tasks.ProgressUpdate",
    "tasks.Evidence",
    "tasks.MeasureLink",
    "departments.Unit",
    "departments.UnitAlias",
    "departments.UnitMembership",
    "importers.PlanImport",
    "reports.MonthlyReport",
    "reports.WorkdayOverride",
    "reports.ScoreFormula",
    {"model": "auth.User", "exclude_fields": ["password", "last_login"]},
    "auth.Group",
    {"model": "departments.ApiToken", "exclude_fields": ["digest"]},
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Hashed, expiring, named tokens (departments/api_tokens.py), issued on /accounts/tokens/. First, so a
        # request without credentials is a 401 naming the scheme (WWW-Authenticate: Token), not a 403.
        "departments.api_tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Everyone signed in reads; viewers never write (unit scope is checked by the services).
    "DEFAULT_PERMISSION_CLASSES": ["departments.api.permissions.ViewersReadOnly"],
    # The API writes JSON only (as its schema says; a form body is a 415); JSON nested without end is
    # refused (400) before parsing (bluesky/api/inputs.py).
    "DEFAULT_PARSER_CLASSES": ["bluesky.api.inputs.BoundedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "bluesky.api.filters.SingleValuedFilterBackend",  # django-filter, each parameter at most once
        "bluesky.api.filters.NoNulOrderingFilter",  # DRF's, NUL refused (400)
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The services' PermissionDenied / ValidationError / stale edits as 403 / 400 / 409.
    "EXCEPTION_HANDLER": "bluesky.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "bluesky API",
    "DESCRIPTION": "大气污染防治行动计划任务跟踪 — plans, measures, units, progress and reports.",
    "VERSION": "1.0.0",
    # API schema and docs: signed-in users only; Swagger UI from drf-spectacular-sidecar (static, no CDN).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_INCLUDE_SCHEMA": False,
    # The contract names the API token (the session serves the browser's own pages and the docs' "try it").
    "AUTHENTICATION_WHITELIST": ["departments.api_tokens.HashedTokenAuthentication"],
    # Every error answer, empty filters and id ranges (bluesky/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bluesky.api.schema.postprocess",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- Official documents (GB/T 9704-2012) ------------------------------------------
# 发文机关标志 printed in red above the weekly notice (红头); empty: no 红头.
BLUESKY_NOTICE_ISSUER = os.environ.get("BLUESKY_NOTICE_ISSUER", "")
# 落款: who signs the weekly notice, above the date in Chinese numerals.
BLUESKY_NOTICE_SIGNATURE = os.environ.get("BLUESKY_NOTICE_SIGNATURE", "大气污染综合治理领导小组办公室")
