"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy

from ops.logs import logging_config

# Settings kept in modules of their own, named here so that every environment has them.
from .api import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401
from .browser import PERMISSIONS_POLICY, SECURE_CSP  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)


def secret(name: str, default: str = "") -> str:
    """A secret exactly as it is set. django-environ reads a value beginning with "$" as the name
    of another variable (its proxy syntax), and a random key may well begin with one."""
    return os.environ.get(name, default)


SECRET_KEY = secret("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin with the project's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "audit",
    "workdays",
    "enterprises",
    "tickets",
    "notifications",
    "integrations",
    "api",
    "open311",
    "exchange",
    "reports",
    "dispatches",
    "themes",
    "meetings",
    "ops",
    "demo",  # seed_demo and seed_bench; nothing imports it
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, answered before anything else (ops.health): no host
    # check, HTTPS redirect, session, login or rate limit stands between them and a probe.
    "ops.health.ProbeMiddleware",
    # The request's id on its log lines and in its answer (ops.requestid); then its count and
    # latency by view (ops.metrics).
    "ops.requestid.RequestIdMiddleware",
    "ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their long cache, everything else is private, no-store.
    "config.caching.NoStoreMiddleware",
    # Reads after a write stay on the primary (ops.replica); outside the session middleware, so
    # that a session saved counts as a write.
    "ops.replica.PrimaryPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Reads the body within the limits (config/uploads.py) before any view or the CSRF check.
    "config.uploads.RequestLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Turns django-ratelimit's refusal into RATELIMIT_VIEW's answer: 429, not 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "enterprises.context_processors.profile",
                "notifications.context_processors.bell",
                "enterprises.context_processors.calendar_warning",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection is checked (one round trip) before a request reuses it after an error or a
# restart of the database, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Reports on a PostgreSQL streaming replica (ops.replica): the dashboard, bulletins, exports and
# the report API read the figures' tables there; writes and everything else use the primary.
if env("REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = env.db("REPORTS_DATABASE_URL")
    DATABASES["reports"]["ATOMIC_REQUESTS"] = False
    DATABASES["reports"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["reports"]["CONN_HEALTH_CHECKS"] = True
    # A replica that does not answer is given up quickly: the reports then read the primary.
    DATABASES["reports"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Under test the replica holds the test database under the same name as the primary.
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
REPORTS_DATABASE = "reports" if "reports" in DATABASES else None
# PostgreSQL's JIT compiles a query's expressions once its estimated cost is high: the reports'
# counts over a week of a country's tickets (120,000 rows) spent 21 of their 84 ms compiling, and
# nothing here runs long enough to win it back. Off for each connection (README "Database
# connections"); behind PgBouncer, which does not pass the option on, switch it off on the server.
if env.bool("POSTGRES_JIT_OFF", default=True):
    for _database in DATABASES.values():
        if _database["ENGINE"].endswith("postgresql"):
            _database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# After a client wrote, its reads stay on the primary this long (longer than the replica's lag).
REPORTS_PIN_SECONDS = env.int("REPORTS_PIN_SECONDS", default=15)
DATABASE_ROUTERS = ["ops.replica.ReplicaRouter"]

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"


def _networks(name: str, default: list[str]) -> list[str]:
    """Addresses or networks from the environment; a mistyped one stops the start, not requests."""
    import ipaddress

    from django.core.exceptions import ImproperlyConfigured

    entries = [entry.strip() for entry in env.list(name, default=default)]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is not an address or a network."
            ) from error
    return entries


# The client's address (config/network.py), for every rate limit, throttle and the lockout: the
# header CLIENT_IP_HEADER is believed only from a connection of TRUSTED_PROXIES (addresses or
# networks, comma-separated); anyone else is known by its own connection's address.
TRUSTED_PROXIES = _networks("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="HTTP_X_REAL_IP")
RATELIMIT_IP_META_KEY = "config.network.client_ip"
AXES_CLIENT_IP_CALLABLE = "config.network.client_ip"

# Login lockout (django-axes, config/lockout.py), for an hour after the last failure: five
# failures from one address lock that address out of the account; twenty from any number of
# addresses lock the account itself. The office unlocks an account in the admin.
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=5)
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=20)
AXES_FAILURE_LIMIT = "config.lockout.failure_limit"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_USERNAME_CALLABLE = "config.lockout.username"
AXES_COOLOFF_TIME = 1
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Password-reset e-mails (enterprises.signin.password_reset), per client address and per e-mail
# address asked for; the answer is the same whether or not an account has that address.
PASSWORD_RESET_IP_RATE = env("PASSWORD_RESET_IP_RATE", default="10/h")
PASSWORD_RESET_ACCOUNT_RATE = env("PASSWORD_RESET_ACCOUNT_RATE", default="3/h")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from the npm registry at install time (package.json); no CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/echarts", BASE_DIR / "node_modules/echarts/dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules/tom-select/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads are never served from MEDIA_URL (no URL pattern or web server maps it): they go out
# only through tickets.views.attachment_download, which checks who asks.
MEDIA_URL = "/media-not-served/"

# `manage.py backup` (ops.backup): where the archives go, and how many of them are kept.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

# What a request may carry (config/uploads.py keeps these while it streams in). A multipart
# request may be ATTACHMENT_MAX_COUNT × ATTACHMENT_MAX_SIZE + DATA_UPLOAD_MAX_MEMORY_SIZE (51 MB):
# nginx's client_max_body_size in the README is the same.
ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 5
# Everything but files: a form's fields or a JSON body. The largest the site takes, a note of
# 5,000 characters, is under 50 KB even percent-encoded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # the admin's bulk actions send the most
# A few files too many still reach the form, which says how many it takes; more are refused.
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * ATTACHMENT_MAX_COUNT
# A request whose files add up to less stays in memory; a larger one goes to temporary files.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "config.uploads.LimitedTemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The Content Security Policy and the Permissions-Policy: config/settings/browser.py.
# django-redis rather than Django's own Redis cache for one reason: IGNORE_EXCEPTIONS, so that a
# Redis outage makes the rate limits and throttles fail open instead of failing the request.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }
}
# Sessions are read from the cache and written to the database and the cache (Django's
# cached_db): a signed-in request reads no session row; without Redis, the database still has it.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# django-ratelimit counts in the default cache; submissions are limited per user and per address.
RATELIMIT_USE_CACHE = "default"
# With Redis down a submission must still go through: the limiter lets requests pass.
RATELIMIT_FAIL_OPEN = True
TICKET_SUBMIT_RATE = env("TICKET_SUBMIT_RATE", default="30/h")  # per user
# Per client address: higher, since a whole government office may sit behind one NAT address.
TICKET_SUBMIT_IP_RATE = env("TICKET_SUBMIT_IP_RATE", default="300/h")
# Problems filed through Open311, per integration and per address (a hotline files many).
OPEN311_SUBMIT_RATE = env("OPEN311_SUBMIT_RATE", default="600/h")
# Asking for an API token, per user name and per address (on top of django-axes' lockout).
TOKEN_REQUEST_RATE = env("TOKEN_REQUEST_RATE", default="10/m")

# The REST API (api/): config/settings/api.py. DRF's throttles count in the default cache.
# django-filter: a filter's empty choice means "any", written 全部 (not "---------").
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")
# E-mail through Django 6.1's MAILERS, configured by one URL (e.g. smtp+tls://user:pw@host:587).
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            "host": _email["EMAIL_HOST"],
            "port": _email["EMAIL_PORT"],
            "username": _email["EMAIL_HOST_USER"],
            "password": _email["EMAIL_HOST_PASSWORD"],
            "use_tls": _email.get("EMAIL_USE_TLS", False),
            "use_ssl": _email.get("EMAIL_USE_SSL", False),
            "timeout": 20,
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="亲清 Qinqing <noreply@qinqing.local>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: Redis broker; tasks are thin and idempotent, see tickets/tasks.py and notifications/tasks.py.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# When the broker is down, publishing gives up quickly; the outbox sweep sends what is pending later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_ALWAYS_EAGER = False
# Worker pools per queue (README "How it grows"): with CELERY_SPLIT_QUEUES, the outbox's tasks
# go to the queue "outbox", the reports' to "reports" and every other job to "jobs", and a pool
# of workers is started for each (`celery -A config worker -Q outbox`…), so that a slow bulletin
# never holds up the messages. Off, everything goes to Celery's one default queue, which the
# worker of a city's single host (and `make run`) consumes.
CELERY_SPLIT_QUEUES = env.bool("CELERY_SPLIT_QUEUES", default=False)
CELERY_TASK_ROUTES = (
    {
        "notifications.tasks.deliver": {"queue": "outbox"},
        "notifications.tasks.sweep_outbox": {"queue": "outbox"},
        "reports.tasks.*": {"queue": "reports"},
        "*": {"queue": "jobs"},
    }
    if CELERY_SPLIT_QUEUES
    else {}
)
# A delivery being sent is claimed for this long; if its worker dies, the sweep retries after.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
# Robots and webhooks reach public addresses only (notifications/outbound.py), and these
# networks besides (comma-separated addresses or networks, e.g. the city's intranet systems).
OUTBOUND_ALLOWED_NETWORKS = _networks("OUTBOUND_ALLOWED_NETWORKS", [])
# Text messages through Tencent Cloud SMS (notifications/sms.py); off while SMS_SECRET_ID is empty.
# The template (approved in the provider's console) takes the ticket's number, what happened and
# the link; the endpoint can be pointed elsewhere (a regional endpoint, or a test's stand-in).
SMS_SECRET_ID = env("SMS_SECRET_ID", default="")
SMS_SECRET_KEY = env("SMS_SECRET_KEY", default="")
SMS_SDK_APP_ID = env("SMS_SDK_APP_ID", default="")
SMS_SIGN_NAME = env("SMS_SIGN_NAME", default="")
SMS_TEMPLATE_ID = env("SMS_TEMPLATE_ID", default="")
SMS_REGION = env("SMS_REGION", default="ap-guangzhou")
SMS_ENDPOINT = env("SMS_ENDPOINT", default="sms.tencentcloudapi.com")
SMS_SCHEME = env("SMS_SCHEME", default="https")

# `seed_demo` makes accounts whose password is in the README: never in production.
SEED_DEMO_ALLOWED = True

# No visit is recorded before the campaign's start date, which the office sets under reports;
# dispatches sits on reports' floor and imports none of it, so this names the function that
# reads the date (dispatches.cadence.campaign_start).
CAMPAIGN_START_SOURCE = "reports.selectors.campaign_start"

# Logs (ops.logs): readable text with each line's request id; production writes JSON lines.
# Phone numbers and e-mail addresses are masked on every line.
# Celery's worker and beat log through this too (config/celery.py keeps Celery's own set-up off).
LOGGING = logging_config(
    json=env.bool("LOG_JSON", default=False),
    levels={
        "weasyprint": "WARNING",  # not each step of every PDF
        "fontTools": "WARNING",
        # The SMS SDK logs whole requests (phone numbers in them) at DEBUG: never let it.
        "tencentcloud_sdk_common": "WARNING",
    },
)

# What /readyz and /metrics read of the apps (ops imports none of them; see ops/health.py).
OUTBOX_BACKLOG_SOURCE = "notifications.selectors.outbox_backlog"
METRICS_COLLECTORS = [
    "notifications.metrics.OutboxCollector",
    "reports.metrics.TicketsByDistrictCollector",
]
# /metrics answers loopback and these addresses or networks (the Prometheus servers), and,
# when METRICS_TOKEN is set, only with `Authorization: Bearer <METRICS_TOKEN>` besides.
METRICS_ALLOWED_IPS = _networks("METRICS_ALLOWED_IPS", [])
METRICS_TOKEN = secret("METRICS_TOKEN")
# Several processes (gunicorn's workers, Celery's pool) add their counts up through files in
# this folder (prometheus-client's multiprocess mode); the systemd units set it. Read by
# prometheus-client itself from the environment.
PROMETHEUS_MULTIPROC_DIR = env("PROMETHEUS_MULTIPROC_DIR", default="")

RATELIMIT_VIEW = "config.views.ratelimited"
