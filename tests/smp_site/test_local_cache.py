"""Each worker's copy of the page cache (foundation/local_cache.py): what it
keeps, for how long, and in how much memory. Its use while Redis fails is
tested with a real redis-server in test_outages.py."""

from django.http import HttpResponse

from foundation.local_cache import LocalCopy


def test_a_value_is_served_only_within_the_bound_from_when_it_was_known_current():
    copy = LocalCopy(seconds=5, max_bytes=1024 * 1024)
    copy.keep([("version", "a1b2"), ("page", ("a1b2", "<html>"))], now=100.0)
    assert copy.get_many(["version", "page", "other"], now=105.0) == {
        "version": "a1b2",
        "page": ("a1b2", "<html>"),
    }
    assert copy.get_many(["version", "page"], now=105.01) == {}
    # Known current again (read from Redis again): a new bound from then.
    copy.keep([("version", "a1b2")], now=105.01)
    assert copy.get_many(["version"], now=110.0) == {"version": "a1b2"}


def test_each_read_gets_its_own_copy_of_a_page():
    copy = LocalCopy(seconds=5, max_bytes=1024 * 1024)
    copy.keep([("page", HttpResponse(b"<p>Minutes</p>"))], now=0.0)
    first = copy.get_many(["page"], now=1.0)["page"]
    first["X-Page-Cache"] = "hit"
    second = copy.get_many(["page"], now=1.0)["page"]
    assert second is not first and "X-Page-Cache" not in second
    assert second.content == b"<p>Minutes</p>"


def test_memory_is_bounded_dropping_what_was_least_recently_known_current():
    copy = LocalCopy(seconds=60, max_bytes=3000)
    for n in range(10):
        copy.keep([(f"page-{n}", "x" * 900)], now=float(n))
    assert copy.bytes <= 3000
    assert set(copy.get_many([f"page-{n}" for n in range(10)], now=10.0)) == {"page-7", "page-8", "page-9"}
    # Kept again, a page goes to the back of the queue.
    copy.keep([("page-7", "x" * 900)], now=11.0)
    copy.keep([("page-10", "x" * 900)], now=12.0)
    assert set(copy.get_many([f"page-{n}" for n in range(11)], now=12.0)) == {"page-9", "page-7", "page-10"}
    # A value larger than the whole bound is not kept at all.
    copy.keep([("huge", "x" * 5000)], now=13.0)
    assert copy.get_many(["huge"], now=13.0) == {}


def test_what_is_past_the_bound_is_dropped_from_memory():
    copy = LocalCopy(seconds=5, max_bytes=1024 * 1024)
    copy.keep([(f"page-{n}", "x" * 100) for n in range(50)], now=0.0)
    copy.keep([("fresh", "y")], now=6.0)
    assert len(copy) == 1 and copy.bytes < 100


def test_forget_and_clear():
    copy = LocalCopy(seconds=5, max_bytes=1024 * 1024)
    copy.keep([("a", "1"), ("b", "2")], now=0.0)
    copy.forget(["a"])
    assert copy.get_many(["a", "b"], now=0.0) == {"b": "2"}
    copy.clear()
    assert (len(copy), copy.bytes) == (0, 0)
