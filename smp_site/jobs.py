"""
Asking for background work from a page or a save. The work is recorded in
the database first (an OutgoingEmail row, a document's file), so a job is
queued only once that record has committed, and a broker that is down
delays the job rather than failing the request: the periodic sweeps pick up
what was recorded but never queued.
"""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction

from .circuit import CircuitBreaker

logger = logging.getLogger(__name__)


def queue_after_commit(task, *args):
    transaction.on_commit(partial(queue_now, task, *args))


def broker():
    """The job broker's circuit breaker (one per process): a broker that
    fails, or hangs, is not asked again for BROKER_RETRY_SECONDS."""
    global _breaker
    if _breaker is None:
        _breaker = CircuitBreaker("broker", "BROKER_RETRY_SECONDS")
    return _breaker


_breaker = None


def queue_now(task, *args):
    # Without a broker the job runs here and now: nothing to break.
    circuit = None if settings.CELERY_TASK_ALWAYS_EAGER else broker()
    if circuit is not None and not circuit.allow():
        logger.warning(
            "Not queueing %s%r: the broker failed just now; the next sweep sends it", task.name, args
        )
        return
    try:
        task.delay(*args)
    except Exception:  # broker unreachable: the sweep sends it later
        if circuit is not None:
            circuit.failed()
        logger.exception("Could not queue %s%r; it stays recorded for the next sweep", task.name, args)
    else:
        if circuit is not None:
            circuit.succeeded()
