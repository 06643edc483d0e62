"""Production settings for the app servers the two-server test starts, with
static files read from the source folders (as the rest of the suite does),
so that no `collectstatic` is needed."""

from smp_site.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
