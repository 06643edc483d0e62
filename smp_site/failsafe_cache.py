"""
The shared cache as an aid, never a dependency: when it cannot be reached
(Redis stopped, restarting, unreachable or frozen), each call here gives its
default instead of an exception, so a page is built uncached rather than
failing.

A cache that fails is then not called at all for CACHE_RETRY_SECONDS (a
circuit breaker, smp_site.circuit): a Redis that hangs rather than refuses
would otherwise cost every call its socket timeout. After the pause one call
tries it again.

The outage is logged once per process when it starts (an error, for the
alerts) and once when it ends, not on every request in between.
"""

import logging

from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from redis.exceptions import RedisError

from .circuit import CircuitBreaker

logger = logging.getLogger(__name__)

# What a cache that cannot be reached raises: Redis's errors (refused, reset,
# timed out), the sockets' own, and the database cache's when the database
# is down (the page then fails anyway, as a 503).
UNREACHABLE = (RedisError, OSError, OperationalError, InterfaceError)

_breakers = {}


def breaker(alias):
    """The circuit breaker of the cache `alias` (one per process)."""
    if alias not in _breakers:
        _breakers[alias] = CircuitBreaker(f"cache {alias}", "CACHE_RETRY_SECONDS")
    return _breakers[alias]


def call(method, *args, default=None, alias="default", **kwargs):
    """caches[alias].<method>(*args, **kwargs), or `default` if that cache is
    down (or failed within the last CACHE_RETRY_SECONDS)."""
    circuit = breaker(alias)
    if not circuit.allow():
        return default
    try:
        result = getattr(caches[alias], method)(*args, **kwargs)
    except UNREACHABLE as error:
        if circuit.failed():
            logger.error(
                "The cache %r is unreachable (%s); pages are built uncached until it is back", alias, error
            )
        return default
    except BaseException:
        # Not the cache's failure (a bad argument, say): the breaker is left
        # as it was, and a caller that was trying it again gives way.
        circuit.succeeded()
        raise
    if circuit.succeeded():
        logger.warning("The cache %r is reachable again", alias)
    return result
