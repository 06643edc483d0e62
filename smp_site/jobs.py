"""
Asking for background work from a page or a save. The work is recorded in
the database first (an OutgoingEmail row, a document's file), so a job is
queued only once that record has committed, and a broker that is down
delays the job rather than failing the request: the periodic sweeps pick up
what was recorded but never queued.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_after_commit(task, *args):
    transaction.on_commit(partial(queue_now, task, *args))


def queue_now(task, *args):
    try:
        task.delay(*args)
    except Exception:  # broker unreachable: the sweep sends it later
        logger.exception("Could not queue %s%r; it stays recorded for the next sweep", task.name, args)
