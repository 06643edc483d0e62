"""The database cache's writes (foundation/db_cache.py): Django's meaning of
set() and add(), in two statements on PostgreSQL whatever the table holds,
the table still culled."""

import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from foundation import db_cache

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps Django's own writes"
)


@pytest.fixture
def pages():
    cache = caches["pages"]
    cache.clear()
    yield cache
    cache.clear()


def bounded_cache(max_entries):
    return db_cache.DatabaseCache(
        "page_cache", {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}}
    )


@pytest.mark.django_db(transaction=True)
def test_set_replaces_and_add_keeps_what_is_there_until_it_expires(pages):
    assert pages.set("page", {"html": "first"}) is None
    assert pages.get("page") == {"html": "first"}
    pages.set("page", {"html": "second"})
    assert pages.get("page") == {"html": "second"}

    assert pages.add("page", "third") is False
    assert pages.get("page") == {"html": "second"}
    assert pages.add("version", "v1", timeout=None) is True
    assert pages.add("version", "v2", timeout=None) is False
    assert pages.get("version") == "v1"

    pages.set("short", "old", timeout=1)
    time.sleep(2.1)
    assert pages.get("short") is None
    assert pages.add("short", "new", timeout=60) is True, "an expired row is replaced"
    assert pages.get("short") == "new"
    assert pages.get_many(["page", "version", "short"]) == {
        "page": {"html": "second"},
        "version": "v1",
        "short": "new",
    }


def analyze_page_cache():
    """What autovacuum does in its own time: the planner's row estimate."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE page_cache")


def page_cache_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM page_cache")
        return cursor.fetchone()[0]


@pytest.fixture
def no_autovacuum():
    """The estimate changes only when a test analyzes the table."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE page_cache SET (autovacuum_enabled = false)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE page_cache RESET (autovacuum_enabled)")


def statements_of_a_write(cache, key):
    with CaptureQueriesContext(connection) as queries:
        cache.set(key, "<html>")
    return [q["sql"] for q in queries.captured_queries]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_write_is_two_statements_and_counts_no_rows_however_full_the_table(pages, no_autovacuum):
    cache = bounded_cache(100_000)
    small = statements_of_a_write(cache, "first")
    for n in range(3000):
        cache.set(f"page-{n}", "<html>")
    analyze_page_cache()
    large = statements_of_a_write(cache, "last")
    assert len(small) == len(large) == 2
    assert "reltuples" in large[0] and large[1].startswith("INSERT INTO")
    assert not any(sql.startswith("SELECT COUNT(*)") for sql in large)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_table_is_culled_when_it_holds_more_than_max_entries(pages, no_autovacuum):
    cache = bounded_cache(500)
    # Never analyzed: counted on each write, so held to its bound exactly.
    for n in range(1000):
        cache.set(f"page-{n}", "<html>")
    assert page_cache_rows() <= 501
    # Once analyzed, it passes its bound until the next ANALYZE shows it...
    pages.clear()
    for n in range(400):
        cache.set(f"page-{n}", "<html>")
    analyze_page_cache()
    for n in range(400, 700):
        cache.set(f"page-{n}", "<html>")
    grown = page_cache_rows()
    assert grown == 700
    analyze_page_cache()
    # ...and the next write counts it and culls half (CULL_FREQUENCY 2).
    cache.set("after-analyze", "<html>")
    assert page_cache_rows() < grown / 2 + 2
    assert cache.get("after-analyze") == "<html>"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_write_that_fails_inside_a_save_leaves_the_save_usable(pages):
    from tests.partnerships.factories import PartnershipFactory

    with transaction.atomic():
        partnership = PartnershipFactory()
        # cache_key is varchar(255): PostgreSQL refuses a longer key.
        with pytest.warns(CacheKeyWarning):
            assert pages.add("k" * 300, "value") is False
        partnership.name = "Renamed after the failed write"
        partnership.save()
    partnership.refresh_from_db()
    assert partnership.name == "Renamed after the failed write"
