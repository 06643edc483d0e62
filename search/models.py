"""
The search index: one row per public thing a visitor can find (partnership,
meeting, minute, resolution, document, person, organisation, glossary
term), holding only the text the public may
read. It is a table of its own, rather than search columns on the meetings
models, so that what is searchable is decided in one place (search.indexing)
and nothing private can leak through a query that forgets a filter.

On PostgreSQL the row carries a stored, generated `tsvector` (title weighted
A, body B, English stemming), computed by the database on every insert and
update, with a GIN index over it (migration 0002). On SQLite that column is
an empty placeholder and search falls back to a contains match.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from partnerships.models import Partnership

from .managers import SearchEntryQuerySet

# The text search configuration: English stemming, so "crimes" finds "crime".
CONFIG = "english"


class SearchDocument(models.Expression):
    """The generated column's expression: the weighted tsvector on PostgreSQL,
    NULL elsewhere (SQLite has no tsvector; it never reads the column)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return "NULL", []

    def as_postgresql(self, compiler, connection):
        # Literal SQL, no parameters: a generated column must be immutable,
        # which to_tsvector is only with an explicit configuration.
        return (
            f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(title, '')), 'A') || "
            f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(body, '')), 'B')"
        ), []

    def __eq__(self, other):
        return isinstance(other, SearchDocument)

    def __hash__(self):
        return hash(type(self))


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "Partnerships"
        MEETING = "meeting", "Meetings"
        MINUTE = "minute", "Minutes and agenda items"
        RESOLUTION = "resolution", "Resolutions"
        DOCUMENT = "document", "Documents"
        PERSON = "person", "People"
        ORGANISATION = "organisation", "Organisations"
        TERM = "term", "Glossary terms"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The primary key of the indexed object (its model follows from kind).
    object_id = models.PositiveBigIntegerField()
    # None for what belongs to no one partnership (people, organisations,
    # glossary terms): a partnership filter leaves them out.
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    municipal_year = models.CharField(max_length=7, blank=True, help_text='For example "2019/20".')
    date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=400)
    # What the result page says under the title ("Sefton, 5 December 2019").
    context = models.CharField(max_length=400, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    search_vector = models.GeneratedField(
        expression=SearchDocument(), output_field=SearchVectorField(), db_persist=True
    )

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")]
        indexes = [
            # Newest first, overall or within one filter, in the whole order
            # common words' candidate matches are taken in (date, then id;
            # see managers.py), so that the walk down it sorts nothing.
            models.Index(fields=["-date", "-id"], name="search_entry_newest"),
            models.Index(fields=["partnership", "-date", "-id"], name="search_entry_partner_newest"),
            models.Index(fields=["municipal_year", "-date", "-id"], name="search_entry_year_newest"),
            models.Index(fields=["kind", "-date", "-id"], name="search_entry_kind_newest"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    # One result's label; the plural choices name the filter's options.
    KIND_LABELS = {
        "partnership": "Partnership",
        "meeting": "Meeting",
        "minute": "Minute",
        "resolution": "Resolution",
        "document": "Document",
        "person": "Person",
        "organisation": "Organisation",
        "term": "Glossary term",
    }

    @property
    def kind_label(self):
        return self.KIND_LABELS.get(self.kind, "")


class ResolutionCount(models.Model):
    """How many resolutions the index holds of each partnership: its public
    resolutions, since the index holds only what the public may read.
    search.indexing keeps it in step with the entries, in the same
    transaction as every resolution entry it writes or removes, and
    rebuild_search_index counts it again. The API's list of resolutions says
    how many there are by adding up one row a partnership (300 nationally)
    rather than counting 700,000 resolutions through their items and
    meetings, which took 190 ms.

    One row a partnership, not one for the site: two clerks publishing
    minutes of different partnerships never wait for each other's count
    (of one partnership, the second waits for the first to commit).
    Resolutions alone: a transaction that wrote counts of several kinds of
    one partnership, in another order than a second transaction, could
    deadlock with it."""

    partnership = models.OneToOneField(
        Partnership, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # Not a positive field: a count that has drifted (rows deleted behind the
    # index's back) must never make a clerk's save fail; rebuild_search_index
    # counts again.
    resolutions = models.IntegerField(default=0)

    class Meta:
        verbose_name = "count of indexed resolutions"

    def __str__(self):
        return f"{self.partnership_id}: {self.resolutions}"

    @classmethod
    def total(cls):
        """Every public resolution of the site, in one query."""
        return cls.objects.aggregate(total=models.Sum("resolutions"))["total"] or 0
