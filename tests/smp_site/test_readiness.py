"""/readyz: the database, the cache, the storage and the broker each checked
with a short timeout, JSON naming each, 503 when one fails: tested against a
real redis-server that is stopped, and a database address nothing answers."""

import json
import subprocess
import sys

import pytest

from tests import services


@pytest.fixture(autouse=True)
def patient(settings):
    # The machine running the suite is shared and may be slow; the timeout
    # itself is tested with a check that hangs.
    settings.READINESS_TIMEOUT_SECONDS = 10


def redis_cache(url):
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


@pytest.mark.django_db
def test_readyz_names_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "cache", "storage", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    # No broker configured: jobs run in the web process, which is ready.
    assert "web process" in body["checks"]["broker"]["detail"]
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_fails_when_the_cache_server_stops(client, settings):
    redis = services.start_redis()
    try:
        settings.CACHES = redis_cache(redis.url)
        assert client.get("/readyz").status_code == 200
    finally:
        redis.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"]["ok"] is False and checks["cache"]["detail"] == "ConnectionError"
    assert checks["database"]["ok"] is True
    # Liveness is unaffected: the process still answers.
    assert client.get("/healthz").status_code == 200


def test_readyz_fails_when_the_database_is_unreachable():
    closed_port = services.free_port()  # bound and released: nothing listens there
    # A process of its own, configured as a server would be, with its
    # database on that port.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = services.environment(
        DJANGO_SETTINGS_MODULE="smp_site.settings_test",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port}/smp",
        READINESS_TIMEOUT_SECONDS="10",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=services.ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    checks = answer["body"]["checks"]
    assert checks["database"] == {"ok": False, "ms": checks["database"]["ms"], "detail": "OperationalError"}
    assert checks["storage"]["ok"] is True
    # Refused at once, not waited for.
    assert checks["database"]["ms"] < 10_000


@pytest.mark.django_db
def test_a_dependency_that_hangs_fails_within_the_timeout(client, settings, monkeypatch):
    import time

    from smp_site import health

    settings.READINESS_TIMEOUT_SECONDS = 0.3
    monkeypatch.setitem(health.CHECKS, "storage", lambda: time.sleep(5))
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {
        "ok": False,
        "ms": response.json()["checks"]["storage"]["ms"],
        "detail": "no answer within 0.3s",
    }
