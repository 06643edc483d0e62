"""
The Celery application: background jobs (email, alerts, document text,
search index rebuilds) and the periodic ones (Celery beat). Its settings are
the CELERY_* ones in smp_site/settings.py.

    celery -A smp_site worker      # runs the jobs
    celery -A smp_site beat        # queues the periodic ones (one per site)
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")

app = Celery("smp_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
