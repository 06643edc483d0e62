"""
A bounded copy, in each process's memory, of what it last read from or wrote
to a shared cache, used only while that cache cannot answer.

While the shared cache (Redis) answers, it alone is read: a change saved by
any worker is seen by every other on its next request. Every value read
from it, or written to it, is also kept here with the moment it was known to
be current. When the cache fails, or its circuit breaker is open, a read is
answered from here with what was current no more than `seconds` ago, and a
write is kept here (and reported as failed to its caller, as before), so
that what a worker builds meanwhile is served again by that worker.

So nothing served from here is older than `seconds`: a change saved on
another worker while the cache is unreachable (which cannot then mark pages
stale) shows on every worker within `seconds`, as the pages they keep here
expire and are built again from the database. The bound is on memory as
well: only entries known current within `seconds` are worth keeping, and at
most `max_bytes` of them, the least recently known current dropped first.

Values are kept pickled, and each read unpickles its own copy: a response
served from here is changed by the middleware that handles it after (its
headers), as one unpickled from Redis would be.
"""

import pickle
import threading
import time
from collections import OrderedDict

# Kept as they are (immutable, and cheap to measure): a scope's version, a time.
_PLAIN = (str, bytes, int, float, type(None))


class LocalCopy:
    def __init__(self, seconds, max_bytes):
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._entries = OrderedDict()  # key -> (known current at, stored, size, pickled)
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._entries)

    @property
    def bytes(self):
        return self._bytes

    def keep(self, items, now=None):
        """Keep these (key, value) pairs as current now."""
        now = time.monotonic() if now is None else now
        packed = []
        for key, value in items:
            if isinstance(value, _PLAIN):
                packed.append(
                    (key, value, len(key) + (len(value) if isinstance(value, (str, bytes)) else 8), False)
                )
            else:
                data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
                packed.append((key, data, len(key) + len(data), True))
        with self._lock:
            for key, stored, size, pickled in packed:
                old = self._entries.pop(key, None)
                if old is not None:
                    self._bytes -= old[2]
                if size > self.max_bytes:
                    continue
                self._entries[key] = (now, stored, size, pickled)
                self._bytes += size
            self._trim(now)

    def forget(self, keys):
        with self._lock:
            for key in keys:
                old = self._entries.pop(key, None)
                if old is not None:
                    self._bytes -= old[2]

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def get_many(self, keys, now=None):
        """{key: a copy of its value} for the keys known current within
        `seconds`."""
        now = time.monotonic() if now is None else now
        found = {}
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None and now - entry[0] <= self.seconds:
                    found[key] = entry
        # Our own pickles, as Django's Redis cache reads its own.
        return {key: _unpack(stored, pickled) for key, (_t, stored, _s, pickled) in found.items()}

    def _trim(self, now):
        # Entries are in the order they were last known current: the oldest first.
        entries = self._entries
        while entries:
            key, (known, _stored, size, _pickled) = next(iter(entries.items()))
            if self._bytes <= self.max_bytes and now - known <= self.seconds:
                break
            del entries[key]
            self._bytes -= size


def _unpack(stored, pickled):
    return pickle.loads(stored) if pickled else stored  # noqa: S301 (see get_many)
