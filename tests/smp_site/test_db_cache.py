"""The database cache's writes (foundation/db_cache.py): Django's meaning of
set() and add(), in one statement on PostgreSQL, the table still culled."""

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


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_write_is_one_statement_and_the_table_is_counted_once_in_a_hundred(pages):
    cache = bounded_cache(100_000)
    with CaptureQueriesContext(connection) as queries:
        for n in range(2 * db_cache.CULL_CHECK_EVERY):
            cache.set(f"page-{n}", "<html>")
    statements = [q["sql"] for q in queries.captured_queries]
    counts = [sql for sql in statements if sql.startswith("SELECT COUNT(*)")]
    assert len(counts) == 2
    assert len(statements) == 2 * db_cache.CULL_CHECK_EVERY + len(counts)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_table_is_still_culled_when_it_holds_more_than_max_entries(pages):
    # As in production, the bound is far above the writes between counts.
    cache = bounded_cache(500)
    for n in range(10 * db_cache.CULL_CHECK_EVERY):
        cache.set(f"page-{n}", "<html>")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM page_cache")
        rows = cursor.fetchone()[0]
    assert rows <= 500 + db_cache.CULL_CHECK_EVERY


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
