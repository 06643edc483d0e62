"""
How much CPU an uncached meeting page and minute page cost to build, in this
process (Django's test client, page cache and DEBUG off), on the seed content
of the database DATABASE_URL names (`manage.py load_initial_content` first).

    .venv/bin/python bench/page_build.py            # median of 30 builds each
    .venv/bin/python bench/page_build.py --profile  # and where the time goes

Each page is built two ways, the page cache off: whole (no fragment cached),
and with its items' bodies cached (meetings.page_content.load_item_bodies),
as a page-cache miss finds them after a correction of another item's
wording, an eviction, or a minute page read after its meeting's page.

Times are time.process_time(): this process's CPU, not the database server's.
"""

import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ["PAGE_FRAGMENT_SECONDS"] = "0"
os.environ["DEBUG"] = "False"
os.environ["SECURE_SSL_REDIRECT"] = "False"
os.environ.setdefault("SECRET_KEY", "page-build-measurement-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")

import django

django.setup()
logging.getLogger("smp_site.requests").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from smp_site.wsgi import freeze_loaded_site  # noqa: E402

MEETING = "/meetings/sefton-safer-communities-partnership/2020-03-12/"
MINUTE = MEETING + "minute-49/"
BUILDS = 30


def build(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.get("Location"))
    return response


def median_cpu_ms(client, path):
    build(client, path)  # warm: imports, templates, URL resolvers
    times = []
    for _ in range(BUILDS):
        start = time.process_time()
        build(client, path)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def query_count(client, path):
    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        build(client, path)
    return len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions too")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    setup_test_environment()
    freeze_loaded_site()  # as each gunicorn worker does (bench/pages.py)
    client = Client()
    for name, path, fragments in [
        ("meeting", MEETING, False),
        ("minute", MINUTE, False),
        ("meeting", MEETING, True),
        ("minute", MINUTE, True),
    ]:
        # The page cache stays off: every build is a miss.
        settings.PAGE_FRAGMENT_SECONDS = 86400 if fragments else 0
        how = "item bodies cached" if fragments else "whole"
        build(client, path)  # the fragments stored, when they are on
        queries = query_count(client, path)
        print(
            f"{name:8} {how:18} {path}: {median_cpu_ms(client, path):.2f} ms CPU "
            f"(median of {BUILDS}), {queries} queries"
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                build(client, path)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
