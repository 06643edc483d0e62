"""
Settings for the Merseyside community-safety partnerships website.

Everything that differs between a laptop and production comes from environment
variables, read through the small helpers below (docs/configuration.md lists them all).
The defaults are the safe production ones: DEBUG is off unless asked for, and
a SECRET_KEY must then be given.
"""

import datetime
import os
import uuid
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")

# Required whenever DEBUG is off, and refused where it matters: the site will
# not start serving without it (smp_site/wsgi.py), and Django signs nothing
# with an empty key. Management commands that sign nothing (check,
# makemigrations, migrate) still run, so that tooling works without secrets.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used where a page must name itself in full
# (feeds, calendar links, emails). In development it follows the port
# `make run PORT=...` serves on, so that links in emails and feeds work.
PORT = envint("PORT", "8000")
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
# The namespace of the ids of feeds, feed entries and calendar events
# (follow/ids.py): fixed, never the serving address, so that they stay the
# same when the site moves. Set once per installation; never change it.
STABLE_ID_NAMESPACE = uuid.UUID(os.environ.get("STABLE_ID_NAMESPACE", "e32c1e8d-ae5a-42fa-92da-b1bb61bcb0f8"))
SITE_NAME = os.environ.get("SITE_NAME", "Merseyside Community Safety Partnerships")
# Where the error page (which must not touch the database) sends people for
# help. Empty unless set: the site never invents contact details.
SITE_HELP_EMAIL = os.environ.get("SITE_HELP_EMAIL", "")
SITE_HELP_PHONE = os.environ.get("SITE_HELP_PHONE", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # sitemap.xml
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # backup codes for two-factor sign-in
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",  # the audit trail of every change to content
    "foundation",
    "smp_site",
    "partnerships",
    "meetings",
    "consultation",
    "glossary",
    # The layer above the apps: how meetings are written, and the list of
    # what is content (publishing/content.py).
    "publishing",
    "rest_framework",
    "drf_spectacular",
    "api",
    # Search (full-text on PostgreSQL through django.contrib.postgres), and
    # following (calendars, feeds, email alerts).
    "django.contrib.postgres",
    "search",
    "follow",
]

MIDDLEWARE = [
    "smp_site.middleware.RequestLogMiddleware",
    # Health checks answer whatever the Host header (a container's check
    # and a load balancer's ask by address), so before host validation.
    "smp_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "smp_site.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # The JSON API's CORS headers and 304s; outside the page cache,
    # so that cached responses get them too.
    "api.middleware.ApiMiddleware",
    # Before the page cache, sessions and CSRF (and inside the security
    # headers and CSP): an address over its limit of sign-in attempts is
    # answered without further work.
    "smp_site.staff_sign_in.SignInRateLimitMiddleware",
    # An ETag on every page, and 304 for a browser whose copy is current;
    # outside the page cache so that cached pages answer conditionally too.
    "django.middleware.http.ConditionalGetMiddleware",
    "foundation.page_cache.PublicPageCacheMiddleware",
    # Compresses pages (with Django's BREACH mitigation) inside the page
    # cache, so that a cached page is compressed once; static files come
    # precompressed from WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    # Django's, sending a page it has built even when only refreshing an
    # unchanged session fails (the database is down).
    "smp_site.middleware.ResilientSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The audit trail records which signed-in user made each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smp_site.urls"
WSGI_APPLICATION = "smp_site.wsgi.application"

_template_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smp_site.context_processors.site",
            ],
            # Templates are parsed once per process in production; in
            # development they are re-read so that edits show at once.
            "loaders": _template_loaders
            if DEBUG
            else [("django.template.loaders.cached.Loader", _template_loaders)],
        },
    },
]

# Each history row says why it was written: the operation and its transitions
# ("Edited in the minutes editor; Publish the agenda; ..."), and a site
# administrator's reason for amending confirmed minutes, which is as long as
# it needs to be. Text, not the library's 100 characters (which PostgreSQL
# refuses to exceed).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# SQLite in a file beside the code unless DATABASE_URL names another database
# (PostgreSQL in production and CI). Connections are kept open between
# requests in production, and checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0 if DEBUG else envint("CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}
# Every wait for PostgreSQL is bounded, so that a database that hangs (a
# partition: connections open, nothing answered) costs a request seconds
# and a styled 503, never a worker thread for the whole outage
# (foundation/postgresql/base.py, docs/operations.md). libpq gives up
# connecting after DATABASE_CONNECT_TIMEOUT and notices a dead peer by TCP
# keepalives and tcp_user_timeout; the server ends a statement after
# DATABASE_STATEMENT_TIMEOUT seconds (0: never; gunicorn.conf.py sets it for
# the web server, not for commands and jobs that may rightly take longer);
# our watchdog ends a wait the server never answers a second after that, or
# after DATABASE_HEALTH_CHECK_SECONDS for the check before a connection is
# reused; and once the database fails, no connection is tried for
# DATABASE_RETRY_SECONDS.
DATABASE_CONNECT_TIMEOUT = envint("DATABASE_CONNECT_TIMEOUT", "2")
DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "0"))
DATABASE_QUERY_SECONDS = DATABASE_STATEMENT_TIMEOUT + 1 if DATABASE_STATEMENT_TIMEOUT else 0
DATABASE_HEALTH_CHECK_SECONDS = float(os.environ.get("DATABASE_HEALTH_CHECK_SECONDS", "2"))
DATABASE_RETRY_SECONDS = float(os.environ.get("DATABASE_RETRY_SECONDS", "1"))
# The queries of a fixed shape (foundation.fixed_queries) are prepared once
# per connection, so PostgreSQL plans them once. Turn this off behind a
# pooler that hands each transaction a different server connection
# (PgBouncer's transaction mode), where a prepared statement may be missing.
DATABASE_PREPARED_STATEMENTS = envbool("DATABASE_PREPARED_STATEMENTS", "True")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "foundation.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 3,
            "keepalives_count": 3,
            # Milliseconds that sent data may stay unacknowledged.
            "tcp_user_timeout": 10_000,
        }
    )
    if DATABASE_STATEMENT_TIMEOUT:
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches, shared by every gunicorn worker. "default" holds what must not
# be evicted (the staff sign-in counters); "pages" holds whole public
# pages (foundation/page_cache.py), sized for a national site's working set and
# free to evict. The database by default, so that a newcomer needs no server;
# Redis when REDIS_URL is set (pages on PAGE_CACHE_REDIS_URL if given: a
# Redis of their own with an LRU eviction policy; see docs/caching.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE_REDIS_URL = os.environ.get("PAGE_CACHE_REDIS_URL", REDIS_URL)
PAGE_CACHE_MAX_ENTRIES = envint("PAGE_CACHE_MAX_ENTRIES", "200000")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs rather than refuses must not hold a page for
            # long: the page is built uncached instead (foundation/failsafe_cache.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PAGE_CACHE_REDIS_URL,
            "KEY_PREFIX": "pages",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "foundation.db_cache.DatabaseCache",
            "LOCATION": "django_cache",
            # Counters are few; nothing else may push them out.
            "OPTIONS": {"MAX_ENTRIES": 100000},
        },
        "pages": {
            "BACKEND": "foundation.db_cache.DatabaseCache",
            "LOCATION": "page_cache",
            # Culling a tenth at a time keeps the most of a full cache.
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES, "CULL_FREQUENCY": 10},
        },
    }

# A cache, or the job broker, that fails (or hangs until its socket timeout)
# is not called again for this long: callers go without it at once
# (foundation/failsafe_cache.py, foundation/jobs.py).
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "3"))
# While the page cache cannot answer (or its circuit is open), each process
# serves the pages it served or built in the last PAGE_CACHE_LOCAL_SECONDS
# from its own memory, at most PAGE_CACHE_LOCAL_MAX_MB of them: so a change
# saved meanwhile shows everywhere within that bound (docs/caching.md).
# While the cache answers, only the cache is read. 0 turns the copy off.
PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "5"))
CACHE_LOCAL_COPIES = {
    "pages": {
        "SECONDS": PAGE_CACHE_LOCAL_SECONDS,
        "MAX_BYTES": envint("PAGE_CACHE_LOCAL_MAX_MB", "32") * 1024 * 1024,
    }
}
BROKER_RETRY_SECONDS = float(os.environ.get("BROKER_RETRY_SECONDS", "5"))

# Public pages are cached whole for anonymous visitors (foundation/page_cache.py)
# and dropped the moment a change they show commits, or a new release of the
# code starts; pages that depend on the clock say until when they hold. So
# the lifetime is long: a national site's rarely read pages stay cached
# between their readers. It bounds only what no version can (docs/caching.md).
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "86400")
# Part of every page's key with the templates and static manifest: bump it
# when deploying a Python change that alters what pages show (docs/caching.md).
PAGE_CACHE_EPOCH = os.environ.get("PAGE_CACHE_EPOCH", "")
# A page built by the previous release's Python code is rebuilt within this.
PAGE_CACHE_PREVIOUS_RELEASE_SECONDS = envint("PAGE_CACHE_PREVIOUS_RELEASE_SECONDS", "600")
# Parts of pages kept apart (each agenda item's rendered body), so that a page
# rebuilt after a change rebuilds only what the change touched: as long as
# pages by default, 0 turns them off (docs/caching.md, "Fragments").
PAGE_FRAGMENT_SECONDS = envint("PAGE_FRAGMENT_SECONDS", "-1")
PAGE_CACHE_EXCLUDE = ("/admin/", "/healthz", "/readyz", "/documents/")
# A CDN or reverse proxy in front may keep public pages this long
# (s-maxage) when it is purged on change: CDN_PURGE_URL receives a PURGE
# request naming the Surrogate-Keys of the pages a change makes stale.
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
SHARED_CACHE_SECONDS = envint("SHARED_CACHE_SECONDS", "300" if CDN_PURGE_URL else "0")

# `make bench` compares every page with a trivial view through the same stack;
# the view exists only when this is on.
BENCH_BASELINE = envbool("BENCH_BASELINE", "False")
# With it, the view echoes this token (X-Bench-Server): the benchmark checks
# that the server answering is the one it started.
BENCH_SERVER_TOKEN = os.environ.get("BENCH_SERVER_TOKEN", "") if BENCH_BASELINE else ""

# Staff sign-in. django-axes locks out a user name (from anywhere), and an
# address (whatever user names it tries, so that spraying one password over
# many accounts is stopped), after repeated wrong passwords; each address
# also has a limit on sign-in attempts, right or wrong
# (smp_site/staff_sign_in.py). Two-factor sign-in (django-otp,
# smp_site/two_factor.py): anyone who has set up an authenticator app is
# asked for a code; STAFF_TWO_FACTOR makes every staff member set one up.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The address as our own proxy saw it (CONSULTATION_CLIENT_IP_HEADER), so
# that behind a proxy each client is counted, not the proxy.
AXES_CLIENT_IP_CALLABLE = "consultation.ratelimit.client_address"
# The lockout page says in plain words which lockout, and the time left
# worked out from the failed attempts (with Retry-After).
AXES_LOCKOUT_CALLABLE = "smp_site.staff_sign_in.lockout_response"
AXES_RESET_ON_SUCCESS = True
# An attempt refused because of a lockout (429) is not recorded: it would
# count against the user name tried, so anyone could lock any account out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
STAFF_SIGN_IN_RATE_LIMIT = envint("STAFF_SIGN_IN_RATE_LIMIT", "20")
STAFF_SIGN_IN_RATE_WINDOW_SECONDS = 15 * 60
# A password-reset link works once, and for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
# A reset request is answered this long after it began whatever the address,
# so that its timing does not show which addresses are staff
# (smp_site/staff_sign_in.py): well above the work for a staff address.
PASSWORD_RESET_ANSWER_SECONDS = float(os.environ.get("PASSWORD_RESET_ANSWER_SECONDS", "0.25"))
# At most one reset email an account in this many minutes (the link in it
# works for PASSWORD_RESET_TIMEOUT).
PASSWORD_RESET_EMAIL_MINUTES = envint("PASSWORD_RESET_EMAIL_MINUTES", "5")
STAFF_TWO_FACTOR = envbool("STAFF_TWO_FACTOR", "False")
# How long, after the right password, the code may be entered (or an
# authenticator app set up) before signing in starts again.
STAFF_TWO_FACTOR_STEP_SECONDS = 10 * 60
OTP_TOTP_ISSUER = "Merseyside partnerships staff admin"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's check above misses a user name with enough added to it.
    {"NAME": "smp_site.staff_sign_in.UserAttributeInPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic puts the static files (the image collects them at build).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded documents: on the app server's disk, or, when a bucket is named,
# in an S3-compatible object store shared by every app server (see
# "Object storage" below).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
STORAGES = {
    "default": {
        "BACKEND": "foundation.storage.DocumentStorage"
        if AWS_STORAGE_BUCKET_NAME
        else "django.core.files.storage.FileSystemStorage"
    },
    # Compressed files with content-hashed names, served by WhiteNoise with a
    # far-future cache lifetime.
    "staticfiles": {"BACKEND": "foundation.storage.StaticStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Browsers talk to the site over HTTPS in production (the proxy in front
# terminates TLS); `make serve` on a laptop turns these off through the env.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False" if DEBUG else "True")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("SECURE_HSTS_SECONDS", "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "False" if DEBUG else "True")
SESSION_COOKIE_HTTPONLY = True
# Sessions (a signed-in clerk, or a resident part-way through a consultation)
# end after this long without use.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(4 * 60 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: scripts, styles and images from this site only;
# no inline script or style anywhere (templates keep both in static files),
# and no framing by other sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Logs go to standard error for the process manager to collect, one JSON
# object a line (smp_site.logs): a traceback is a field of its line, and every
# line written while a request is handled carries that request's id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "smp_site.logs.RequestIdFilter"},
        "disallowed_host_once": {"()": "smp_site.log_filters.DisallowedHostOnce"},
        "client_error_without_traceback": {"()": "smp_site.log_filters.ClientErrorWithoutTraceback"},
    },
    "formatters": {
        "json": {"()": "smp_site.logs.JsonFormatter"},
    },
    "handlers": {
        # A request answered with a 4xx: one warning line, whichever logger.
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "client_error_without_traceback"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log (smp_site.middleware) replaces Django's own line
        # per request.
        "django.server": {"level": "WARNING"},
        # A request for a host the site does not serve: one warning per host.
        "django.security.DisallowedHost": {"filters": ["disallowed_host_once"]},
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# Documents clerks upload to meetings. Larger files are refused with a
# message; council report packs rarely pass 20 MB.
MEETINGS_DOCUMENT_MAX_BYTES = envint("MEETINGS_DOCUMENT_MAX_MB", "20") * 1024 * 1024
# An Office or OpenDocument file is a zip package: these bound what it may
# unpack to (a "zip bomb" of a few hundred kilobytes can hold gigabytes).
MEETINGS_DOCUMENT_MAX_UNPACKED_BYTES = envint("MEETINGS_DOCUMENT_MAX_UNPACKED_MB", "100") * 1024 * 1024
MEETINGS_DOCUMENT_MAX_PARTS = envint("MEETINGS_DOCUMENT_MAX_PARTS", "5000")
# Minutes brought in through "Import minutes" and the import commands
# (meetings/importers/limits.py): what a file may unpack to, the longest text
# read from it, and how long reading it may take, so that one upload cannot
# hold a worker's memory or time.
MEETINGS_IMPORT_MAX_UNPACKED_BYTES = envint("MEETINGS_IMPORT_MAX_UNPACKED_MB", "40") * 1024 * 1024
MEETINGS_IMPORT_MAX_XML_BYTES = envint("MEETINGS_IMPORT_MAX_XML_MB", "8") * 1024 * 1024
MEETINGS_IMPORT_MAX_CHARACTERS = envint("MEETINGS_IMPORT_MAX_CHARACTERS", "2000000")
MEETINGS_IMPORT_MAX_PDF_PAGES = envint("MEETINGS_IMPORT_MAX_PDF_PAGES", "300")
MEETINGS_IMPORT_MAX_SECONDS = envint("MEETINGS_IMPORT_MAX_SECONDS", "30")

# Abuse limits for the resident survey (consultation).
# Submissions a client may send an hour, counted in the database: generous
# for a household or library computer, low enough to stop a flood.
CONSULTATION_RATE_LIMIT = envint("CONSULTATION_RATE_LIMIT", "30")
# Behind a proxy, the META key holding the client address it saw (for example
# HTTP_X_FORWARDED_FOR); empty uses REMOTE_ADDR.
CONSULTATION_CLIENT_IP_HEADER = os.environ.get("CONSULTATION_CLIENT_IP_HEADER", "")

# Email-alert sign-ups a client may make an hour (each sends a confirmation
# email), counted in the database like the survey's; 0 turns it off.
ALERTS_RATE_LIMIT = envint("ALERTS_RATE_LIMIT", "10")

# Email alerts. Mail is queued in the database (follow.models.
# OutgoingEmail) and sent by `manage.py send_queued_email`, never during a
# page view. Setting EMAIL_HOST switches from the console to SMTP unless
# EMAIL_BACKEND says otherwise.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST and "EMAIL_BACKEND" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
# Seconds before a send gives up (the message then stays queued).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")

# Background jobs, object storage, error reporting.
# Celery runs email, alerts, document text extraction and index rebuilds
# (smp_site/celery.py). Redis is the broker when REDIS_URL or
# CELERY_BROKER_URL names one; with neither, tasks run in the process that
# asks for them, at once, so a laptop needs no worker.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL", REDIS_URL)
# In-process, kombu's in-memory transport with a host named: never used to
# send (the task runs at once), but kombu warns on every job when no broker
# host is given.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL) or "memory://localhost/"
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it has finished, so one cut off by a worker
# restart runs again (every task is safe to run twice).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING above (JSON), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Give up quickly when the broker is down: the work is recorded in the
# database first and a periodic sweep (follow.tasks) picks it up.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "max_retries": 1}
CELERY_BEAT_SCHEDULE = {
    "queue-alerts": {"task": "follow.tasks.queue_alerts", "schedule": 15 * 60},
    "send-unsent-email": {"task": "follow.tasks.send_unsent_email", "schedule": 10 * 60},
}

# S3-compatible object storage (django-storages) for uploads, when
# AWS_STORAGE_BUCKET_NAME is set: AWS itself, or MinIO and the like through
# AWS_S3_ENDPOINT_URL. Objects are private; downloads are redirected to
# signed addresses that expire after AWS_QUERYSTRING_EXPIRE seconds.
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = envint("AWS_QUERYSTRING_EXPIRE", "60")
AWS_S3_FILE_OVERWRITE = False
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE", "path" if AWS_S3_ENDPOINT_URL else "auto")

# /readyz gives each dependency this long to answer.
READINESS_TIMEOUT_SECONDS = float(os.environ.get("READINESS_TIMEOUT_SECONDS", "2"))

# Errors go to Sentry as well as the log when SENTRY_DSN is set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=0,
        # Residents' addresses and searches stay out of error reports.
        send_default_pii=False,
    )
# The JSON API (api/): Django REST framework, read-only and anonymous, with
# its OpenAPI 3 description by drf-spectacular at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.ReadableJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "api.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME}: open data API",
    "DESCRIPTION": "Partnerships, people, seats, meetings, resolutions and consultations, with Popolo and "
    "Open Civic Data names. Read-only, free, no key.",
    "VERSION": "1",
    # 3.1: a null reference is `oneOf: [{$ref}, {type: null}]`, which 3.0 cannot say.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SERVERS": [{"url": SITE_URL}],
}
