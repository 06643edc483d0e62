"""Search: what is indexed (and what must never be), the page, its filters,
pagination, bad query strings, fixed query counts, and on PostgreSQL the
stemming, ranking and snippets of full-text search."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from meetings.models import Meeting
from search import indexing
from search.models import SearchEntry
from tests.documents import docx_bytes, text_pdf_bytes
from tests.helpers import text_of
from tests.meetings.factories import AgendaItemFactory, DocumentFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

GLOSSARY_QUERIES = 1
# partnerships for the filter 1
EMPTY_SEARCH_QUERIES = 1 + GLOSSARY_QUERIES
# partnerships 1, then on PostgreSQL the search in one (on SQLite a capped
# count 1, the page 1)
SEARCH_QUERIES = (2 if connection.vendor == "postgresql" else 3) + GLOSSARY_QUERIES

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search (stemming, ranking, snippets) is PostgreSQL's"
)


def kinds_and_titles():
    return {(e.kind, e.title) for e in SearchEntry.objects.all()}


def search(client, **params):
    return client.get("/search/", params)


def result_urls(response):
    return [entry.url for entry in response.context["results"].entries]


# --- what is indexed ---------------------------------------------------


def test_saving_indexes_public_content_and_deleting_removes_it():
    item = AgendaItemFactory(title="Knife crime action plan", minutes="Members discussed knife crime.")
    resolution = ResolutionFactory(item=item, text="That the knife crime plan be approved.")
    # (The item's presenter, a person, has an entry of its own.)
    entries = {e.kind: e for e in SearchEntry.objects.exclude(kind="person")}
    # (The meeting's own entry follows its lifecycle: tests/meetings/test_lifecycle.py.)
    assert set(entries) == {"partnership", "minute", "resolution"}
    assert "Members discussed knife crime." in entries["minute"].body
    assert entries["minute"].url == item.get_absolute_url()
    assert entries["resolution"].url == resolution.get_absolute_url()
    assert entries["minute"].municipal_year == item.meeting.municipal_year
    resolution.delete()
    assert not SearchEntry.objects.filter(kind="resolution").exists()
    item.meeting.delete()
    assert set(SearchEntry.objects.exclude(kind="person").values_list("kind", flat=True)) == {"partnership"}


def test_draft_minutes_and_their_resolutions_are_not_indexed_until_published(transition):
    meeting = MeetingFactory(minutes_status=Meeting.MinutesStatus.NONE)
    item = AgendaItemFactory(
        meeting=meeting, agenda_text="Report on burglary.", minutes="Secret draft words."
    )
    ResolutionFactory(item=item, text="Draft resolution words.")
    minute = SearchEntry.objects.get(kind="minute")
    assert "burglary" in minute.body  # the agenda is public
    assert "Secret draft" not in minute.body
    assert not SearchEntry.objects.filter(kind="resolution").exists()
    transition(meeting, "publish_minutes")
    assert "Secret draft words." in SearchEntry.objects.get(kind="minute").body
    assert SearchEntry.objects.filter(kind="resolution").exists()


def test_exempt_items_are_found_by_title_only_and_their_papers_not_at_all():
    item = AgendaItemFactory(
        title="Contract award",
        agenda_text="Confidential agenda text.",
        minutes="Confidential minutes.",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="commercially sensitive",
    )
    ResolutionFactory(item=item, text="Confidential resolution.")
    document = DocumentFactory(meeting=item.meeting, item=item, title="Tender scores")
    document.file.save("tender.pdf", ContentFile(b"%PDF-1.4 not really"), save=True)
    bodies = " ".join(SearchEntry.objects.values_list("body", flat=True))
    assert "Confidential" not in bodies
    assert not SearchEntry.objects.filter(kind__in=["resolution", "document"]).exists()
    assert SearchEntry.objects.filter(kind="minute", title__contains="Contract award").exists()
    # No longer exempt: its resolution and papers appear.
    item.is_exempt = False
    item.save()
    assert SearchEntry.objects.filter(kind="resolution").exists()
    assert SearchEntry.objects.filter(kind="document", title="Tender scores").exists()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("plan.pdf", text_pdf_bytes("Target hardening for victims")),
        ("plan.docx", docx_bytes("Target hardening for victims")),
    ],
)
def test_the_text_of_uploaded_pdf_and_word_files_is_indexed(
    settings, tmp_path, filename, content, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(title="Annual plan")
    # The text is read by a background job once the save commits.
    with django_capture_on_commit_callbacks(execute=True):
        document.file.save(filename, ContentFile(content), save=True)
    entry = SearchEntry.objects.get(kind="document")
    assert "Target hardening for victims" in entry.body
    assert entry.url == document.get_absolute_url()


def test_a_damaged_file_is_indexed_by_its_title(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(title="Broken report")
    with django_capture_on_commit_callbacks(execute=True):
        document.file.save("broken.pdf", ContentFile(b"%PDF-1.4 this is not a PDF"), save=True)
    entry = SearchEntry.objects.get(kind="document")
    assert (entry.title, entry.body) == ("Broken report", "")


ENTRY_FIELDS = (
    "kind",
    "object_id",
    "partnership_id",
    "municipal_year",
    "date",
    "title",
    "context",
    "body",
    "url",
)


def stored_entries():
    return set(SearchEntry.objects.values_list(*ENTRY_FIELDS))


def test_rebuild_makes_the_same_index_as_the_signals(settings, tmp_path):
    """rebuild_search_index writes minutes and resolutions with SQL of its
    own (search/indexing.py); every field must match what the signals write
    through entries_for_item(), case by case."""
    settings.MEDIA_ROOT = tmp_path
    may = PartnershipFactory(municipal_year_start_month=5)
    confirmed = MeetingFactory(partnership=may, date=datetime.date(2020, 3, 12), minutes_status="confirmed")
    item = AgendaItemFactory(
        meeting=confirmed, minute_number=43, title="Knife crime", agenda_text="Report.", minutes="Noted."
    )
    ResolutionFactory(item=item, number=1, text="That the plan be approved.")
    ResolutionFactory(item=item, number=2, text="")
    # Unnumbered items: addressed by their anchor on the meeting page, and
    # cited by their title (cut to the entry's 400 characters). The
    # highlighting markers are cleaned out the same way.
    long_title = "\u27e6Any\u27e7 other business " + "and more " * 30
    unnumbered = AgendaItemFactory(meeting=confirmed, minute_number=None, title=long_title)
    ResolutionFactory(item=unnumbered, number=1)
    # Only agenda text, only minutes, neither.
    AgendaItemFactory(meeting=confirmed, agenda_text="Agenda only.", minutes="")
    AgendaItemFactory(meeting=confirmed, agenda_text="", minutes="Minutes only.")
    AgendaItemFactory(meeting=confirmed, agenda_text="", minutes="")
    AgendaItemFactory(meeting=confirmed, title="\u27e6Marked\u27e7", minutes="A \u27e6b\u27e7 c.")
    # Exempt items: the reason or nothing; never resolutions.
    exempt = AgendaItemFactory(meeting=confirmed, is_exempt=True, exempt_reason="Paragraph 3 applies.")
    ResolutionFactory(item=exempt)
    AgendaItemFactory(meeting=confirmed, is_exempt=True, exempt_reason="")
    # Draft minutes: the agenda text only; no resolutions.
    draft = MeetingFactory(partnership=may, date=datetime.date(2020, 4, 30), minutes_status="none")
    drafted = AgendaItemFactory(meeting=draft, agenda_text="To follow.", minutes="Draft.")
    ResolutionFactory(item=drafted)
    # Published (not yet confirmed), cancelled, and a January-year partnership.
    published = MeetingFactory(
        date=datetime.date(2019, 12, 5), status="cancelled", minutes_status="published"
    )
    ResolutionFactory(item=AgendaItemFactory(meeting=published))
    january = MeetingFactory(partnership=PartnershipFactory(municipal_year_start_month=1))
    AgendaItemFactory(meeting=january)
    DocumentFactory(meeting=confirmed, item=item).file.save("plan.txt", ContentFile(b"x"), save=True)
    # A draft meeting: nothing of it, either way.
    private = MeetingFactory(partnership=may, date=datetime.date(2020, 5, 30), status="draft")
    ResolutionFactory(item=AgendaItemFactory(meeting=private, minutes="Private."))
    DocumentFactory(meeting=private).file.save("private.txt", ContentFile(b"x"), save=True)
    # Meetings' own entries are written by the effects of their operations (publishing/effects.py).
    for meeting in Meeting.objects.public().select_related("partnership"):
        indexing.reindex_meeting_entry(meeting)

    before = stored_entries()
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert stored_entries() == before
    kinds = [row[0] for row in before]
    assert (kinds.count("minute"), kinds.count("resolution"), kinds.count("document")) == (11, 4, 1)
    assert SearchEntry.objects.filter(kind="resolution", body="").exists()
    assert (
        len(SearchEntry.objects.get(kind="resolution", object_id=unnumbered.resolutions.get().pk).title)
        == 400
    )


# --- the page ----------------------------------------------------------


def test_empty_search_is_a_helpful_page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(EMPTY_SEARCH_QUERIES):
        response = search(client)
    assert response.status_code == 200
    assert b"Search everything the partnerships publish" in response.content


def test_a_search_finds_and_links_to_the_minute(client):
    item = AgendaItemFactory(title="Knife crime action plan", minutes="Members discussed knife crime.")
    AgendaItemFactory(title="Road safety", minutes="Speed cameras.")
    response = search(client, q="knife crime")
    assert response.status_code == 200
    assert item.get_absolute_url() in result_urls(response)
    assert all("Road" not in e.title for e in response.context["results"].entries)
    assert f'href="{item.get_absolute_url()}"'.encode() in response.content
    assert b"<mark>" in response.content


def test_no_results_says_what_to_try(client):
    AgendaItemFactory(title="Road safety")
    response = search(client, q="zebra")
    assert response.status_code == 200
    assert b"No results for" in response.content and b"check the spelling" in response.content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, b"200 characters or fewer"),
        ({"q": "crime", "partnership": "no-such"}, b"Choose a partnership from the list"),
        ({"q": "crime", "year": "last year"}, b"Choose a municipal year"),
        ({"q": "crime", "type": "people"}, b"Choose a type of result"),
        ({"q": "crime", "page": "0"}, b"Choose a page from 1"),
        ({"q": "crime", "page": "99999999999999999999"}, b"Choose a page from 1"),
        ({"q": "crime", "page": "abc"}, b"Choose a page from 1"),
    ],
)
def test_bad_query_strings_get_a_helpful_page_not_an_error(client, params, message):
    response = search(client, **params)
    assert response.status_code == 400
    assert message in response.content
    assert b"There is a problem" in response.content


@pytest.mark.parametrize(
    "q",
    ["\x00", "'", '"', "&|!:*", "-", "(((", "the", "<script>", "a:*", "knife & | ! crime", "🙂", "\u27e6"],
)
def test_odd_queries_never_fail(client, q):
    AgendaItemFactory(title="Knife crime", minutes="Knife crime & <b>tags</b>.")
    response = search(client, q=q)
    assert response.status_code in (200, 400)
    assert b"<script>" not in response.content.split(b"<main")[1]


def test_filters_by_partnership_year_and_type(client):
    sefton, wirral = PartnershipFactory(slug="sefton"), PartnershipFactory(slug="wirral")
    old = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 7, 1)), title="Knife crime 2019"
    )
    new = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2021, 7, 1)), title="Knife crime 2021"
    )
    other = AgendaItemFactory(meeting=MeetingFactory(partnership=wirral), title="Knife crime in Wirral")
    resolution = ResolutionFactory(item=new, text="That knife crime be tackled.")
    assert set(result_urls(search(client, q="knife", partnership="sefton"))) == {
        old.get_absolute_url(),
        new.get_absolute_url(),
        resolution.get_absolute_url(),
    }
    in_year = search(client, q="knife", partnership="sefton", year="2019/20")
    assert result_urls(in_year) == [old.get_absolute_url()]
    chosen = BeautifulSoup(in_year.content, "html.parser").select("#search-year option[selected]")
    assert [option["value"] for option in chosen] == ["2019/20"]
    assert result_urls(search(client, q="knife", type="resolution")) == [resolution.get_absolute_url()]
    assert other.get_absolute_url() in result_urls(search(client, q="knife"))


def test_the_partnership_filter_is_a_to_z_and_shows_a_renamed_partnership(client):
    """The filter lists every partnership by name, whatever their order on
    the site, and a rename shows at once: its options are kept escaped for
    the same names only."""
    import re

    PartnershipFactory(name="Wirral Community Safety Partnership", slug="wirral", order=0)
    sefton = PartnershipFactory(name="Sefton Safer Communities Partnership", slug="sefton", order=9)

    def options():
        select = re.search(r'<select[^>]*id="search-partnership".*?</select>', search(client).text, re.S)
        return re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', select[0])

    assert options() == [
        ("", "All partnerships"),
        ("sefton", "Sefton Safer Communities Partnership"),
        ("wirral", "Wirral Community Safety Partnership"),
    ]
    sefton.name = "Sefton & Bootle Safer Communities Partnership"
    sefton.save()
    assert ("sefton", "Sefton &amp; Bootle Safer Communities Partnership") in options()
    assert 'value="sefton" selected' in search(client, partnership="sefton", q="knife").text


@pytest.mark.parametrize("size", [3, 30])
def test_search_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    partnership = PartnershipFactory()
    for n in range(size):
        item = AgendaItemFactory(meeting=MeetingFactory(partnership=partnership), title=f"Knife crime {n}")
        ResolutionFactory(item=item, text="That knife crime be reduced.")
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = search(client, q="knife crime", partnership=partnership.slug)
    assert response.status_code == 200
    assert len(response.context["results"].entries) == min(2 * size, 20)


def test_pagination_is_a_fixed_page_size_with_links(client):
    meeting = MeetingFactory()
    for n in range(45):
        AgendaItemFactory(meeting=meeting, title=f"Domestic abuse update {n}")
    first = search(client, q="domestic abuse", type="minute")
    assert first.context["results"].count == 45
    assert len(first.context["results"].entries) == 20
    assert first.context["pages"] == 3
    assert b'rel="next"' in first.content and b'rel="prev"' not in first.content
    third = search(client, q="domestic abuse", type="minute", page="3")
    assert len(third.context["results"].entries) == 5
    seen = set()
    for page in ("1", "2", "3"):
        seen |= set(result_urls(search(client, q="domestic abuse", type="minute", page=page)))
    assert len(seen) == 45
    beyond = search(client, q="domestic abuse", type="minute", page="4")
    assert beyond.status_code == 200 and b"no results on page 4" in beyond.content


def test_sqlite_fallback_matches_every_word_in_any_order(client):
    if connection.vendor == "postgresql":
        pytest.skip("the contains fallback is SQLite's")
    item = AgendaItemFactory(title="Crime update", minutes="Knife incidents fell.")
    AgendaItemFactory(title="Knife amnesty", minutes="Bins installed.")
    assert result_urls(search(client, q="knife crime")) == [item.get_absolute_url()]


def test_the_header_has_a_search_box(client):
    response = client.get("/partnerships/")
    assert b'id="header-search"' in response.content
    assert b'action="/search/"' in response.content


# --- PostgreSQL full-text search ---------------------------------------


@postgres_only
def test_stemming_finds_other_forms_of_the_words(client):
    item = AgendaItemFactory(title="Update", minutes="The knife crime figures were discussed.")
    assert result_urls(search(client, q="knife crimes")) == [item.get_absolute_url()]
    assert result_urls(search(client, q="discussing")) == [item.get_absolute_url()]


@postgres_only
def test_a_match_in_the_title_ranks_above_one_in_the_text(client):
    meeting = MeetingFactory(date=datetime.date(2019, 1, 1))
    in_text = AgendaItemFactory(
        meeting=meeting, title="Any other business", minutes="Target hardening was mentioned."
    )
    in_title = AgendaItemFactory(
        meeting=MeetingFactory(date=datetime.date(2018, 1, 1)), title="Target hardening", minutes="An update."
    )
    assert result_urls(search(client, q="target hardening"))[:2] == [
        in_title.get_absolute_url(),
        in_text.get_absolute_url(),
    ]


@postgres_only
def test_snippets_highlight_the_matching_words_and_escape_the_text(client):
    AgendaItemFactory(
        title="Update",
        minutes="Officers said <b>PREVENT</b> referrals rose by half & more. " + "Other words. " * 40,
    )
    entry = search(client, q="prevent").context["results"].entries[0]
    assert "<mark>PREVENT</mark>" in entry.snippet
    assert "&amp; more" in entry.snippet
    assert "<b>" not in entry.snippet


@postgres_only
def test_web_search_syntax_phrases_and_exclusions(client):
    both = AgendaItemFactory(title="Domestic abuse", minutes="Domestic abuse services.")
    AgendaItemFactory(title="Abuse of alcohol", minutes="Domestic violence mentioned; alcohol abuse too.")
    assert result_urls(search(client, q='"domestic abuse"', type="minute")) == [both.get_absolute_url()]
    assert both.get_absolute_url() not in result_urls(search(client, q="abuse -domestic", type="minute"))


@postgres_only
def test_the_index_is_kept_by_the_database_on_save():
    item = AgendaItemFactory(title="Road safety", minutes="Speed cameras.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM search_searchentry WHERE kind = 'minute' AND object_id = %s",
            [item.pk],
        )
        vector = cursor.fetchone()[0]
    assert "'road':" in vector and "'camera':" in vector
    assert "A" in vector.split("'road':")[1].split(" ")[0]  # title words weigh A


def test_snippets_never_cut_through_escaped_text(client):
    AgendaItemFactory(title="Lights", minutes="Lamps & amp ampersand")
    entry = search(client, q="amp").context["results"].entries[0]
    assert "&amp; " in entry.snippet  # the entity is whole
    assert "&<mark>" not in entry.snippet


def bulk_minutes(count, title, body, start=datetime.date(2000, 1, 1), first_id=0):
    """`count` minute entries a day apart from `start`, straight into the
    index (as rebuild_search_index writes them)."""
    partnership = PartnershipFactory()
    SearchEntry.objects.bulk_create(
        SearchEntry(
            kind="minute",
            object_id=first_id + n,
            partnership=partnership,
            municipal_year="2000/01",
            date=start + datetime.timedelta(days=n),
            title=title(n),
            body=body,
            url=f"/minute-{first_id + n}/",
        )
        for n in range(count)
    )


@postgres_only
def test_common_words_rank_the_newest_matches_and_say_more_than(client, django_assert_num_queries):
    """Past CANDIDATES matches the newest are ranked, found by one walk down
    the date index."""
    from search.managers import CANDIDATES

    start = datetime.date(2000, 1, 1)
    bulk_minutes(
        CANDIDATES + 100,
        lambda n: "Knife crime update" if n == CANDIDATES else "Update",
        "Members discussed knife crime.",
    )
    with django_assert_num_queries(1):
        results = SearchEntry.objects.search("knife crime", limit=20)
    assert results.more_than
    # The title match ranks first; everything shown is among the newest matches.
    assert results.entries[0].url == f"/minute-{CANDIDATES}/"
    oldest_candidate = start + datetime.timedelta(days=100)
    assert all(entry.date >= oldest_candidate for entry in results.entries)
    response = search(client, q="knife crime")
    assert b"More than 200 results" in response.content
    assert (
        "the newest 200 are shown, best match first, page 1 of 10. Add words or a filter to narrow them."
        in text_of(response)
    )


@postgres_only
def test_a_word_common_only_long_ago_ranks_its_newest_matches(monkeypatch, django_assert_num_queries):
    """More than CANDIDATES matches, none among the newest entries: the count
    and the newest matches come from the GIN index."""
    from search import managers

    monkeypatch.setattr(managers, "WINDOW", 50)
    old = managers.CANDIDATES + 10
    bulk_minutes(old, lambda n: f"Riot {n}", "Public order after the riots.")
    bulk_minutes(100, lambda n: "Roads", "Speed cameras.", start=datetime.date(2010, 1, 1), first_id=old)
    with django_assert_num_queries(1):
        results = SearchEntry.objects.search("riot", limit=20)
    assert results.more_than
    ranked = {entry.url for entry in results.entries}
    assert "/minute-0/" not in ranked and all(entry.title.startswith("Riot") for entry in results.entries)
    assert results.entries[0].date == datetime.date(2000, 1, 1) + datetime.timedelta(days=old - 1)


@postgres_only
def test_undated_entries_never_use_up_the_walk_through_the_newest(monkeypatch, django_assert_num_queries):
    """People, partnerships and glossary terms have no date, and a national
    site has thousands of them. Each that matches is a candidate, read from
    an index of their own; the walk through the newest entries counts dated
    ones only, so that the undated never use it up before the first minute."""
    from search import managers

    monkeypatch.setattr(managers, "WINDOW", 50)
    bulk_minutes(managers.CANDIDATES + 10, lambda n: "Update", "Members discussed knife crime.")
    SearchEntry.objects.bulk_create(
        [SearchEntry(kind="person", object_id=n, title=f"Person {n}", url=f"/people/{n}/") for n in range(60)]
        + [SearchEntry(kind="term", object_id=1, title="Knife crime", body="Crime with a knife.", url="/k/")]
    )
    analyse_the_index()
    plan = plan_of(lambda: SearchEntry.objects.search("knife crime", limit=20))
    assert walked(plan) == 50  # dated entries only, as many as the window holds
    with django_assert_num_queries(1):
        results = SearchEntry.objects.search("knife crime", limit=20)
    assert results.more_than
    assert results.entries[0].url == "/k/"  # the match in a title ranks first


def analyse_the_index():
    """The statistics autovacuum keeps of a real index, at once: they tell a
    search which words are common."""
    from search.managers import forget_common_words

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    forget_common_words()


def plan_of(run):
    """PostgreSQL's plan of the one query `run` makes, as it ran."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + query["sql"])
        return "\n".join(row[0] for row in cursor.fetchall())


def walked(plan):
    """How many rows the walk through the newest entries read (0 if it was
    not taken): the rows of the window's limit under the walk."""
    lines = plan.splitlines()
    start = next(n for n, line in enumerate(lines) if "Subquery Scan on newest" in line)
    window = next(line for line in lines[start + 1 :] if "Limit" in line)
    return 0 if "never executed" in window else int(window.split("rows=")[1].split()[0])


@postgres_only
def test_only_a_common_word_walks_through_the_newest_entries(django_assert_num_queries):
    """A common word's newest matches are found by walking down the date
    index; a rare one's (a place, a person's name) from the GIN index at
    once, since the walk would read the whole window for a few matches. The
    statistics ANALYZE keeps tell which is which, as they tell the planner."""
    from search.managers import CANDIDATES

    bulk_minutes(3000, lambda n: "Update", "Members discussed knife crime.")
    bulk_minutes(3, lambda n: "Target hardening", "Locks for victims in Bootle.", first_id=5000)
    analyse_the_index()
    assert walked(plan_of(lambda: SearchEntry.objects.search("knife crime"))) > CANDIDATES
    assert walked(plan_of(lambda: SearchEntry.objects.search("bootle"))) == 0
    with django_assert_num_queries(1):
        results = SearchEntry.objects.search("bootle")
    assert (results.count, len(results.entries)) == (3, 3)


@postgres_only
def test_the_common_words_are_read_with_a_search_and_kept_a_while(monkeypatch):
    """Reading the statistics costs as much as a search: the first search
    reads them, in its own query, and the process keeps them
    COMMON_WORDS_SECONDS."""
    from django.test.utils import CaptureQueriesContext

    from search import managers

    bulk_minutes(3000, lambda n: "Update", "Members discussed knife crime.")
    bulk_minutes(3, lambda n: "Target hardening", "Locks for victims in Bootle.", first_id=5000)
    analyse_the_index()
    clock = [1000.0]
    monkeypatch.setattr(managers.time, "monotonic", lambda: clock[0])
    searches = []
    for seconds_later in (0, managers.COMMON_WORDS_SECONDS - 1, managers.COMMON_WORDS_SECONDS):
        clock[0] += seconds_later
        with CaptureQueriesContext(connection) as captured:
            assert SearchEntry.objects.search("knife crime").more_than
        (query,) = captured.captured_queries
        searches.append("pg_stats" in query["sql"])
        (_read_at, words, _literal) = managers.COMMON_WORDS[connection.alias]
        assert {"knife", "crime"} <= set(words) and "bootl" not in words
    assert searches == [True, False, True]


@postgres_only
def test_the_common_words_reach_the_database_as_they_were_read():
    from search.managers import COMMON_WORDS, forget_common_words, remember_common_words

    words = ["crime", 'o"neil', "back\\slash", "a,b", "{brace}", "two words", "", "NULL"]
    remember_common_words(connection.alias, 0.0, words)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::text[]", [COMMON_WORDS[connection.alias][2]])
            assert cursor.fetchone()[0] == words
    finally:
        forget_common_words()


@postgres_only
@pytest.mark.parametrize("order", ["relevance", "date"])
def test_a_search_finds_the_same_whether_it_walks_or_not(initial_content_committed, order):
    """Whether the walk is taken changes only how long a search takes: the
    same pages for words with more matches than are ranked (the walk fills)
    and fewer, with undated matches among them."""
    import time

    from search.managers import CANDIDATES, forget_common_words, remember_common_words

    bulk_minutes(
        CANDIDATES + 100,
        lambda n: f"Update {n % 7}",
        "Members discussed knife crime in Sefton.",
        first_id=10**6,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(word) FROM ts_stat('SELECT search_vector FROM search_searchentry')")
        every_word = cursor.fetchone()[0]
    words = [*SEED_WORDS, "knife crime", "update 3"]
    pages = {}
    try:
        for common in (every_word, []):
            remember_common_words(connection.alias, time.monotonic(), common)
            pages[bool(common)] = [
                [
                    (e.url, str(e.snippet))
                    for e in SearchEntry.objects.search(w, order=order, limit=CANDIDATES).entries
                ]
                for w in words
            ]
            walks = walked(plan_of(lambda: SearchEntry.objects.search("crime")))
            assert walks > 0 if common else walks == 0
    finally:
        forget_common_words()
    assert pages[True] == pages[False]
    assert any(len(page) == CANDIDATES for page in pages[True])  # some filled


@postgres_only
def test_every_undated_match_is_ranked_however_many_dated_ones(django_assert_num_queries):
    """Past CANDIDATES matches, the newest are ranked: the undated ones (a
    partnership, a glossary term) always among them, the oldest dated match
    left out instead."""
    from search.managers import CANDIDATES

    bulk_minutes(CANDIDATES + 50, lambda n: "Update", "Members discussed knife crime.")
    SearchEntry.objects.bulk_create(
        [SearchEntry(kind="partnership", object_id=1, title="Partnership", body="Knife crime.", url="/p/")]
    )
    analyse_the_index()
    for order in ("relevance", "date"):
        results = SearchEntry.objects.search("knife crime", order=order, limit=CANDIDATES)
        urls = [entry.url for entry in results.entries]
        assert results.more_than and len(urls) == CANDIDATES
        assert "/p/" in urls, order
        # The newest 499 dated matches (minutes 51 to 549) are ranked; the
        # 500th newest, minute 50, is left out for the partnership.
        assert f"/minute-{CANDIDATES + 49}/" in urls and "/minute-51/" in urls
        assert "/minute-50/" not in urls


@postgres_only
def test_a_rare_word_is_counted_exactly(django_assert_num_queries):
    bulk_minutes(30, lambda n: "Update", "Members discussed knife crime.")
    bulk_minutes(3, lambda n: "Target hardening", "Locks for victims.", first_id=100)
    with django_assert_num_queries(1):
        results = SearchEntry.objects.search("target hardening", limit=20)
    assert (results.count, results.more_than, len(results.entries)) == (3, False, 3)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_rebuild_outside_a_transaction_recreates_the_gin_index_as_migrated():
    """Outside a transaction the rebuild truncates, drops the GIN index and
    builds it again at the end: with the definition migration 0004 gave it,
    filtered columns included."""

    def gin_definition():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector_gin'")
            return cursor.fetchone()[0]

    def undated_gin_definition():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_undated_gin'")
            return cursor.fetchone()[0]

    migrated = gin_definition()
    assert "partnership_id, municipal_year, kind" in migrated
    undated = undated_gin_definition()
    assert "WHERE (date IS NULL)" in undated
    item = AgendaItemFactory(title="Target hardening", minutes="Locks for victims.")
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert gin_definition() == migrated
    assert undated_gin_definition() == undated
    assert [entry.url for entry in SearchEntry.objects.search("target hardening").entries] == [
        item.get_absolute_url()
    ]


# Ordinary words a resident types, taken from the seed pages: each matches
# partnerships (which have no date) as well as dated minutes and meetings.
SEED_WORDS = [
    "crime",
    "partnership",
    "sefton",
    "safer",
    "meeting",
    "community safety",
    "knife",
    "merseyside",
    "domestic abuse",
    "police",
    "priorities",
    "commissioner",
]


@postgres_only
def test_common_words_from_the_seed_content_find_dated_and_undated_entries(client, initial_content_committed):
    for words in SEED_WORDS:
        response = search(client, q=words)
        assert response.status_code == 200, words
        results = response.context["results"]
        assert results.count > 0 and results.entries, words
        # Every result shown contains the first word's stem ("meet" for
        # "meeting") in its title or snippet.
        stem = words.split()[0][:4]
        for entry in results.entries:
            assert stem in (entry.title + entry.snippet).lower(), (words, entry.title, entry.snippet)


@postgres_only
@pytest.mark.parametrize("order", ["relevance", "date"])
def test_pages_match_the_orm_order_of_the_same_matches(initial_content_committed, order):
    """Every page of every seed word lists what the ORM's ORDER BY rank,
    date (undated last), id gives for the same matches."""
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import F

    from search.managers import NEWEST_FIRST
    from search.models import CONFIG

    for words in SEED_WORDS:
        query = SearchQuery(words, search_type="websearch", config=CONFIG)
        matches = SearchEntry.objects.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
        ordering = ("-rank", NEWEST_FIRST) if order == "relevance" else (NEWEST_FIRST, "-rank")
        expected = list(matches.order_by(*ordering, "-pk").values_list("url", flat=True))
        shown = []
        for offset in range(0, len(expected), 7):
            shown += [
                e.url for e in SearchEntry.objects.search(words, order=order, offset=offset, limit=7).entries
            ]
        assert shown == expected, words


@postgres_only
def test_a_search_of_no_entries_runs_no_query(django_assert_num_queries):
    """A QuerySet that can match nothing (alerts with no new entries) is
    answered without asking the database."""
    AgendaItemFactory(title="Knife crime action plan")
    with django_assert_num_queries(0):
        results = SearchEntry.objects.filter(pk__in=[]).search("knife crime")
    assert (results.count, results.entries) == (0, [])
    assert SearchEntry.objects.filter(kind="minute").search("knife crime").count == 1


def test_results_show_titles_and_places_as_typed_escaped(client):
    """Whatever a clerk types into a title, or a partnership's name holds,
    a result shows it as text."""
    partnership = PartnershipFactory(name='Safety & "Justice" <Partnership>')
    item = AgendaItemFactory(
        meeting=MeetingFactory(partnership=partnership),
        title='Gangs <script>alert("x")</script> & knives',
        minutes="Members discussed gangs.",
    )
    main = search(client, q="gangs", type="minute").content.decode().split("<main")[1]
    assert f'href="{item.get_absolute_url()}"' in main
    assert "Gangs &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; knives</a></h3>" in main
    assert (
        "<strong>Minute</strong> · Safety &amp; &quot;Justice&quot; &lt;Partnership&gt;, meeting of" in main
    )
    assert "<script>" not in main
