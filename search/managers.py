"""
Searching the index in one query on PostgreSQL, whatever the size of the
index or the words: the candidates to rank (and so how many there are, up to
"more than 200"), and one page of them.

PostgreSQL: the words are parsed as a web search ("knife crime", -burglary,
"exact phrase", or) with English stemming and matched against the stored,
GIN-indexed tsvector. Ranking every match of a common word ("crime" matches
hundreds of thousands of minutes nationally) would cost far more than a page
view may, so the ranking is done over the CANDIDATES newest matches: the
search says "more than 200 results" past that, and a visitor narrows it with
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

import functools
import re
import time

from django.contrib.postgres.search import SearchHeadline
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, models
from django.db.models import Case, F, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

# The newest matches that are ranked and paged through: ten pages of twenty.
# Walking to them and ranking them is most of a search's cost nationally
# (docs/search.md); a national site's 200 newest matches of a common phrase
# are its last few weeks' minutes, its 500 newest barely a week more, and one
# partnership's 200 go back years. Past that, "more than 200" and the filters.
CANDIDATES = 200
# How many of the newest dated entries a search looks through first (see
# search_statement): enough for any common word to fill CANDIDATES.
WINDOW = 20000
# The walk through the newest entries is taken only for words PostgreSQL's
# statistics count in at least this share of entries (1 in 200): for a rarer
# word it would read all WINDOW entries to find a few matches, which the GIN
# index finds at once.
COMMON_WORD_SHARE = 0.005
# How long a process keeps the common words it read from those statistics
# (ANALYZE renews them, autovacuum after many changes): reading them takes as
# long as a search. Stale, they can only make a search slower, never change
# what it finds.
COMMON_WORDS_SECONDS = 600
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
# In the model's field order, as SearchEntry.from_db reads a row.
RESULT_FIELDS = ("kind", "object_id", "municipal_year", "date", "title", "context", "url")


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


# The order of a page, over the ranked candidates (id, date, rank): best
# match, then newest, then id; or newest, then best match, then id. Entries
# with no date follow the dated ones of equal standing.
PAGE_ORDER = {
    RELEVANCE: "{t}rank DESC, {t}date DESC NULLS LAST, {t}id DESC",
    NEWEST: "{t}date DESC NULLS LAST, {t}rank DESC, {t}id DESC",
}


@functools.cache
def headline_options():
    """ts_headline's options as one string, named and quoted as Django's
    SearchHeadline writes them."""
    options = SearchHeadline("body", "", **HEADLINE_OPTIONS).options
    return ", ".join(connection.ops.compose_sql(f"{option}=%s", [value]) for option, value in options.items())


# A named parameter in search_statement's SQL.
PARAMETER = re.compile(r"%\((\w+)\)s")

# Per database: (when they were read, the common words, the same as one
# array literal), see common_words().
COMMON_WORDS = {}


def common_words(alias, now):
    """The words (lexemes) common enough for a search to walk through the
    newest entries, as last read from PostgreSQL's statistics and written as
    one array literal, or None if they are to be read again: the search
    reads them itself, so that a search is always one query."""
    read_at, _words, literal = COMMON_WORDS.get(alias, (None, None, None))
    return literal if read_at is not None and now - read_at < COMMON_WORDS_SECONDS else None


def remember_common_words(alias, now, words):
    # One literal rather than a list: as a parameter, a list becomes an
    # ARRAY[...] of a constant for each word, and PostgreSQL takes longer to
    # plan the search with a thousand of them than to run it.
    quoted = (word.replace("\\", "\\\\").replace('"', '\\"') for word in words)
    COMMON_WORDS[alias] = (now, tuple(words), "{" + ",".join(f'"{word}"' for word in quoted) + "}")


def forget_common_words():
    """Read the common words again at the next search (after ANALYZE)."""
    COMMON_WORDS.clear()


@functools.cache
def search_statement(order, read_common_words):
    """The one query of a search on PostgreSQL, in `order` (RELEVANCE or
    NEWEST): the candidates, which of them are ranked, how many there are,
    and one page of them with its snippets; with `read_common_words`, the
    common words too, read from the statistics, else given as a parameter.
    It is returned in pieces, the SQL between parameters and each
    parameter's name, in order: `where` is the filters' own SQL (see
    search()), every other a value.

    The candidates, as (id, date, rank), each ranked as it is read so that
    no row is read twice:

    - recent: up to CANDIDATES + 1 matches, newest first: every undated
      match (partnerships, people, organisations and glossary terms are not
      old, so they are always candidates), then the newest dated matches
      among the newest WINDOW dated entries after the filters. The undated
      matches come from a small GIN index of their own (migration 0007): a
      national site has thousands of people and partnerships, which a walk
      would read one by one before reaching the first minute. The dated ones
      come from one walk down a date index, testing each row and stopping at
      CANDIDATES + 1 matches or WINDOW rows: bounded, whatever the words. A
      word as common as "crime" fills it within a few thousand rows. The
      walk is taken only when one of the words is common (COMMON_WORD_SHARE
      of the entries, by the statistics ANALYZE keeps of the column, as the
      planner reads them; see common_words()): a rare word, such as a place
      or a person's name, would have it read all WINDOW rows for a handful
      of matches.
    - found: only if `recent` did not fill, up to CANDIDATES + 1 matches from
      the GIN index, which holds the filtered columns too, so only rows that
      pass the filters are read. PostgreSQL skips this part when it is not
      needed (a one-time filter), and so never builds the bitmap of every
      match of a common word, which alone costs tens of milliseconds
      nationally.
    - older: only if `found` filled where `recent` did not (a word common
      once but not lately), the newest CANDIDATES of all its matches, by
      sorting them all.

    Then the ranked set is `recent` less its oldest dated match if it
    filled, else `older` if that was needed, else every match. Whichever
    parts run, that is the same set: every undated match (up to CANDIDATES)
    and the newest dated ones, so whether the walk is taken changes only
    the time a search takes. The set is ordered and paged in the database,
    and only the page's rows are read whole and given a snippet (ts_headline
    parses each text again). The count is CANDIDATES + 1 ("more than") or
    the exact number of matches. An empty page is one row holding the count
    alone.

    The words are parsed once and read by each part as a scalar (joined to
    each row instead, they cost as much again as the walk's own reading);
    the parts that use the GIN index name them in full, since the planner
    chooses an index only for a condition it can see. Written in SQL, and
    built once per order, because the ORM has no subquery in FROM and would
    compile the same statement again on every search."""
    where = "%(where)s"
    matches = "search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)"
    rank = "ts_rank(search_vector, (SELECT query FROM words))"
    shown = ", ".join(f"entry.{column}" for column in ("id", *RESULT_FIELDS))
    if read_common_words:
        statistics = (
            "SELECT coalesce(array_agg(lexeme), '{}') AS lexemes FROM pg_stats,"
            " unnest(most_common_elems::text::text[], most_common_elem_freqs) AS counted (lexeme, share)"
            " WHERE schemaname = current_schema() AND tablename = 'search_searchentry'"
            # The shares run three longer than the words (the least and
            # most common shares, and that of NULL): no word of their own.
            " AND attname = 'search_vector' AND lexeme IS NOT NULL AND share >= %(common_share)s"
        )
        lexemes_read = "(SELECT lexemes FROM common)"
    else:
        statistics, lexemes_read = "SELECT %(common_words)s::text[] AS lexemes", "NULL"
    sql = (
        "WITH words AS (SELECT websearch_to_tsquery(%(config)s::regconfig, %(text)s) AS query),"  # noqa: S608 (our own clauses and column names; every value a parameter)
        " common AS (SELECT lexemes, tsvector_to_array(to_tsvector(%(config)s::regconfig, %(text)s))"
        f" && lexemes AS walk FROM ({statistics}) statistics),"
        f" dated AS MATERIALIZED (SELECT id, date, {rank} AS rank"
        " FROM (SELECT id, date, search_vector FROM search_searchentry"
        f" WHERE date IS NOT NULL AND (SELECT walk FROM common){where}"
        " ORDER BY date DESC, id DESC LIMIT %(window)s) newest"
        " WHERE search_vector @@ (SELECT query FROM words)"
        " ORDER BY date DESC, id DESC LIMIT %(candidates)s + 1),"
        f" recent AS MATERIALIZED (SELECT id, date, {rank} AS rank"
        " FROM (SELECT id, date, search_vector FROM search_searchentry"
        f" WHERE date IS NULL AND {matches}{where} ORDER BY id DESC LIMIT %(candidates)s + 1) undated"
        " UNION ALL SELECT id, date, rank FROM dated"
        " ORDER BY date DESC NULLS FIRST, id DESC LIMIT %(candidates)s + 1),"
        " recent_count AS (SELECT count(*) AS n FROM recent),"
        f" found AS MATERIALIZED (SELECT id, date, {rank} AS rank"
        f" FROM (SELECT id, date, search_vector FROM search_searchentry WHERE {matches}{where}"
        " LIMIT %(candidates)s + 1) every_match"
        " WHERE (SELECT n FROM recent_count) <= %(candidates)s),"
        " found_count AS (SELECT count(*) AS n FROM found),"
        f" older AS MATERIALIZED (SELECT id, date, {rank} AS rank FROM search_searchentry"
        f" WHERE {matches}{where} AND (SELECT n FROM found_count) > %(candidates)s"
        " ORDER BY date DESC, id DESC LIMIT %(candidates)s),"
        " ranked AS ("
        " (SELECT id, date, rank FROM recent WHERE (SELECT n FROM recent_count) > %(candidates)s"
        " ORDER BY date DESC NULLS FIRST, id DESC LIMIT %(candidates)s)"
        " UNION ALL SELECT id, date, rank FROM older"
        " UNION ALL SELECT id, date, rank FROM found WHERE (SELECT n FROM found_count) <= %(candidates)s),"
        f" page AS MATERIALIZED (SELECT id, date, rank FROM ranked ORDER BY {PAGE_ORDER[order].format(t='')}"
        " OFFSET %(offset)s LIMIT %(limit)s)"
        f" SELECT total.count, {lexemes_read}, {shown},"
        " ts_headline(%(config)s::regconfig, entry.body, (SELECT query FROM words), %(headline)s)"
        " FROM (SELECT CASE WHEN (SELECT n FROM recent_count) > %(candidates)s"
        " THEN (SELECT n FROM recent_count) ELSE (SELECT n FROM found_count) END AS count) total"
        " LEFT JOIN (page JOIN search_searchentry entry ON entry.id = page.id) ON TRUE"
        f" ORDER BY {PAGE_ORDER[order].format(t='page.')}"
    )
    pieces = PARAMETER.split(sql)
    return pieces[::2], pieces[1::2]


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
    def search(
        self, text, *, partnership=None, municipal_year=None, kind=None, order=RELEVANCE, offset=0, limit=20
    ):
        """The entries matching `text`, best first (or newest first, `order`
        NEWEST): a SearchResults with the page [offset, offset + limit), in
        one query on PostgreSQL."""
        filters = {"partnership_id": partnership, "municipal_year": municipal_year, "kind": kind}
        filters = {column: value for column, value in filters.items() if value not in (None, "")}
        if connection.vendor == "postgresql":
            return self._search_postgresql(text, filters, order, offset, limit)
        return self._search_contains(self.filter(**filters), text, order, offset, limit)

    def _search_postgresql(self, text, filters, order, offset, limit):
        from .models import CONFIG, SearchEntry

        # The filters (and any the QuerySet had, such as alerts' entries new
        # since the last) as the ORM writes them, in each part of the query.
        filtered = self.filter(**filters).query
        try:
            where, where_params = filtered.get_compiler(connection=connection).compile(filtered.where)
            where = f" AND ({where})"
        except FullResultSet:
            where, where_params = "", []
        except EmptyResultSet:
            return SearchResults([], 0)
        values = {
            "config": CONFIG,
            "text": text,
            "window": WINDOW,
            "common_share": COMMON_WORD_SHARE,
            "candidates": CANDIDATES,
            "offset": offset,
            "limit": limit,
            "headline": headline_options(),
        }
        now = time.monotonic()
        known_words = common_words(connection.alias, now)
        values["common_words"] = known_words
        texts, names = search_statement(order, known_words is None)
        sql, params = [texts[0]], []
        for name, text_after in zip(names, texts[1:], strict=True):
            if name == "where":
                sql.append(where)
                params += where_params
            else:
                sql.append("%s")
                params.append(values[name])
            sql.append(text_after)
        with connection.cursor() as cursor:
            cursor.execute("".join(sql), params)
            rows = cursor.fetchall()
        if known_words is None:
            remember_common_words(connection.alias, now, rows[0][1])
        entries = []
        for _count, _words, *shown, snippet_text in rows:
            if shown[0] is not None:  # an empty page is one row, its count alone
                entry = SearchEntry.from_db(connection.alias, ("id", *RESULT_FIELDS), shown)
                entry.snippet = snippet_html(snippet_text)
                entries.append(entry)
        return SearchResults(entries, rows[0][0])

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
