"""
Rebuild the whole search index from the content: after bulk loads (which
send no signals, such as bench/national_dataset.py), after restoring a
backup, or if the index is ever in doubt. Partnerships, people,
organisations, glossary terms, meetings and documents are built in Python
by search.indexing; the million-odd minutes
and resolutions of a national-scale site are written by the database itself,
with INSERT ... SELECT over ranges of item ids (search.indexing says how the
two are kept the same). On PostgreSQL the GIN index is dropped for the load
and built again at the end (much faster than updating it row by row), and
the table is analysed so that the planner knows its words.

A command of the layer above the apps, since a rebuild reaches follow too:
saved-search alerts start again from the new index.

Searches see the old index until the rebuild commits. Document text is
extracted again from every file, so the first rebuild on a site with many
uploads takes a while.
"""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Max

from follow.models import Subscription
from foundation.page_cache import content_changed
from glossary.models import Term
from meetings.models import AgendaItem, Document, Meeting
from partnerships.models import Organisation, Partnership, Person
from search import indexing
from search.models import SearchEntry

BATCH = 5000
# Items per INSERT ... SELECT: big enough to be quick, small enough for a
# progress bar that moves.
ITEM_RANGE = 20000
GIN_INDEX = "search_entry_vector_gin"
# As migration 0004 defines it (with the filtered columns, by btree_gin).
GIN_SQL = (
    f"CREATE INDEX {GIN_INDEX} ON search_searchentry"
    " USING gin (search_vector, partnership_id, municipal_year, kind)"
)


class Progress:
    """A one-line progress bar on standard error (a plain line a batch when
    it is not a terminal, so logs stay readable)."""

    WIDTH = 30

    def __init__(self, label, total, stream=sys.stderr):
        self.label, self.total, self.done, self.stream = label, total, 0, stream
        self.started = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def advance(self, n):
        self.done += n
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"{self.label:<12} [{bar}] {self.done:,}/{self.total:,} {time.monotonic() - self.started:.0f}s"
        self.stream.write(f"\r{line}" if self.tty else f"{line}\n")
        self.stream.flush()

    def finish(self):
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Rebuild the search index from all public content (bulk; shows progress)."

    def handle(self, *args, **options):
        started = time.monotonic()
        postgres = connection.vendor == "postgresql"
        # TRUNCATE is instant, but not possible inside a caller's transaction
        # with pending constraint checks (the tests'); DELETE is then used.
        truncate = postgres and not connection.in_atomic_block
        with transaction.atomic():
            if truncate:
                # The GIN index is built once at the end rather than row by row.
                with connection.cursor() as cursor:
                    cursor.execute("TRUNCATE search_searchentry")
                    cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
            else:
                SearchEntry.objects.all().delete()
            total = self.build()
            indexing.recount_resolutions()
            if truncate:
                self.stderr.write("Building the GIN index...")
                with connection.cursor() as cursor:
                    # The deferred foreign-key checks of the rows just written
                    # run now: PostgreSQL builds no index with checks pending.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(GIN_SQL)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_searchentry")
        content_changed()  # cached search pages (lists) must not outlive the old index
        # Every entry has a new id now; saved-search alerts start again from
        # here rather than reporting the whole index as new.
        top = SearchEntry.objects.aggregate(top=Max("pk"))["top"] or 0
        Subscription.objects.filter(kind=Subscription.Kind.SEARCH).update(last_seen_id=top)
        self.stdout.write(f"Indexed {total:,} entries in {time.monotonic() - started:.0f}s.")

    def build(self):
        pending, total = [], 0

        def add(entries):
            nonlocal total
            pending.extend(entries)
            if len(pending) >= BATCH:
                total += flush()

        def flush():
            n = len(pending)
            SearchEntry.objects.bulk_create(pending, batch_size=BATCH)
            pending.clear()
            return n

        for partnership in Partnership.objects.prefetch_related(*indexing.PARTNERSHIP_PARTS):
            add(indexing.entries_for_partnership(partnership))
        people = Person.objects.select_related(*indexing.PERSON_RELATED).prefetch_related(
            *indexing.PERSON_PREFETCH
        )
        for person in people.order_by("pk").iterator(chunk_size=BATCH):
            add(indexing.entries_for_person(person))
        for organisation in Organisation.objects.order_by("pk").iterator(chunk_size=BATCH):
            add(indexing.entries_for_organisation(organisation))
        for term in Term.objects.order_by("pk"):
            add(indexing.entries_for_term(term))

        # The page title of a postponed meeting names its new date.
        meetings = Meeting.objects.public().select_related("partnership", "postponed_to").order_by("pk")
        progress = Progress("Meetings", meetings.count())
        meeting_rows = []  # for the minutes' and resolutions' SQL below
        for n, meeting in enumerate(meetings.iterator(chunk_size=BATCH), start=1):
            add(indexing.entries_for_meeting(meeting))
            meeting_rows.append(indexing.meeting_row(meeting))
            if n % 1000 == 0 or n == progress.total:
                progress.advance(n - progress.done)
        progress.finish()

        # Minutes and resolutions: set-based, a range of item ids at a time
        # (see search.indexing), with the meetings' part made once above.
        with connection.cursor() as cursor:
            indexing.create_meeting_table(cursor, meeting_rows)
            top = AgendaItem.objects.aggregate(top=Max("pk"))["top"] or 0
            progress = Progress("Minutes", AgendaItem.objects.count())
            for low in range(0, top, ITEM_RANGE):
                high = low + ITEM_RANGE
                total += indexing.insert_resolution_entries(cursor, low, high)
                written = indexing.insert_item_entries(cursor, low, high)
                total += written
                progress.advance(written)
            progress.finish()
            indexing.drop_meeting_table(cursor)

        documents = (
            Document.objects.downloadable().select_related("meeting__partnership", "item").order_by("pk")
        )
        progress = Progress("Documents", documents.count())
        for document in documents.iterator(chunk_size=500):
            add(indexing.entries_for_document(document))
            progress.advance(1)
        progress.finish()
        return total + flush()
