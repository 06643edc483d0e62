"""When what the site depends on fails: the cache (a real redis-server,
stopped and started again by the test), the database (the connection
pointed at a port where nothing listens, on PostgreSQL) and requests for
hosts the site does not serve.

The cache is an aid: without it pages are built uncached and the survey
works. Without the database the site says "unavailable, try again" (503,
Retry-After) on its own styled page, and a resident whose answers were
stored still sees their reference."""

import contextlib
import logging
import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis
from django.db import connection, connections
from django.test import Client

from consultation.models import Response
from foundation import failsafe_cache
from tests.consultation.factories import survey
from tests.consultation.journey import answer_all, send
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, form_data, restore_clerk_role, staff_user

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database lives in memory and cannot be cut off; PostgreSQL can",
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, on a free port, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed: apt-get install redis-server")
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def redis_cache(settings, redis_server):
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_server.url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}
    settings.PAGE_CACHE_SECONDS = 300
    # Each test starts with closed breakers and an empty local copy, as a
    # worker starts (both are one per process).
    failsafe_cache._breakers.clear()
    failsafe_cache.clear_local_copies()
    yield redis_server
    failsafe_cache._breakers.clear()
    failsafe_cache.clear_local_copies()


def keep_pages_locally_for(settings, seconds):
    settings.CACHE_LOCAL_COPIES = {"pages": {"SECONDS": seconds, "MAX_BYTES": 32 * 1024 * 1024}}


@contextlib.contextmanager
def cache_unreachable(settings):
    """The caches pointed at a port where nothing listens, as when the
    network to Redis fails: unreachable, while the server keeps all it held
    for when it is reached again."""
    saved = settings.CACHES
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {alias: {**config, "LOCATION": nowhere} for alias, config in saved.items()}
    try:
        yield
    finally:
        settings.CACHES = saved


def cache_errors(caplog):
    return [r for r in caplog.records if r.name == "foundation.failsafe_cache" and r.levelno >= logging.ERROR]


def test_while_redis_is_down_a_worker_serves_its_recent_pages_and_builds_the_rest(
    client, db, redis_cache, caplog
):
    url = PartnershipFactory(name="Sefton Safer Communities Partnership").get_absolute_url()
    other = PartnershipFactory(name="Wirral Community Safety Partnership").get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    redis_cache.stop()
    for _ in range(5):
        # Served a moment ago: from this worker's own copy.
        response = client.get(url)
        assert response.status_code == 200
        assert b"Sefton Safer Communities Partnership" in response.content
        assert response["X-Page-Cache"] == "hit"
    # Never served by this worker: built, and then served from its copy too.
    assert client.get(other)["X-Page-Cache"] == "miss"
    response = client.get(other)
    assert response["X-Page-Cache"] == "hit" and b"Wirral Community Safety Partnership" in response.content
    assert len(cache_errors(caplog)) == 1, "the outage is logged once, not once a request"

    redis_cache.start()
    # Redis started empty: built and stored there again.
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert redis.Redis(port=redis_cache.port).dbsize() > 0
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_while_redis_answers_the_copy_is_never_read(client, db, redis_cache):
    """Another worker's change marks pages stale in Redis: this worker sees
    it on its next request, whatever its copy holds."""
    from foundation import page_cache

    partnership = PartnershipFactory(name="Sefton Safer Communities Partnership")
    url = partnership.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    # As the other worker's change writes it.
    scope = page_cache.partnership_scope(partnership.pk)
    page_cache.pages().set(page_cache.version_key(scope), "another-workers-version", timeout=None)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_without_a_local_copy_pages_are_built_uncached_while_redis_is_down(client, db, settings, redis_cache):
    keep_pages_locally_for(settings, 0)
    url = PartnershipFactory(name="Sefton Safer Communities Partnership").get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    redis_cache.stop()
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200 and "X-Page-Cache" not in response


def test_a_resident_can_answer_and_send_while_redis_is_down(client, db, redis_cache):
    consultation = survey()
    redis_cache.stop()
    assert client.get(consultation.get_absolute_url()).status_code == 200
    answer_all(client, consultation, comment="Sent during a cache outage")
    response = send(client, consultation)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert Response.objects.get().reference in page


# The change commits, so that the page cache's on-commit work runs.
@pytest.mark.django_db(transaction=True)
def test_a_clerks_change_is_saved_and_shown_while_redis_is_down(client, redis_cache):
    restore_clerk_role()
    partnership = PartnershipFactory(name="Knowsley Community Safety Partnership")
    clerk = client_for(staff_user("knowsley-clerk", "Clerk", [partnership]))
    change = f"/admin/partnerships/partnership/{partnership.pk}/change/"
    data = form_data(clerk.get(change))
    redis_cache.stop()
    response = clerk.post(change, {**data, "name": "Knowsley CSP"})
    assert response.status_code == 302
    assert b"Knowsley CSP" in client.get(partnership.get_absolute_url()).content


# Pages are kept for a day, so a change whose new versions could not be
# written must not leave the old page to be served when the cache answers.
@pytest.mark.django_db(transaction=True)
def test_a_change_made_while_redis_is_unreachable_shows_once_it_answers_again(client, settings, redis_cache):
    restore_clerk_role()
    partnership = PartnershipFactory(name="Wirral Community Safety Partnership")
    url = partnership.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    clerk = client_for(staff_user("wirral-clerk", "Clerk", [partnership]))
    change = f"/admin/partnerships/partnership/{partnership.pk}/change/"
    data = form_data(clerk.get(change))

    with cache_unreachable(settings):
        assert clerk.post(change, {**data, "name": "Wirral CSP"}).status_code == 302
        # Still unreachable: built uncached, with the change.
        while_frozen = client.get(url)
        assert "X-Page-Cache" not in while_frozen
        assert b"Wirral CSP" in while_frozen.content

    # Redis is reached again, with the page from before the change still
    # stored under the versions it was built with: the new versions are
    # written first, and the page is built again.
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert b"Wirral CSP" in page.content
    assert client.get(url)["X-Page-Cache"] == "hit"


@contextlib.contextmanager
def database_unreachable():
    """The site's connection pointed at a port where nothing listens, as
    when the database server is down; restored afterwards."""
    wrapper = connections["default"]
    saved = dict(wrapper.settings_dict)
    wrapper.close()
    wrapper.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    try:
        yield
    finally:
        wrapper.close()
        wrapper.settings_dict.clear()
        wrapper.settings_dict.update(saved)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_database_outage_is_the_styled_503_page_with_retry_after():
    url = PartnershipFactory().get_absolute_url()
    browser = Client(raise_request_exception=False)
    with database_unreachable():
        for path in ("/", url, "/search/?q=crime", "/have-your-say/"):
            response = browser.get(path)
            assert response.status_code == 503, path
            assert int(response["Retry-After"]) > 0
            page = response.content.decode()
            assert "Sorry, the service is unavailable" in page and "govuk-template" in page
    assert browser.get(url).status_code == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_resident_whose_answers_were_stored_sees_the_reference_while_the_database_is_down():
    consultation = survey()
    resident = Client(raise_request_exception=False)
    answer_all(resident, consultation)
    sent = send(resident, consultation)
    reference = Response.objects.get().reference
    with database_unreachable():
        # The confirmation, with the resident's session cookie.
        page = resident.get(sent.url)
        assert page.status_code == 200
        assert reference in page.content.decode()
        assert consultation.title in page.content.decode()
        # Sending again meanwhile: "unavailable, try again", never a 500.
        assert send(resident, consultation).status_code == 503
    # And afterwards the same reference, counted once.
    assert reference in resident.get(send(resident, consultation).url).content.decode()
    assert Response.objects.count() == 1


def test_a_forged_or_foreign_confirmation_shows_no_reference(client, db):
    consultation = survey()
    other = survey()
    answer_all(client, other)
    sent = send(client, other).url
    reference = Response.objects.get().reference
    value = sent.split("?r=", 1)[1]
    # The signed value of another consultation, or a tampered one.
    for query in (value, value[:-2] + ("AA" if not value.endswith("AA") else "BB")):
        response = Client().get(f"/have-your-say/{consultation.slug}/sent/?r={query}")
        assert response.status_code == 302
        assert reference not in response.content.decode()


def test_a_request_for_a_foreign_host_is_one_warning_per_host_without_a_traceback(client, db, caplog):
    hosts = [f"{uuid.uuid4().hex}.example", f"{uuid.uuid4().hex}.example"]
    with caplog.at_level(logging.INFO):
        for host in [*hosts, *hosts, hosts[0]]:
            assert client.get("/", HTTP_HOST=host).status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert [r.levelname for r in records] == ["WARNING", "WARNING"]
    assert [h for h in hosts if any(h in r.getMessage() for r in records)] == hosts
    assert all(r.exc_info is None and r.exc_text is None for r in records)


# --- dependencies that hang rather than refuse --------------------------------


def timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def test_a_frozen_redis_costs_one_timeout_then_no_request_waits_on_it(client, db, settings, redis_cache):
    """SIGSTOP: connections are accepted, nothing is answered. Each call
    would wait its 1 s socket timeout; the circuit breaker makes that once,
    and tries Redis again in the background, not in a request, every
    CACHE_RETRY_SECONDS. Meanwhile pages come from the worker's copy."""
    import signal

    # A request that waits on the frozen Redis takes its socket timeout at
    # least: 3 s here (1 s in production) keeps that well apart from what a
    # request of a busy machine running the suite twice over may take.
    timeout = 3
    settings.CACHES = {
        alias: {**config, "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout}}
        for alias, config in settings.CACHES.items()
    }
    settings.CACHE_RETRY_SECONDS = 0.5
    keep_pages_locally_for(settings, 30)
    url = PartnershipFactory(name="Sefton Safer Communities Partnership").get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    redis_cache.process.send_signal(signal.SIGSTOP)
    try:
        first, first_seconds = timed(lambda: client.get(url))
        assert first.status_code == 200 and first["X-Page-Cache"] == "hit"
        assert b"Sefton Safer Communities Partnership" in first.content
        assert first_seconds < 2 * timeout
        # Over two pauses, each ended by a try in the background that waits
        # out its own timeout: no request waits for it.
        answers = []
        started = time.monotonic()
        while time.monotonic() - started < 2 * (settings.CACHE_RETRY_SECONDS + timeout) + 0.5:
            answers.append(timed(lambda: client.get(url)))
        assert all(response.status_code == 200 for response, _ in answers)
        assert all(response["X-Page-Cache"] == "hit" for response, _ in answers)
        slowest = max(seconds for _, seconds in answers)
        assert slowest < timeout - 1, f"a request waited {slowest:.2f} s on the frozen Redis"
        assert failsafe_cache.breaker("pages").is_open
    finally:
        redis_cache.process.send_signal(signal.SIGCONT)
    # Once a try in the background finds it answering, requests use it again.
    thawed = time.monotonic()
    while failsafe_cache.breaker("pages").is_open:
        assert time.monotonic() - thawed < 5, "Redis not used again within 5 s of thawing"
        client.get(url)
        time.sleep(0.05)
    stored = redis.Redis(port=redis_cache.port).dbsize()
    assert client.get(f"{url}?fresh")["X-Page-Cache"] == "miss"
    assert redis.Redis(port=redis_cache.port).dbsize() > stored


# Committed, so that the page cache's on-commit work runs as it does in a worker.
@pytest.mark.django_db(transaction=True)
def test_a_change_saved_by_another_worker_while_redis_is_frozen_shows_within_the_bound(
    client, settings, redis_cache
):
    """Another worker's change cannot mark pages stale while Redis hangs:
    each worker's copy is served for at most PAGE_CACHE_LOCAL_SECONDS after
    it was last known current, then the page is built from the database."""
    import signal

    from partnerships.models import Partnership

    bound = 3
    settings.CACHE_RETRY_SECONDS = 30  # no try of Redis during the test
    keep_pages_locally_for(settings, bound)
    partnership = PartnershipFactory(name="Sefton Safer Communities Partnership")
    url = partnership.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    last_known_current = time.monotonic()
    redis_cache.process.send_signal(signal.SIGSTOP)
    try:
        assert client.get(url)["X-Page-Cache"] == "hit"
        # Saved in another process: this one gets no signal of it, and the
        # other could write no new version to Redis.
        Partnership.objects.filter(pk=partnership.pk).update(name="Sefton Community Safety Partnership")
        changed = time.monotonic()
        while b"Sefton Community Safety Partnership" not in client.get(url).content:
            assert time.monotonic() - last_known_current < bound + 1, (
                "the change did not show within the bound"
            )
            time.sleep(0.05)
        seen_after = time.monotonic() - changed
        # Built again from the database, then served from the copy again.
        for _ in range(3):
            response = client.get(url)
            assert b"Sefton Community Safety Partnership" in response.content
            assert b"Sefton Safer Communities Partnership" not in response.content
        assert response["X-Page-Cache"] == "hit"
    finally:
        redis_cache.process.send_signal(signal.SIGCONT)
    assert seen_after <= bound + 1


@contextlib.contextmanager
def database_behind(proxy):
    """The site's connection made through `proxy` (faults/run.py's, which
    can hold connections open and forward nothing); restored afterwards."""
    wrapper = connections["default"]
    saved = dict(wrapper.settings_dict)
    wrapper.close()
    wrapper.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    try:
        yield
    finally:
        proxy.heal()
        wrapper.close()
        wrapper.settings_dict.clear()
        wrapper.settings_dict.update(saved)


def within(seconds, request):
    """request() in a thread; its answer, or None if none came within `seconds`."""
    import threading

    answer = []
    thread = threading.Thread(target=lambda: answer.append(timed(request)), daemon=True)
    thread.start()
    thread.join(seconds)
    return answer[0] if answer else None


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_partitioned_database_is_the_503_page_within_seconds_and_back_when_it_heals(settings):
    """A database that is reachable but answers nothing (a partition behind
    a proxy): the request that meets it gets the 503 page within a few
    seconds, those after it at once, liveness still answers, and pages are
    built again soon after it heals."""
    from faults.run import DatabaseProxy

    settings.DATABASE_RETRY_SECONDS = 1
    url = PartnershipFactory().get_absolute_url()
    parts = connection.settings_dict
    proxy = DatabaseProxy(parts["HOST"] or "127.0.0.1", int(parts["PORT"] or 5432)).start()
    browser = Client(raise_request_exception=False)
    with database_behind(proxy):
        assert browser.get(url).status_code == 200
        proxy.partition()
        answered = within(10, lambda: browser.get(url))
        assert answered is not None, "no answer within 10 s while the database hung"
        response, seconds = answered
        assert response.status_code == 503 and int(response["Retry-After"]) > 0
        assert "Sorry, the service is unavailable" in response.content.decode()
        assert seconds < 5
        response, seconds = within(10, lambda: browser.get("/search/?q=crime"))
        assert (response.status_code, seconds < 1) == (503, True)
        response, seconds = within(10, lambda: browser.get("/healthz"))
        assert (response.status_code, seconds < 1) == (200, True)
        proxy.heal()
        healed = time.monotonic()
        while browser.get(url).status_code != 200:
            assert time.monotonic() - healed < 5, "pages not built again within 5 s of the partition healing"
            time.sleep(0.1)
