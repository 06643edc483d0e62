"""
The shared cache as an aid, never a dependency: when it cannot be reached
(Redis stopped, restarting or unreachable), each call here gives its default
instead of an exception, so a page is built uncached rather than failing.

The outage is logged once per process when it starts (an error, for the
alerts) and once when it ends, not on every request in between.
"""

import logging

from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache that cannot be reached raises: Redis's errors (refused, reset,
# timed out), the sockets' own, and the database cache's when the database
# is down (the page then fails anyway, as a 503).
UNREACHABLE = (RedisError, OSError, OperationalError, InterfaceError)

_failing = False


def call(method, *args, default=None, alias="default", **kwargs):
    """caches[alias].<method>(*args, **kwargs), or `default` if that cache is
    down."""
    global _failing
    try:
        result = getattr(caches[alias], method)(*args, **kwargs)
    except UNREACHABLE as error:
        if not _failing:
            _failing = True
            logger.error("The cache is unreachable (%s); pages are built uncached until it is back", error)
        return default
    if _failing:
        _failing = False
        logger.warning("The cache is reachable again")
    return result
