"""
Health endpoints for load balancers and orchestrators.

- /healthz, liveness: the process answers. It touches nothing else, so a
  database or cache outage never gets healthy app servers restarted.
- /readyz, readiness: the database, the cache, the document storage and the
  job broker each answer within READINESS_TIMEOUT_SECONDS. JSON names each
  with its result; 503 when any fails, so the load balancer sends visitors
  to another server meanwhile.

Both answer whatever the Host header (HealthCheckMiddleware): a container's
own health check, a load balancer or an orchestrator asks by the server's
address (127.0.0.1:8000, a pod's IP), which is not one of ALLOWED_HOSTS, and
would otherwise get a 400.
"""

import logging
import os
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def check_storage():
    storage = default_storage
    if hasattr(storage, "bucket_name"):
        # The bucket exists and the site's key may use it.
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        return None
    # Local disk: the folder can be written to (made on first use).
    location = Path(storage.location)
    location.mkdir(parents=True, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise PermissionError("the media folder is not writable")
    return None


def check_broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not used: jobs run in the web process"
    from smp_site.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.READINESS_TIMEOUT_SECONDS)
    return None


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "broker": check_broker,
}


class Check(threading.Thread):
    """One dependency's check, in a thread of its own so that one that hangs
    costs no more than the timeout (the thread is left to finish alone)."""

    def __init__(self, check):
        super().__init__(daemon=True)
        self.check = check
        self.ok, self.detail = False, None

    def run(self):
        started = time.perf_counter()
        try:
            self.detail = self.check()
            self.ok = True
        except Exception as error:  # any failure of a dependency means not ready
            logger.warning("Readiness check %s failed", self.check.__name__, exc_info=True)
            # The kind of error only: the message may name hosts and users.
            self.detail = type(error).__name__
        finally:
            if threading.current_thread() is self:
                # The thread's own database connection, not the request's.
                connections.close_all()
        self.ms = round((time.perf_counter() - started) * 1000, 1)


def on_local_database(name):
    """SQLite (development) is a file: nothing there to time out, and a
    second connection from a thread could find the tables it uses locked by
    the request's own transaction. Those checks run in the request."""
    if connection.vendor != "sqlite":
        return False
    return name == "database" or (
        name == "cache" and "DatabaseCache" in settings.CACHES["default"]["BACKEND"]
    )


def run_checks(timeout):
    """{name: result} of every check, run at the same time: at most
    `timeout` in all."""
    checks = {name: Check(check) for name, check in CHECKS.items()}
    for name, check in checks.items():
        if on_local_database(name):
            check.run()
        else:
            check.start()
    deadline = time.monotonic() + timeout
    results = {}
    for name, check in checks.items():
        if check.is_alive():
            check.join(max(0, deadline - time.monotonic()))
        if check.is_alive():
            results[name] = {
                "ok": False,
                "ms": round(timeout * 1000, 1),
                "detail": f"no answer within {timeout:g}s",
            }
        else:
            results[name] = {
                "ok": check.ok,
                "ms": check.ms,
                **({"detail": check.detail} if check.detail else {}),
            }
    return results


@never_cache
def healthz(request):
    """Liveness, for the load balancer: the process answers."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    results = run_checks(settings.READINESS_TIMEOUT_SECONDS)
    ready = all(result["ok"] for result in results.values())
    return JsonResponse({"ready": ready, "checks": results}, status=200 if ready else 503)


class HealthCheckMiddleware:
    """Answers GET and HEAD of /healthz and /readyz before anything reads
    the Host header (Django's host validation, the HTTPS redirect, the
    page cache): neither response depends on the host or says anything of
    the site's content. Every other request goes on as usual."""

    VIEWS = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
