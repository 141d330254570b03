"""Settings shared by every environment, driven by environment variables."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("KVSP_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    # project
    "kvsp.core",
    "kvsp.notify",
    "councils",
    "councils.meetings",
    "consultations",
    "plans",
    "monitoring",
    "kvsp.portal",
    "kvsp.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The database down: a 503 page with Retry-After for every request below, never a 500.
    "kvsp.core.middleware.DatabaseOutageMiddleware",
    # A published plan's page, for visitors without a session, straight from the cache.
    "kvsp.portal.plan_views.PlanPageCacheMiddleware",
    # The other public read pages, for visitors without a session, from the cache (page_cache.py).
    "kvsp.portal.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A body larger than any upload may be: 413 before a byte of it is read (kvsp/core/uploads.py).
    "kvsp.core.uploads.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kvsp.core.middleware.IdleTimeoutMiddleware",
    # Officers and admins who have not passed the second factor go to enrolment or verification.
    "kvsp.core.twofactor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes last: it turns a locked-out login into its own response
    "axes.middleware.AxesMiddleware",
    # one "denied" line on kvsp.security for every 403 (kvsp/core/security_log.py)
    "kvsp.core.security_log.DenialLogMiddleware",
]

ROOT_URLCONF = "kvsp.urls"
WSGI_APPLICATION = "kvsp.wsgi.application"

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
                "kvsp.core.context_processors.site",
                "kvsp.notify.context_processors.unread",
                "councils.context_processors.waiting",
            ],
        },
    },
]
# Forms render through TEMPLATES, so templates/django/forms/ and templates/admin/widgets/ can
# override Django's widget templates (kvsp/core/forms.py).
FORM_RENDERER = "kvsp.core.forms.FormRenderer"

# --- database: embedded SQLite unless DATABASE_URL says otherwise -------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kvsp.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    # A connection the server closed (a restart) is noticed before a request uses it, and a new one
    # opened; a server that accepts but does not answer (frozen, or a stuck network) costs a
    # request at most DJANGO_DB_CONNECT_TIMEOUT seconds, then the outage page (kvsp/core/middleware.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and broker: Redis when REDIS_URL is set, else files under var/ ----------------------
REDIS_URL = env.str("REDIS_URL", default="")
# A frozen or stopped Redis costs a request at most one short timeout: each call waits at most
# KVSP_REDIS_TIMEOUT seconds, then a circuit breaker (kvsp/core/breaker.py) skips Redis for
# KVSP_REDIS_BREAKER_SECONDS: the cache answers "miss", publishing a task fails at once (the
# outbox keeps the message for the beat's drain).
KVSP_REDIS_TIMEOUT = env.float("KVSP_REDIS_TIMEOUT", default=0.5)
KVSP_REDIS_BREAKER_SECONDS = env.float("KVSP_REDIS_BREAKER_SECONDS", default=5.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kvsp.core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kvsp",
            "OPTIONS": {"socket_connect_timeout": KVSP_REDIS_TIMEOUT, "socket_timeout": KVSP_REDIS_TIMEOUT},
        }
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")

CELERY_BROKER_FOLDER = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        # The exchange table, else kombu writes ./control/ wherever the process was started.
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    # Short timeouts, and no reconnection loop when the broker refuses (kombu would retry for
    # broker_connection_timeout, 4 s): publishing from a request fails fast, the outbox keeps the
    # message (kvsp/core/celery_publish.py). The worker's own reconnection loop is unaffected.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": KVSP_REDIS_TIMEOUT,
        "socket_timeout": max(KVSP_REDIS_TIMEOUT, 1.0),
        "max_retries": 0,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is stopped: warned (SoftTimeLimitExceeded) after 4 minutes, killed after 5. The
# outbox's claim timeout (10 minutes, kvsp/notify/models.py) must stay longer than the hard limit,
# so no claim is taken over from a send still alive (kvsp/notify/checks.py checks it).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TIMEZONE = "Europe/Tirane"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "record-worker-heartbeat": {
        "task": "kvsp.core.tasks.record_heartbeat_task",
        "schedule": 60.0,
    },
    "purge-expired-personal-data": {
        "task": "consultations.tasks.purge_expired_personal_data_task",
        "schedule": 60.0 * 60 * 6,
    },
    # The same retention for the e-mails left with public comments on a plan (plans/comments.py).
    "purge-comment-contacts": {
        "task": "plans.tasks.purge_comment_contacts_task",
        "schedule": 60.0 * 60 * 6,
    },
    # The councils' news to their e-mail subscribers (a rerun sends nothing twice; the outbox sends).
    "sweep-subscriptions": {
        "task": "kvsp.portal.tasks.sweep_subscriptions_task",
        "schedule": 60.0 * 15,
    },
    # Reminders: the day's sweep in the morning (and again at noon: a second run gives nothing
    # twice, and catches a morning when no worker ran), the outbox drained every minute (so a
    # message written while the broker was down goes out soon after), the digests at 18:00.
    "send-reminders": {
        "task": "monitoring.tasks.send_reminders_task",
        "schedule": crontab(minute=0, hour="7,12"),
    },
    "deliver-outbox": {
        "task": "kvsp.notify.tasks.deliver_outbox_task",
        "schedule": 60.0,
    },
    # From 18:00, then every hour until 23:00: a run the beat could not publish (Redis away), or a
    # digest whose server's answer was lost ("maybe sent", retried after its delay with the same
    # Message-ID), goes out the same evening. Each person's digest of the day is claimed once, so
    # the later runs send nothing twice.
    "deliver-digests": {
        "task": "kvsp.notify.tasks.deliver_digests_task",
        "schedule": crontab(minute=0, hour="18-23"),
    },
}
WORKER_HEARTBEAT_MAX_AGE = timedelta(minutes=5)
# /healthz/ shows each part's state and timing to staff and to a monitor that sends
# "Authorization: Bearer <this token>"; to anyone else only "ok" (200) or "unavailable" (503).
KVSP_HEALTH_TOKEN = env.str("KVSP_HEALTH_TOKEN", default="")

# --- users and authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "councils:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
INVITATION_MAX_AGE = timedelta(days=14)

# django-axes: lock the (account, address) pair, never a whole address: a town hall shares one.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "kvsp.core.security.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address as the concern form's rate limit sees it (X-Forwarded-For behind
# TRUSTED_PROXY_COUNT proxies, below): without it axes counts the proxy's (django-ipware is not
# installed, so AXES_IPWARE_* would have no effect) and one address locks an account for everyone.
AXES_CLIENT_IP_CALLABLE = "kvsp.core.ratelimit.client_address"
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "kvsp.core.security_log.axes_client_str"  # its lines name no e-mail

# Two-factor authentication (django-otp, kvsp/core/twofactor/): required of council chairs, SKN
# seats, technical secretaries and platform admins when on (production and the test suite).
KVSP_REQUIRE_2FA = env.bool("KVSP_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = env.str("KVSP_OTP_ISSUER", default="KVSP")
# After each wrong code the next try waits 1, 2, 4, 8 ... seconds (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- sessions and cookies -----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = env.int("KVSP_SESSION_IDLE_MINUTES", default=30) * 60
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_NAME = "kvsp_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# django-csp 4: everything from our own origin, no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- internationalisation: Albanian first --------------------------------------------------------
LANGUAGE_CODE = "sq"
LANGUAGES = [("sq", _("Albanian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Tirane"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kvsp.formats"]

# --- static and uploaded files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Past one machine: uploads and generated files in an S3-compatible bucket (README "Past one
# machine"). Private objects; they are only ever served through the permission-checked views,
# as attachments, so the bucket never hands out public (unsigned) URLs. Static files stay with
# whitenoise.
KVSP_S3_BUCKET = env.str("KVSP_S3_BUCKET", default="")
if KVSP_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": KVSP_S3_BUCKET,
            "endpoint_url": env.str("KVSP_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("KVSP_S3_REGION", default="") or None,
            # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY come from the environment (boto3 reads them).
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            # Two uploads named alike must not replace each other (as on the file system).
            "file_overwrite": False,
            "location": env.str("KVSP_S3_PREFIX", default=""),
            "addressing_style": env.str("KVSP_S3_ADDRESSING_STYLE", default="") or None,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every uploaded file — council documents, evidence of status updates, signed scans, imported
# plans — at most this many bytes: the one limit, read by the validators and shown in the forms
# (kvsp/core/uploads.py). A request body over it plus 1 MB is refused (413) before it is read;
# the reverse proxy's client_max_body_size must allow the same (docker-compose.yml).
DOCUMENT_MAX_BYTES = env.int("KVSP_DOCUMENT_MAX_MB", default=10) * 1024 * 1024
# Form fields other than files, read into memory: far more than any form's text needs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- citizens' concerns (Law 124/2024) -------------------------------------------------------------
# Contacts and original wording are deleted this many months after the consultation.
CONCERN_RETENTION_MONTHS = env.int("KVSP_CONCERN_RETENTION_MONTHS", default=12)
# The public concern form: at most this many submissions per address in the window (seconds).
# Generous, since a whole village hall may share one address; the limit fails open without cache.
CONCERN_RATE_LIMIT = env.int("KVSP_CONCERN_RATE_LIMIT", default=10)
CONCERN_RATE_WINDOW = env.int("KVSP_CONCERN_RATE_WINDOW", default=600)
# Password reset: per address (generous: a town hall shares one) and per account as typed, known or
# not, so the answer tells nobody who has an account. Concern-code look-ups: per address and per
# code. Over the limit: the same page with a message (429), nothing sent.
PASSWORD_RESET_RATE_LIMIT_ADDRESS = env.int("KVSP_PASSWORD_RESET_RATE_LIMIT_ADDRESS", default=20)
PASSWORD_RESET_RATE_LIMIT_ACCOUNT = env.int("KVSP_PASSWORD_RESET_RATE_LIMIT_ACCOUNT", default=3)
PASSWORD_RESET_RATE_WINDOW = env.int("KVSP_PASSWORD_RESET_RATE_WINDOW", default=3600)
CONCERN_LOOKUP_RATE_LIMIT_ADDRESS = env.int("KVSP_CONCERN_LOOKUP_RATE_LIMIT_ADDRESS", default=30)
CONCERN_LOOKUP_RATE_LIMIT_CODE = env.int("KVSP_CONCERN_LOOKUP_RATE_LIMIT_CODE", default=10)
CONCERN_LOOKUP_RATE_WINDOW = env.int("KVSP_CONCERN_LOOKUP_RATE_WINDOW", default=600)
# Reverse proxies in front of the application (for the client address of rate limits).
TRUSTED_PROXY_COUNT = env.int("KVSP_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))

# --- e-mail: console in development, SMTP (EMAIL_URL) in production ----------------------------
# EMAIL_URL is parsed by django-environ: smtp://user:password@host:25, smtp+tls://...:587,
# smtp+ssl://...:465, consolemail://, filemail:////absolute/folder, dummymail://; "?timeout=10"
# gives up on an SMTP server that does not answer within ten seconds.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    # The same, telling a refusal from a lost answer after the data (kvsp/notify/smtp.py).
    EMAIL_BACKEND = "kvsp.notify.smtp.EmailBackend"
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# Without a port in the URL, the protocol's own: 465 for implicit TLS (smtp+ssl://), else 25.
EMAIL_PORT = _email["EMAIL_PORT"] or (465 if EMAIL_USE_SSL else 25)
EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
# Seconds each SMTP operation may wait: "?timeout=" in EMAIL_URL (django-environ puts it in
# OPTIONS), else EMAIL_TIMEOUT, else 10. Never none: a stalled server must not hold a send.
EMAIL_TIMEOUT = float(_email.get("OPTIONS", {}).get("TIMEOUT") or env.float("EMAIL_TIMEOUT", default=10))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="KVSP <noreply@kvsp.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- forms --------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- audit trail ---------------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Secret parts of addresses (invitation, password-reset, calendar-feed tokens) never reach a line.
    "filters": {"redact_tokens": {"()": "kvsp.core.security_log.RedactTokensFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Security events, one JSON line each, on the same stream whatever DJANGO_LOG_LEVEL says.
        "kvsp.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- the open-data API (/api/v1/, kvsp/portal/api.py) -------------------------------------------
# Public, read-only, JSON only: no browsable API (it needs inline scripts the CSP forbids), no
# authentication (so a session cookie never turns a refused POST into a CSRF 403: it is a 405).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KVSP open data",
    "DESCRIPTION": (
        "Read-only open data of Albania's Local Public Safety Councils (KVSP): the councils, "
        "their published plans and every row of each published version. Values with a fixed set "
        "(statuses, priorities, compliance states such as not_met) are codes, the same in every "
        "language and never renamed; the CSV files beside the pages (plan.csv, concerns.csv, "
        "compliance.csv) are for people: their column names and these values are words in the "
        "page's language (Albanian by default)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}
