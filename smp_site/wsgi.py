import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (configured by the line above)

# Fail at start-up, not on the first request, when production has no secret
# key: Django refuses to read an empty one ("must not be empty").
settings.SECRET_KEY  # noqa: B018


def freeze_loaded_site():
    """Once a process has loaded the site, put everything it holds for its
    whole life (Django, the URLconf, which Django would otherwise import at
    the first request, the apps' modules) out of the garbage collector's
    reach with gc.freeze(). A page that makes many objects sets off full
    collections, and each went through all of it again: a page of fifty
    events in the API (17,000 model instances) took 245 ms to build, 110 to
    140 ms with the worker's own objects frozen (docs/caching.md). Each
    gunicorn worker does this (gunicorn.conf.py), and so does the bench's
    page builder, which measures what a worker does (bench/pages.py)."""
    import gc

    from django.urls import reverse

    reverse("home")
    gc.freeze()
