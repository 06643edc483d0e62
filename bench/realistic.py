"""
Part of `make bench` (bench/run.py): the site loaded the way a national site
is used, not one URL at a time.

  python bench/realistic.py urls --out FILE   # the visitors' requests, by popularity
  python bench/realistic.py clerk --seconds N # a clerk saving one record a second

`urls` lists tens of thousands of public pages of every kind (meetings,
minutes, partnerships and their meeting lists, people, the lists, search),
shuffles them into a popularity order and writes a long sequence of requests
drawn from a Zipf distribution (s = 1.1: a few pages are very popular, most
are rarely read), and the list of pages itself. wrk goes through the
sequence (bench/realistic.lua), so every run asks for the same pages in the
same proportions.

`clerk` runs beside the load: once a second it edits an item of a random
meeting in a random partnership (three times in four its minutes' wording,
once its title), through the same model method and effects a clerk's save
in the admin goes through, so that the page cache sees exactly what real
editing does to it.

Nothing here is part of `make test`.
"""

import argparse
import itertools
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")

ZIPF_S = 1.1
SEARCH_WORDS = [
    "knife crime",
    "crime",
    "partnership",
    "prevent",
    "domestic abuse",
    "anti-social behaviour",
    "county lines",
    "burglary",
    "funding",
    "youth",
    "hate crime",
    "road safety",
    "night-time economy",
    "target hardening",
    "homelessness",
    "fraud",
    "sefton",
    "merseyside",
    "violence reduction",
    "exploitation",
]


def setup_django():
    import django

    django.setup()


def public_pages(limit, rng):
    """Up to `limit` public addresses of every kind, as (kind, path)."""
    from django.urls import reverse

    from meetings.models import AgendaItem, Meeting
    from partnerships.models import Partnership, Person

    pages = [
        ("lists", "/"),
        ("lists", reverse("meetings:index")),
        ("lists", reverse("partnerships:list")),
        ("lists", "/glossary/"),
        ("lists", "/have-your-say/"),
    ]
    for slug in Partnership.objects.values_list("slug", flat=True):
        pages.append(("partnership", reverse("partnerships:detail", args=[slug])))
        pages.append(("partnership meetings", reverse("meetings:partnership", args=[slug])))
    for word in SEARCH_WORDS:
        pages.append(("search", f"/search/?q={word.replace(' ', '+')}"))
    meetings = list(Meeting.objects.values_list("partnership__slug", "date"))
    rng.shuffle(meetings)
    people = list(Person.objects.values_list("slug", flat=True)[:2000])
    for slug in people:
        pages.append(("person", reverse("partnerships:person", args=[slug])))
    room = max(0, limit - len(pages))
    for slug, day in meetings[: room * 6 // 10]:
        pages.append(("meeting", reverse("meetings:meeting", args=[slug, day.isoformat()])))
    minutes = (
        AgendaItem.objects.filter(minute_number__isnull=False)
        .order_by("?")
        .values_list("meeting__partnership__slug", "meeting__date", "minute_number")[: limit - len(pages)]
    )
    for slug, day, number in minutes:
        pages.append(("minute", reverse("meetings:minute", args=[slug, day.isoformat(), number])))
    return pages[:limit]


def write_requests(out, pages_out, pages, count, rng):
    """`count` requests drawn by Zipf popularity over a shuffled order of
    `pages`, one path a line, to `out`; every page once, in another order,
    to `pages_out`; and a summary of what was drawn."""
    rng.shuffle(pages)
    weights = list(itertools.accumulate(1 / (rank**ZIPF_S) for rank in range(1, len(pages) + 1)))
    drawn = rng.choices(pages, cum_weights=weights, k=count)
    Path(out).write_text("".join(f"{path}\n" for _, path in drawn))
    Path(pages_out).write_text("".join(f"{path}\n" for _, path in rng.sample(pages, len(pages))))
    kinds = {}
    for kind, _ in drawn:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "pages": len(pages),
        "requests": count,
        "distinct_requested": len({path for _, path in drawn}),
        # The share of requests that goes to the least popular page.
        "rarest_share": (1 / len(pages) ** ZIPF_S) / weights[-1],
        "by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
    }


# What the clerk corrects, by the kind of save the report counts.
FIELD_OF_KIND = {"wording": "minutes", "title": "title"}


def clerk(seconds, rate, rng):
    """Save one item a second (at `rate` a second), each in a random
    partnership, as a clerk's save in the admin does: three in four a
    correction of its minutes' wording (the commonest edit: its meeting's
    pages and the lists of wording go stale), one in four a correction of
    its title (shown on the partnership's lists and by the minutes that cite
    it: its meeting's pages, theirs, the partnership's pages that are not a
    meeting's and every list go stale)."""
    from meetings.models import AgendaItem, Meeting
    from partnerships.models import Partnership

    partnership_ids = list(Partnership.objects.values_list("pk", flat=True))
    saves = {"wording": 0, "title": 0}
    stopping = []
    # bench/run.py stops the clerk when the load ends: report, then stop.
    signal.signal(signal.SIGTERM, lambda *args: stopping.append(True))
    print("ready", flush=True)
    started = time.monotonic()
    marker = " (Corrected.)"
    while time.monotonic() - started < seconds and not stopping:
        tick = time.monotonic()
        meeting = (
            Meeting.objects.filter(partnership_id=rng.choice(partnership_ids), items__isnull=False)
            .order_by("?")
            .first()
        )
        if meeting is not None:
            item = AgendaItem.objects.filter(meeting=meeting).order_by("?").first()
            kind = "title" if sum(saves.values()) % 4 == 3 else "wording"
            field = FIELD_OF_KIND[kind]
            text = getattr(item, field)
            setattr(item, field, text[: -len(marker)] if text.endswith(marker) else text + marker)
            item.save()
            saves[kind] += 1
        time.sleep(max(0.0, 1 / rate - (time.monotonic() - tick)))
    return {"saves": saves, "seconds": round(time.monotonic() - started, 1)}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    urls = sub.add_parser("urls")
    urls.add_argument("--out", required=True)
    urls.add_argument("--pages-out", required=True)
    urls.add_argument("--pages", type=int, default=40000)
    urls.add_argument("--requests", type=int, default=400000)
    urls.add_argument("--seed", type=int, default=11)
    clerk_args = sub.add_parser("clerk")
    clerk_args.add_argument("--seconds", type=float, required=True)
    clerk_args.add_argument("--rate", type=float, default=1.0)
    clerk_args.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    setup_django()
    rng = random.Random(args.seed)
    if args.command == "urls":
        summary = write_requests(args.out, args.pages_out, public_pages(args.pages, rng), args.requests, rng)
    else:
        summary = clerk(args.seconds, args.rate, rng)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
