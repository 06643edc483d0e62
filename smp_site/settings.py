"""
Settings for the Merseyside community-safety partnerships website.

Everything that differs between a laptop and production comes from environment
variables, read through the small helpers below (the README lists them all).
The defaults are the safe production ones: DEBUG is off unless asked for, and
a SECRET_KEY must then be given.
"""

import datetime
import os
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
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used where a page must name itself in full
# (feeds, calendar links, emails).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Merseyside Community Safety Partnerships")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # issue 6: sitemap.xml
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",  # issue 5: audit trail of every change to content
    "smp_site",
    "partnerships",
    "meetings",
    "consultation",
    # --- issue 6: glossary and open data ---
    "glossary",
    "api",
    # --- end issue 6 ---
    # --- issue 6: search, and following (calendars, feeds, email alerts) ---
    "django.contrib.postgres",
    "search",
    "follow",
    # --- end search and follow ---
]

MIDDLEWARE = [
    "smp_site.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "smp_site.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # issue 6: the JSON API's CORS headers and 304s; outside the page cache,
    # so that cached responses get them too.
    "api.middleware.ApiMiddleware",
    # An ETag on every page, and 304 for a browser whose copy is current;
    # outside the page cache so that cached pages answer conditionally too.
    "django.middleware.http.ConditionalGetMiddleware",
    "smp_site.page_cache.PublicPageCacheMiddleware",
    # Compresses pages (with Django's BREACH mitigation) inside the page
    # cache, so that a cached page is compressed once, and outside the
    # glossary, which rewrites the HTML; static files come precompressed
    # from WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    # issue 6: <abbr> on first uses of glossary terms; inside the page cache,
    # so that cached pages are stored already marked up.
    "glossary.middleware.GlossaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # issue 5: the audit trail records which signed-in user made each change.
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches, shared by every gunicorn worker. "default" holds what must not
# be evicted (the survey's rate-limit counters); "pages" holds whole public
# pages (smp_site/page_cache.py), sized for a national site's working set and
# free to evict. The database by default, so that a newcomer needs no server;
# Redis when REDIS_URL is set (pages on PAGE_CACHE_REDIS_URL if given: a
# Redis of their own with an LRU eviction policy; see docs/caching.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE_REDIS_URL = os.environ.get("PAGE_CACHE_REDIS_URL", REDIS_URL)
PAGE_CACHE_MAX_ENTRIES = envint("PAGE_CACHE_MAX_ENTRIES", "200000")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PAGE_CACHE_REDIS_URL,
            "KEY_PREFIX": "pages",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Counters are few; nothing else may push them out.
            "OPTIONS": {"MAX_ENTRIES": 100000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "page_cache",
            # Culling a tenth at a time keeps the most of a full cache.
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES, "CULL_FREQUENCY": 10},
        },
    }

# Public pages are cached whole for anonymous visitors (smp_site/page_cache.py)
# and dropped the moment a change they show commits; the lifetime only bounds
# how long a page that depends on the clock ("upcoming meetings") may lag.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "300")
PAGE_CACHE_EXCLUDE = ("/admin/", "/healthz", "/documents/")
# A CDN or reverse proxy in front may keep public pages this long
# (s-maxage) when it is purged on change: CDN_PURGE_URL receives a PURGE
# request naming the Surrogate-Keys of the pages a change makes stale.
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
SHARED_CACHE_SECONDS = envint("SHARED_CACHE_SECONDS", "300" if CDN_PURGE_URL else "0")

# `make bench` compares every page with a trivial view through the same stack;
# the view exists only when this is on.
BENCH_BASELINE = envbool("BENCH_BASELINE", "False")

# Staff sign-in. django-axes locks a user name out, from the address it was
# tried from, after repeated failures; staff can turn on TOTP two-factor
# sign-in for the admin (django-otp) with STAFF_TWO_FACTOR.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "403_lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
STAFF_TWO_FACTOR = envbool("STAFF_TWO_FACTOR", "False")
OTP_TOTP_ISSUER = "Merseyside partnerships staff admin"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
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
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed files with content-hashed names, served by WhiteNoise with a
    # far-future cache lifetime.
    "staticfiles": {"BACKEND": "smp_site.storage.StaticStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Browsers talk to the site over HTTPS in production (the proxy in front
# terminates TLS); `make serve` on a laptop turns these off through the env.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False" if DEBUG else "True")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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

# Logs go to standard error for the process manager to collect; the request
# log (smp_site.middleware.RequestLogMiddleware) writes one JSON object a line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "message": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "smp_site.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        # The request log above replaces Django's own line per request.
        "django.server": {"level": "WARNING"},
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# --- meetings (issue 3): documents clerks upload to meetings. Larger files
# are refused with a message; council report packs rarely pass 20 MB. ---
MEETINGS_DOCUMENT_MAX_BYTES = envint("MEETINGS_DOCUMENT_MAX_MB", "20") * 1024 * 1024
# --- end meetings ---

# --- consultation (issue 4): abuse limits for the resident survey. ---
# Submissions a client may send an hour, counted in the shared cache: generous
# for a household or library computer, low enough to stop a flood.
CONSULTATION_RATE_LIMIT = envint("CONSULTATION_RATE_LIMIT", "30")
# Behind a proxy, the META key holding the client address it saw (for example
# HTTP_X_FORWARDED_FOR); empty uses REMOTE_ADDR.
CONSULTATION_CLIENT_IP_HEADER = os.environ.get("CONSULTATION_CLIENT_IP_HEADER", "")
# --- end consultation ---

# --- issue 6: email alerts. Mail is queued in the database (follow.models.
# OutgoingEmail) and sent by `manage.py send_queued_email`, never during a
# page view. Setting EMAIL_HOST switches from the console to SMTP unless
# EMAIL_BACKEND says otherwise. ---
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST and "EMAIL_BACKEND" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
# Seconds before a send gives up (the message then stays queued).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")
# --- end email alerts ---
