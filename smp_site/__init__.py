# Loaded with Django, so that tasks queued by the site use its Celery app.
from .celery import app as celery_app

__all__ = ["celery_app"]
