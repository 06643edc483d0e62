"""
Searching the index in two queries, whatever the size of the index or the
words: the candidates to rank (and so how many there are, up to "more than
500"), then one page.

PostgreSQL: the words are parsed as a web search ("knife crime", -burglary,
"exact phrase", or) with English stemming and matched against the stored,
GIN-indexed tsvector. Ranking every match of a common word ("crime" matches
hundreds of thousands of minutes nationally) would cost far more than a page
view may, so the ranking is done over the CANDIDATES newest matches: the
search says "more than 500 results" past that, and a visitor narrows it with
the filters, as on council committee sites. Snippets (ts_headline) are made
for the page's rows only.

Results come best first (ts_rank) or newest first; either way entries with
no date (partnerships, people, organisations, glossary terms) follow the
dated ones of equal standing, so that sorting by date lists the newest
minutes first.

SQLite (development only): every word or "quoted phrase" must appear in the
title or body and a -word must not; "best first" puts the entries whose
title has them all first. Snippets are cut around the first match in Python.
"""

import datetime
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import Case, F, Q, Subquery, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

# The newest matches that are ranked and paged through.
CANDIDATES = 500
# How many of the newest dated entries a search looks through first (see
# _candidates): enough for any common word to fill CANDIDATES.
WINDOW = 20000
# Markers ts_headline puts around matched words; stripped from the indexed
# text (search.indexing), so they can only come from ts_headline.
START, STOP = "\u27e6", "\u27e7"
HEADLINE_OPTIONS = {
    "start_sel": START,
    "stop_sel": STOP,
    "max_fragments": 2,
    "max_words": 25,
    "min_words": 12,
    "fragment_delimiter": " … ",
}
SNIPPET_CHARS = 220
# How results may be sorted: the first is the default.
RELEVANCE, NEWEST = "relevance", "date"
ORDERS = [(RELEVANCE, "Best match"), (NEWEST, "Newest first")]
# The SQLite fallback's terms: a "quoted phrase" or a word, either with a
# minus sign before it to leave it out.
CONTAINS_TERM = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
MAX_CONTAINS_TERMS = 10
# What a result shows: never the stored vector, nor the body on PostgreSQL
# (ts_headline reads it in the database).
RESULT_FIELDS = ("kind", "object_id", "date", "municipal_year", "title", "context", "url")


def snippet_html(text):
    """ts_headline's plain text, escaped, with its markers as <mark>."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 (escaped above; only our markers become tags)


def plain_snippet(body, words):
    """A short extract of `body` around the first of `words`, with every
    occurrence marked: the SQLite fallback's version of ts_headline."""
    lower = body.lower()
    found = [lower.find(word.lower()) for word in words if word and lower.find(word.lower()) >= 0]
    start = max(min(found) - 60, 0) if found else 0
    extract = body[start : start + SNIPPET_CHARS]
    if start:
        extract = "…" + extract.split(" ", 1)[-1]
    if start + SNIPPET_CHARS < len(body):
        extract += "…"
    terms = sorted({w for w in words if w}, key=len, reverse=True)
    if not terms:
        return escape(extract)
    # Split on the words first and escape each piece, so that a match can
    # never cut through an HTML entity.
    pieces = re.split(f"({'|'.join(re.escape(t) for t in terms)})", extract, flags=re.IGNORECASE)
    html = "".join(f"<mark>{escape(p)}</mark>" if n % 2 else escape(p) for n, p in enumerate(pieces))
    return mark_safe(html)  # noqa: S308 (every piece escaped)


# Undated entries after dated ones (PostgreSQL puts NULL first otherwise).
NEWEST_FIRST = F("date").desc(nulls_last=True)


def newest(row):
    """An (id, date, rank) candidate's place in NEWEST_FIRST, then -pk,
    order, as a key to sort by in reverse: undated entries (partnerships)
    after dated ones."""
    return (row[1] is not None, row[1] or datetime.date.min, row[0])


# The two orders of results as keys to sort (id, date, rank) candidates by in
# reverse, the same as the database's ORDER BY (-rank, NEWEST_FIRST, -pk, or
# newest first, then rank), so that a page is the same whichever of them
# ranked it.
ORDER_KEYS = {
    RELEVANCE: lambda row: (row[2], *newest(row)),
    NEWEST: lambda row: (*newest(row)[:2], row[2], row[0]),
}


def contains_terms(text):
    """The SQLite fallback's reading of a search: (words and phrases every
    result must contain, words and phrases none may), as websearch_to_tsquery
    reads them on PostgreSQL ("or" is taken as a word here)."""
    words, left_out = [], []
    for minus, phrase, word_minus, word in CONTAINS_TERM.findall(text):
        term = " ".join((phrase or word).split())
        if not term.strip("-"):
            continue
        (left_out if (minus or word_minus) else words).append(term)
    return words[:MAX_CONTAINS_TERMS], left_out[:MAX_CONTAINS_TERMS]


def with_snippets(entries):
    """`entries`, each with its snippet as HTML from ts_headline's text."""
    for entry in entries:
        entry.snippet = snippet_html(entry.snippet_text)
    return entries


class SearchResults:
    """One page of results and how many there are in all (at most
    CANDIDATES + 1, shown as "more than")."""

    def __init__(self, entries, count):
        self.entries = entries
        self.count = count

    @property
    def more_than(self):
        return self.count > CANDIDATES


class SearchEntryQuerySet(models.QuerySet):
    def filtered(self, partnership=None, municipal_year=None, kind=None):
        entries = self
        if partnership is not None:
            entries = entries.filter(partnership=partnership)
        if municipal_year:
            entries = entries.filter(municipal_year=municipal_year)
        if kind:
            entries = entries.filter(kind=kind)
        return entries

    def search(
        self, text, *, partnership=None, municipal_year=None, kind=None, order=RELEVANCE, offset=0, limit=20
    ):
        """The entries matching `text`, best first (or newest first, `order`
        NEWEST): a SearchResults with the page [offset, offset + limit) in
        two queries."""
        entries = self.filtered(partnership, municipal_year, kind)
        if connection.vendor == "postgresql":
            return self._search_postgresql(entries, text, order, offset, limit)
        return self._search_contains(entries, text, order, offset, limit)

    def _search_postgresql(self, entries, text, order, offset, limit):
        from .models import CONFIG

        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        recent, found = self._candidates(entries, query, text, CONFIG)
        if len(recent) <= CANDIDATES and len(found) > CANDIDATES:
            # Common once but not lately: the newest of all its matches,
            # ranked and paged in the database.
            matches = entries.filter(search_vector=query)
            candidates = Subquery(matches.order_by("-date", "-pk").values("pk")[:CANDIDATES])
            page = list(
                self._page(entries.filter(pk__in=candidates), query, CONFIG)
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by(
                    *(("-rank", NEWEST_FIRST) if order == RELEVANCE else (NEWEST_FIRST, "-rank")), "-pk"
                )[offset : offset + limit]
            )
            return SearchResults(with_snippets(page), len(found))
        # A common word (the newest CANDIDATES of its matches, "more than
        # 500") or a rare one (all its matches): ranked by the first query,
        # so the page reads only its own rows.
        count = len(recent) if len(recent) > CANDIDATES else len(found)
        ranked = sorted(
            recent[:CANDIDATES] if len(recent) > CANDIDATES else found, key=ORDER_KEYS[order], reverse=True
        )
        wanted = [row[0] for row in ranked[offset : offset + limit]]
        shown = {entry.pk: entry for entry in self._page(entries.filter(pk__in=wanted), query, CONFIG)}
        return SearchResults(with_snippets([shown[pk] for pk in wanted if pk in shown]), count)

    @staticmethod
    def _page(entries, query, config):
        """What a result shows, with its snippet made by ts_headline."""
        return entries.annotate(
            snippet_text=SearchHeadline("body", query, config=config, **HEADLINE_OPTIONS)
        ).only(*RESULT_FIELDS)

    @staticmethod
    def _candidates(entries, query, text, config):
        """In one query, the matches to rank, as two lists of (id, date,
        rank):

        - recent: up to CANDIDATES + 1 matches, newest first: every undated
          match (partnerships, people, organisations and glossary terms are
          not old, so they are always candidates), then the newest dated
          matches among the newest WINDOW dated entries after the filters.
          The undated matches come from a small GIN index of their own
          (migration 0007): a national site has thousands of people and
          partnerships, which a walk would read one by one before reaching
          the first minute. The dated ones come from one walk down a date
          index, testing each row and stopping at CANDIDATES + 1 matches or
          WINDOW rows: bounded, whatever the words. A word as common as
          "crime" fills it within a few thousand rows. Each match is ranked
          as it is read, so that no row is read twice.
        - found: only if `recent` did not fill, up to CANDIDATES + 1 matches
          from the GIN index, which holds the filtered columns too, so only
          rows that pass the filters are read. PostgreSQL skips this part
          when it is not needed (a one-time filter), and so never builds the
          bitmap of every match of a common word, which alone costs tens of
          milliseconds nationally.

        Written in SQL because the ORM has no subquery in FROM."""
        undated_sql, undated_params = (
            entries.filter(date__isnull=True, search_vector=query)
            .order_by("-pk")
            .values("id", "date", "search_vector")[: CANDIDATES + 1]
            .query.sql_with_params()
        )
        newest_sql, newest_params = (
            entries.filter(date__isnull=False)
            .order_by("-date", "-pk")
            .values("id", "date", "search_vector")[:WINDOW]
            .query.sql_with_params()
        )
        found_sql, found_params = (
            entries.filter(search_vector=query)
            .order_by()
            .values("id", "date", "search_vector")[: CANDIDATES + 1]
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(
                # The words are parsed once, and each part reads them as a
                # scalar: joined to each row instead, they cost as much again
                # as the walk's own reading.
                "WITH words AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS query),"  # noqa: S608 (Django-compiled SQL; values are parameters)
                " dated AS MATERIALIZED ("
                " SELECT newest.id, newest.date, ts_rank(newest.search_vector, (SELECT query FROM words)) AS rank"
                f" FROM ({newest_sql}) newest"
                " WHERE newest.search_vector @@ (SELECT query FROM words)"
                " ORDER BY newest.date DESC, newest.id DESC LIMIT %s),"
                " recent AS MATERIALIZED ("
                " SELECT undated.id, undated.date, ts_rank(undated.search_vector, (SELECT query FROM words)) AS rank"
                f" FROM ({undated_sql}) undated"
                " UNION ALL SELECT id, date, rank FROM dated"
                " ORDER BY date DESC NULLS FIRST, id DESC LIMIT %s)"
                " SELECT id, date, rank, TRUE FROM recent"
                " UNION ALL SELECT found.id, found.date, ts_rank(found.search_vector, (SELECT query FROM words)), FALSE"
                f" FROM ({found_sql}) found"
                " WHERE (SELECT count(*) FROM recent) <= %s",
                [
                    config,
                    text,
                    *newest_params,
                    CANDIDATES + 1,
                    *undated_params,
                    CANDIDATES + 1,
                    *found_params,
                    CANDIDATES,
                ],
            )
            rows = cursor.fetchall()
        # UNION ALL promises no order: put the newest first again, so that
        # the one past CANDIDATES is the oldest.
        recent = sorted((row[:3] for row in rows if row[3]), key=newest, reverse=True)
        return recent, [row[:3] for row in rows if not row[3]]

    def _search_contains(self, entries, text, order, offset, limit):
        words, left_out = contains_terms(text)
        for word in words:
            entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
        for word in left_out:
            entries = entries.exclude(Q(title__icontains=word) | Q(body__icontains=word))
        ordering = [NEWEST_FIRST, "-pk"]
        if order == RELEVANCE and words:
            in_title = Q.create([("title__icontains", word) for word in words])
            entries = entries.annotate(
                in_title=Case(
                    When(in_title, then=Value(1)), default=Value(0), output_field=models.IntegerField()
                )
            )
            ordering.insert(0, "-in_title")
        entries = entries.only(*RESULT_FIELDS, "body").order_by(*ordering)
        count = entries.values("pk")[: CANDIDATES + 1].count()
        page = list(entries[offset : offset + limit])
        for entry in page:
            entry.snippet = plain_snippet(entry.body, words)
        return SearchResults(page, count)
