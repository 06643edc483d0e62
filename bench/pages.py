"""
Part of `make bench` (bench/run.py): picks the pages to measure in the bench
database and prints, as JSON, each page's path, its SQL query count and its
median time to build uncached (in this process, through Django's test
client, with the page cache off). With --size, prints the data's size.

The pages are the largest of their kind, so that growth shows: the
partnership with the most meetings, the meeting with the most items.
"""

import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

RENDERS = 15


def pages():
    from meetings.models import AgendaItem, Meeting
    from partnerships.models import Partnership

    found = {"home": "/"}
    partnership = Partnership.objects.annotate(n=Count("meetings")).order_by("-n", "pk").first()
    found["partnership"] = partnership.get_absolute_url()
    found["meetings list"] = reverse("meetings:index")
    found["partnership meetings"] = reverse("meetings:partnership", args=[partnership.slug])
    meeting = Meeting.objects.annotate(n=Count("items")).order_by("-n", "pk").first()
    found["meeting"] = meeting.get_absolute_url()
    item = AgendaItem.objects.filter(meeting=meeting, minute_number__isnull=False).order_by("order").first()
    found["minute"] = item.get_absolute_url()
    from consultation.models import Consultation

    consultation = Consultation.objects.order_by("pk").first()
    if consultation:
        found["consultation start"] = consultation.get_absolute_url()
    with contextlib.suppress(NoReverseMatch):  # search arrives with issue 6
        found["search"] = reverse("search:search") + "?q=knife+crime"
    return found


def measure(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    # Counted now: every request clears the connection's query log.
    count = len(queries)
    times = []
    for _ in range(RENDERS):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {"path": path, "queries": count, "render_ms": round(statistics.median(times), 2)}


def size():
    from meetings.models import AgendaItem, Attendance, Meeting, Resolution
    from partnerships.models import Partnership

    return (
        f"{Partnership.objects.count()} partnerships, {Meeting.objects.count()} meetings, "
        f"{AgendaItem.objects.count()} minutes, {Resolution.objects.count()} resolutions, "
        f"{Attendance.objects.count()} attendance records"
    )


if __name__ == "__main__":
    if "--size" in sys.argv:
        print(json.dumps(size()))
    else:
        setup_test_environment()
        client = Client()
        print(json.dumps({name: measure(client, path) for name, path in pages().items()}))
