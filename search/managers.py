"""
Searching the index in a fixed number of queries, whatever the size of the
index: on PostgreSQL two for a common word (the newest matches, one page) and
three for a rarer one (a look at the newest, a capped count, one page); on
SQLite two (a capped count, one page).

PostgreSQL: the words are parsed as a web search ("knife crime", -burglary,
"exact phrase", or) with English stemming and matched against the stored,
GIN-indexed tsvector. Ranking every match of a common word ("crime" matches
hundreds of thousands of minutes nationally) would cost far more than a page
view may, so the ranking is done over the CANDIDATES newest matches: the
search says "more than 500 results" past that, and a visitor narrows it with
the filters, as on council committee sites. Snippets (ts_headline) are made
for the page's rows only.

SQLite (development only): every word must appear in the title or body,
newest first, with a snippet cut around the first match in Python.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import F, Subquery
from django.utils.html import escape
from django.utils.safestring import mark_safe

# The newest matches that are ranked and paged through.
CANDIDATES = 500
# How many of the newest entries a search looks through first (see
# _search_postgresql): enough for any common word to fill CANDIDATES.
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

    def search(self, text, *, partnership=None, municipal_year=None, kind=None, offset=0, limit=20):
        """The entries matching `text`, best first: a SearchResults with the
        page [offset, offset + limit) in two queries."""
        entries = self.filtered(partnership, municipal_year, kind)
        if connection.vendor == "postgresql":
            return self._search_postgresql(entries, text, offset, limit)
        return self._search_contains(entries, text, offset, limit)

    def _search_postgresql(self, entries, text, offset, limit):
        from .models import CONFIG

        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        # Common words first: the newest matches among the newest WINDOW
        # entries. A word as common as "crime" fills CANDIDATES + 1 within a
        # few thousand rows, and that answers both questions at once: there
        # are "more than 500", and these are the newest 500.
        newest = self._newest_matches(entries, text, CONFIG)
        if len(newest) > CANDIDATES:
            count, candidates = len(newest), newest[:CANDIDATES]
        else:
            # Rarer words: the matches (up to CANDIDATES + 1) from the GIN
            # index, which holds the filtered columns too, so only rows
            # that pass the filters are read. This is one query more, and
            # never needs the bitmap of every match of a common word, which
            # alone costs tens of milliseconds nationally.
            matches = entries.filter(search_vector=query)
            found = list(matches.order_by().values_list("pk", flat=True)[: CANDIDATES + 1])
            count = len(found)
            if count > CANDIDATES:
                # Common once but not lately: the newest of them.
                candidates = Subquery(matches.order_by("-date", "-pk").values("pk")[:CANDIDATES])
            else:
                # All of them: the page is read by primary key, whatever the
                # planner thought of the words.
                candidates = found
        page = list(
            entries.filter(pk__in=candidates)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                snippet_text=SearchHeadline("body", query, config=CONFIG, **HEADLINE_OPTIONS),
            )
            .only(*RESULT_FIELDS)
            .order_by("-rank", "-date", "-pk")[offset : offset + limit]
        )
        for entry in page:
            entry.snippet = snippet_html(entry.snippet_text)
        return SearchResults(page, count)

    @staticmethod
    def _newest_matches(entries, text, config):
        """The ids of up to CANDIDATES + 1 newest matches among the newest
        WINDOW entries (after the filters), newest first. One walk down a
        date index, testing each row and stopping at CANDIDATES + 1 matches
        or WINDOW rows, whichever comes first: bounded, whatever the word.
        Written in SQL because the ORM has no subquery in FROM."""
        recent = entries.order_by("-date", "-pk").values("id", "date", "search_vector")[:WINDOW]
        sql, params = recent.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT recent.id FROM ({sql}) recent"
                " WHERE ts_match_vq(recent.search_vector, websearch_to_tsquery(%s::regconfig, %s))"
                " ORDER BY recent.date DESC, recent.id DESC LIMIT %s",
                [*params, config, text, CANDIDATES + 1],
            )
            return [row[0] for row in cursor.fetchall()]

    def _search_contains(self, entries, text, offset, limit):
        words = [word.strip('"') for word in text.split() if word.strip('"-')][:10]
        for word in words:
            entries = entries.filter(models.Q(title__icontains=word) | models.Q(body__icontains=word))
        entries = entries.only(*RESULT_FIELDS, "body").order_by("-date", "-pk")
        count = entries.values("pk")[: CANDIDATES + 1].count()
        page = list(entries[offset : offset + limit])
        for entry in page:
            entry.snippet = plain_snippet(entry.body, words)
        return SearchResults(page, count)
