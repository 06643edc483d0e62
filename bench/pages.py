"""
Part of `make bench` (bench/run.py): picks the pages to measure in the bench
database and prints, as JSON, each page's path, its SQL query count and its
median time to build uncached (in this process, through Django's test
client, with the page cache off). With --size, prints the data's size.

With --builder it builds pages when asked, for bench/run.py, which runs one
such process on each database and asks them in turn (build_growth): each
line read is a path and a number of builds, made in a row uncached; each
line written is the median of their times in milliseconds, as JSON. The
first build of a path is not timed (it compiles the templates and prepares
the queries).

The pages are the seed content's own, measured at both sizes.
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

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from smp_site.wsgi import freeze_loaded_site  # noqa: E402

RENDERS = 15


def pages():
    """The same pages at both sizes (so that the query counts must match, and
    time growth shows what the bigger tables cost): the seed content's own
    pages, the fullest of their kind there."""
    from consultation.models import Consultation
    from meetings.models import AgendaItem, Meeting
    from partnerships.models import Partnership

    smp = Partnership.objects.get(slug="safer-merseyside-partnership")
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    meeting = Meeting.objects.get(partnership=sefton, date="2020-03-12")
    # Minute 49 has resolutions and a cross-reference to 5 December 2019.
    minute = AgendaItem.objects.get(meeting=meeting, minute_number=49)
    found = {
        "home": "/",
        "partnership": smp.get_absolute_url(),
        "meetings list": reverse("meetings:index"),
        "partnership meetings": reverse("meetings:partnership", args=[sefton.slug]),
        "meeting": meeting.get_absolute_url(),
        "minute": minute.get_absolute_url(),
        "consultation start": Consultation.objects.get(slug="police-precept").get_absolute_url(),
        "person": busiest_person().get_absolute_url(),
    }
    with contextlib.suppress(NoReverseMatch):
        # "knife crime" lists 2 results on the seed content and a full page
        # of 20 at scale, so part of its growth is the longer list; a word
        # that fills the page at both sizes shows what the index's size costs.
        found["search"] = reverse("search:search") + "?q=knife+crime"
        found["search, a full page"] = reverse("search:search") + "?q=partnership"
    return found


def busiest_person():
    """The person of the seed content the minutes record at the most
    meetings (a person's page lists each): the same person at both sizes,
    since the dataset adds its people apart from the seed content's."""
    from django.db.models import Count

    from partnerships.models import Person

    return (
        Person.objects.exclude(slug__startswith="synthetic-")
        .annotate(meetings=Count("attendances"))
        .order_by("-meetings", "slug")
        .first()
    )


def measure(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    # Counted now: every request clears the connection's query log.
    count = len(queries)
    times = [build(client, path) for _ in range(RENDERS)]
    return {
        "path": path,
        "queries": count,
        "render_ms": round(statistics.median(times), 2),
        # How much the page shows, to read its growth beside: a page that
        # lists more at scale (search's results) is built from more.
        "bytes": len(response.content),
    }


def build(client, path):
    """One uncached build of `path`, in milliseconds."""
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def builder(client, lines, out):
    built = set()
    for line in lines:
        path, count = line.split()
        if path not in built:
            build(client, path)
            built.add(path)
        times = [build(client, path) for _ in range(int(count))]
        out.write(json.dumps(round(statistics.median(times), 3)) + "\n")
        out.flush()


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
        # As a gunicorn worker does once it has loaded the site: what the
        # process holds for its life is not scanned again by each collection.
        freeze_loaded_site()
        client = Client()
        if "--builder" in sys.argv:
            builder(client, sys.stdin, sys.stdout)
        else:
            print(json.dumps({name: measure(client, path) for name, path in pages().items()}))
