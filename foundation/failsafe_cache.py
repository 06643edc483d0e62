"""
The shared cache as an aid, never a dependency: when it cannot be reached
(Redis stopped, restarting, unreachable or frozen), each call here gives its
default instead of an exception, so a page is built uncached rather than
failing.

A cache that fails is then not called at all for CACHE_RETRY_SECONDS (a
circuit breaker, foundation.circuit): a Redis that hangs rather than refuses
would otherwise cost every call its socket timeout. Once the pause is over,
a background thread tries it again, so that no request waits on a cache
that still hangs; when it answers, calls go to it again.

A cache named in CACHE_LOCAL_COPIES (the page cache) also has a bounded
copy in each process's memory (foundation.local_cache) of what was last
read from it or written to it: while the cache cannot answer, reads are
answered from that copy with what was current at most its `seconds` ago,
and writes are kept there, so that a worker goes on serving the pages it
served (or built) lately instead of building every one of them again.

The outage is logged once per process when it starts (an error, for the
alerts) and once when it ends, not on every request in between.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from redis.exceptions import RedisError

from .circuit import CircuitBreaker
from .local_cache import LocalCopy

logger = logging.getLogger(__name__)

# What a cache that cannot be reached raises: Redis's errors (refused, reset,
# timed out), the sockets' own, and the database cache's when the database
# is down (the page then fails anyway, as a 503).
UNREACHABLE = (RedisError, OSError, OperationalError, InterfaceError)

# The key the background probe reads: any answer, found or not, will do.
PROBE_KEY = "failsafe-cache:probe"

_breakers = {}
_local_copies = {}
_MISSING = object()


def breaker(alias):
    """The circuit breaker of the cache `alias` (one per process)."""
    if alias not in _breakers:
        _breakers[alias] = CircuitBreaker(
            f"cache {alias}",
            "CACHE_RETRY_SECONDS",
            probe=lambda: _probe(alias),
            on_recovery=_recovered(alias),
        )
    return _breakers[alias]


def _probe(alias):
    """Whether the cache answers, asked from the breaker's own thread (its
    own connection: Django's caches are one per thread)."""
    cache = caches.create_connection(alias)
    try:
        cache.get(PROBE_KEY)
    except UNREACHABLE:
        return False
    finally:
        cache.close()
    return True


def _recovered(alias):
    return lambda: logger.warning("The cache %r is reachable again", alias)


def local_copy(alias):
    """The local copy of the cache `alias` (one per process), or None if it
    has none (CACHE_LOCAL_COPIES)."""
    config = getattr(settings, "CACHE_LOCAL_COPIES", {}).get(alias)
    if not config or config["SECONDS"] <= 0:
        return None
    copy = _local_copies.get(alias)
    if copy is None or (copy.seconds, copy.max_bytes) != (config["SECONDS"], config["MAX_BYTES"]):
        copy = _local_copies[alias] = LocalCopy(config["SECONDS"], config["MAX_BYTES"])
    return copy


def clear_local_copies():
    for copy in _local_copies.values():
        copy.clear()


def call(method, *args, default=None, alias="default", **kwargs):
    """caches[alias].<method>(*args, **kwargs), or `default` if that cache is
    down (or failed within the last CACHE_RETRY_SECONDS); for a cache with
    a local copy, a read then answers from that copy (see above)."""
    circuit = breaker(alias)
    copy = local_copy(alias)
    if not circuit.allow():
        return default if copy is None else _while_unreachable(copy, method, args, kwargs, default)
    try:
        if copy is not None and method == "get":
            # Through get_many, to tell a value from the caller's default.
            result = caches[alias].get_many([args[0]])
        else:
            result = getattr(caches[alias], method)(*args, **kwargs)
    except UNREACHABLE as error:
        if circuit.failed():
            logger.error(
                "The cache %r is unreachable (%s); pages are served from each worker's recent copy or built uncached until it is back",
                alias,
                error,
            )
        return default if copy is None else _while_unreachable(copy, method, args, kwargs, default)
    except BaseException:
        # Not the cache's failure (a bad argument, say): the breaker is left
        # as it was, and a caller that was trying it again gives way.
        circuit.succeeded()
        raise
    if circuit.succeeded():
        logger.warning("The cache %r is reachable again", alias)
    if copy is not None:
        result = _answered(copy, method, args, kwargs, result)
    return result


def _answered(copy, method, args, kwargs, result):
    """Keep in the local copy what the cache just said."""
    if method == "get_many":
        copy.keep(result.items())
        copy.forget([key for key in args[0] if key not in result])
    elif method == "get":
        key = args[0]
        if key in result:
            copy.keep([(key, result[key])])
            return result[key]
        copy.forget([key])
        return args[1] if len(args) > 1 else kwargs.get("default")
    elif method == "set":
        copy.keep([(args[0], args[1])])
    elif method == "set_many":
        copy.keep((key, value) for key, value in args[0].items() if key not in (result or ()))
    elif method == "add":
        if result:
            copy.keep([(args[0], args[1])])
        else:  # another value is there: the next read keeps it
            copy.forget([args[0]])
    elif method == "delete":
        copy.forget([args[0]])
    else:  # anything else (incr, clear, delete_many...) may change what the copy holds
        copy.clear()
    return result


def _while_unreachable(copy, method, args, kwargs, default):
    """A read answered from the local copy; a write kept there (and still
    reported as failed: a caller that must know the cache has it, such as
    the page cache writing the versions a change makes stale, tries again)."""
    if method == "get_many":
        return copy.get_many(args[0])
    if method == "get":
        return copy.get_many([args[0]]).get(args[0], default)
    if method == "set":
        copy.keep([(args[0], args[1])])
    elif method == "set_many":
        copy.keep(args[0].items())
    elif method == "add":
        if not copy.get_many([args[0]]):
            copy.keep([(args[0], args[1])])
    elif method == "delete":
        copy.forget([args[0]])
    else:
        copy.clear()
    return default
