"""Settings for the test suite: the production settings, with what a test run
cannot have (a secret, HTTPS, collected static files) set for it."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-secret")

from .settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
# Static files come from the source folders, as in development, so that the
# suite does not need `collectstatic` to have run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Hashing passwords slowly is a production virtue and a test-suite cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One folder for each of pytest-xdist's processes, so that no test sees
# another's uploads.
MEDIA_ROOT = BASE_DIR / ".test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
# Whole-page caching is switched on only by the tests that test it, so that
# every other test sees (and counts the queries of) a freshly built page.
PAGE_CACHE_SECONDS = 0
# django-axes needs the request at every sign-in, which the test client's
# login() does not pass; the lockout tests switch it back on.
AXES_ENABLED = False
# A dependency that failed is tried again at once (no circuit breaker's
# pause), so that a test can restore it and go on; the tests of the
# breakers set their own pauses.
CACHE_RETRY_SECONDS = DATABASE_RETRY_SECONDS = BROKER_RETRY_SECONDS = 0
