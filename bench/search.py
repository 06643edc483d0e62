"""
Search timings for `make bench`: a fixed list of realistic searches, with and
without filters, run in-process through SearchEntry.objects.search (the
method the search page uses: the capped count and one page of ranked results
with snippets), several times each. Prints one JSON line with the median and
95th-percentile milliseconds.

    DATABASE_URL=postgres://... SECRET_KEY=... .venv/bin/python bench/search.py

Run after `bench/national_dataset.py` and `manage.py rebuild_search_index`.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROUNDS = 5
QUERIES = [
    ("knife crime", {}),
    ("PREVENT", {}),
    ("target hardening", {}),
    ("domestic abuse", {}),
    ("knife crimes", {}),
    ("anti-social behaviour", {}),
    ("county lines", {}),
    ('"serious and organised crime"', {}),
    ("homelessness rough sleeping", {}),
    ("hate crime", {}),
    ("funding", {}),
    ("report noted", {}),
    ("cyber fraud", {}),
    ("burglary", {}),
    ("knife crime", {"kind": "resolution"}),
    ("PREVENT", {"year": True}),
    ("domestic abuse", {"partnership": True}),
    ("target hardening", {"partnership": True, "year": True}),
    ("night-time economy", {"kind": "minute", "year": True}),
    ("youth offending diversion", {"partnership": True, "kind": "minute"}),
]


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")
    import django

    django.setup()
    from partnerships.models import Partnership
    from search.models import SearchEntry
    from search.views import PAGE_SIZE

    partnership = Partnership.objects.filter(slug__startswith="synthetic-").order_by("pk").first()
    partnership = partnership or Partnership.objects.order_by("pk").first()
    year = (
        SearchEntry.objects.exclude(municipal_year="")
        .order_by("-date")
        .values_list("municipal_year", flat=True)
        .first()
    )

    def run(text, filters):
        results = SearchEntry.objects.search(
            text,
            partnership=partnership if filters.get("partnership") else None,
            municipal_year=year if filters.get("year") else None,
            kind=filters.get("kind"),
            offset=0,
            limit=PAGE_SIZE,
        )
        return results.count

    for text, filters in QUERIES:  # warm the caches once
        run(text, filters)
    timings = []
    for _ in range(ROUNDS):
        for text, filters in QUERIES:
            started = time.perf_counter()
            run(text, filters)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    print(
        json.dumps(
            {
                "benchmark": "search",
                "queries": len(QUERIES),
                "runs": len(timings),
                "entries": SearchEntry.objects.count(),
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(p95, 1),
                "max_ms": round(timings[-1], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
