import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (configured by the line above)

# Fail at start-up, not on the first request, when production has no secret
# key: Django refuses to read an empty one ("must not be empty").
settings.SECRET_KEY  # noqa: B018
