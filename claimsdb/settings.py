"""Settings for claimsdb, read from the environment (see README, "Configuration").

One settings module for every environment: production differs from a laptop only through
environment variables. With no DATABASE_URL the project runs on a SQLite file; with no
REDIS_URL, Celery tasks run in-process. Both defaults exist so `make run` works on a bare machine.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from claimsdb.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------------------------

# The development key is public (it is in this file), so production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "django-insecure-claimsdb-development-key-do-not-use-in-production"

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)


def check_production_secret_key(*, debug: bool, secret_key: str) -> None:
    """Refuse to run with DEBUG off and a missing, short or development secret key."""
    if debug:
        return
    if not secret_key or secret_key == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is unset or is the development key, and DEBUG is off. "
            "Set SECRET_KEY to a long random value in production."
        )
    if len(secret_key) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters when DEBUG is off.")


check_production_secret_key(debug=DEBUG, secret_key=SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Ahead of staticfiles so `runserver` serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "simple_history",
    "django_celery_beat",
    "axes",
    "rest_framework",
    "knox",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "releases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, the policy from settings built once (claimsdb/csp.py).
    "claimsdb.csp.SettingsPolicyCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Ahead of CommonMiddleware, so its headers are on every response, redirects included.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records which user made each edit in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "claimsdb.urls"
WSGI_APPLICATION = "claimsdb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")))
SQLITE_BUSY_TIMEOUT_SECONDS = env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1)
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # A large import must not make a page view fail with "database is locked". In
                # WAL mode readers never wait for a writer (the default rollback journal locks
                # them out while an import commits); the busy timeout makes a second writer wait
                # for the first instead of failing at once, and IMMEDIATE transactions take the
                # write lock at BEGIN, where the timeout applies (a deferred transaction that
                # upgrades to a write mid-way fails without waiting). synchronous=NORMAL is the
                # setting SQLite recommends with WAL: durable across a crash of the process.
                "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000};"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses any login, right password or not, for a username and address that failed too often.
    "claimsdb.auth.LoginThrottlingBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files: served by the app itself (WhiteNoise), in production too -------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; development serves the source files.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# --- Security headers, on every response ------------------------------------------------------

# No page runs inline script or carries inline style, and nothing is loaded from another origin:
# a vendor's quote or a leaderboard's model name that smuggles markup through the escaping
# still cannot run. JSON-LD blocks (`type="application/ld+json"`) are data, not script, so the
# policy does not apply to them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Security behind a proxy, in production ---------------------------------------------------

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # On by default in production: `check --deploy` warns without them (W004, W008). A site
    # that is not yet on HTTPS everywhere sets SECURE_HSTS_SECONDS=0 and SECURE_SSL_REDIRECT=false
    # (browsers remember HSTS for the whole max-age, so start low when first enabling it).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # "preload" only consents to a submission to browsers' preload list (accepted for a
    # registrable domain, not a subdomain such as claims.example.org); it submits nothing.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # /healthz is asked over plain HTTP by the container's health check and the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]

# --- Fetching live URLs ------------------------------------------------------------------------

# Live fetches go only to public addresses (releases/services/url_safety.py); these hosts are
# fetched wherever they point: a mirror on the private network, or a test's local server.
CLAIMSDB_FETCH_ALLOWED_HOSTS = env_list("CLAIMSDB_FETCH_ALLOWED_HOSTS", [])

# --- Login throttling (django-axes) -----------------------------------------------------------

# After LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, every login for
# that pair is refused (even with the right password) for LOGIN_LOCKOUT_MINUTES. Keyed on the
# pair, not the username alone, so nobody can lock an analyst out from elsewhere by guessing.
# A success before the limit resets the count. `manage.py axes_reset_username NAME` unlocks.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The lockout is logged as a warning; every login attempt at INFO would drown the log.
AXES_VERBOSE = False

# --- Cache: Redis when REDIS_URL is set, else this process's memory ---------------------------

# The API's response cache, its rate limits and the public pages' cache all use "default".
# Entries are keyed on the data version, so nothing is ever stale: old keys simply expire.
CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
CACHE_TIMEOUT = env_int("CACHE_TIMEOUT", 3600, minimum=1)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "claimsdb.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "TIMEOUT": CACHE_TIMEOUT,
            "KEY_PREFIX": "claimsdb",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "claimsdb.cache.LocMemCache",
            "LOCATION": "claimsdb",
            "TIMEOUT": CACHE_TIMEOUT,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# --- REST API (releases/api/) -----------------------------------------------------------------

# Requests per period ("second", "minute", "hour", "day"), per client IP for anonymous readers
# and per token (or session user) for signed-in ones. Counted in the default cache.
API_ANON_RATE = env_str("API_ANON_RATE", "600/minute")
API_USER_RATE = env_str("API_USER_RATE", "1200/minute")
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["releases.api.permissions.AnalystWritesOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": [
        "releases.api.throttling.AnonymousRateThrottle",
        "releases.api.throttling.TokenRateThrottle",
    ],
    "DEFAULT_FILTER_BACKENDS": ["releases.api.filters.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "releases.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "releases.api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "releases.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "releases.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

REST_KNOX = {
    # Only the hash of a token is stored (knox's default); the token is shown once, in the admin.
    "TOKEN_TTL": None,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "releases.api.schema.no_nul_in_query_strings",
    ],
    "TITLE": "claimsdb API",
    "DESCRIPTION": (
        "Vendors' claims about their AI models, the independent measurements behind each "
        "verdict, and the archived bytes every number came from. Reads are open; writes need an "
        "analyst's token. See the README's API section."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "VerdictEnum": "releases.models.GapScore.Verdict",
        "ReviewStatusEnum": "releases.models.GapScore.Review",
        "ClaimKindEnum": "releases.models.Claim.Kind",
        "ClaimStatusEnum": "releases.models.Claim.Status",
        "SnapshotStatusEnum": "releases.models.Snapshot.Status",
        "VariantKindEnum": "releases.models.ModelVariant.Kind",
        "BenchmarkUnitEnum": "releases.models.Benchmark.Unit",
    },
}

# Cross-origin reads for browser dashboards; writes need a token, which CORS does not carry.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link"]

# --- Celery -----------------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# No broker configured: run every task in-process, so the embedded default needs no services.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only once it finished, so a worker killed mid-task has it redelivered;
# tasks are idempotent, which makes running one twice safe.
CELERY_TASK_ACKS_LATE = True
# The queue tasks are sent to and workers read by default; tests give each worker its own.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_DEFAULT_QUEUE", "celery")
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 900, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int(
    "CELERY_TASK_SOFT_TIME_LIMIT", max(1, CELERY_TASK_TIME_LIMIT - 60), minimum=1
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # How long Redis waits for an unacknowledged task before redelivering it. Longer than the
    # hard time limit, or a slow task would be handed to a second worker while still running.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 300),
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
