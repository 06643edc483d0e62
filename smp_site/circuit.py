"""
Circuit breakers: once a dependency fails (refuses, or hangs until its
timeout), it is not called again for a few seconds; callers get their
fallback at once instead of each waiting out the same timeout. A dependency
that hangs rather than refuses would otherwise cost every request its full
timeout, and hold every worker thread while it did.

After the pause one caller, and only one, tries the dependency again (the
others keep getting the fallback until that try ends): if it answers the
breaker closes, if not it opens for another pause. Each breaker is one per
process, shared by its threads.
"""

import threading
import time

from django.conf import settings


class CircuitBreaker:
    def __init__(self, name, setting):
        """`setting` names the setting that holds the pause, in seconds (read
        at each failure, so that a change applies at once)."""
        self.name = name
        self.setting = setting
        self._lock = threading.Lock()
        self._open_until = 0.0  # 0: closed
        self._probing = False

    @property
    def is_open(self):
        return self._open_until > 0

    def allow(self):
        """Whether to call the dependency now. While open, False, except for
        the one caller that tries it once the pause is over."""
        if not self._open_until:
            return True
        with self._lock:
            if not self._open_until:
                return True
            if self._probing or time.monotonic() < self._open_until:
                return False
            self._probing = True
            return True

    def failed(self):
        """The dependency failed: (re)open for a pause. True if it was closed."""
        with self._lock:
            was_closed = not self._open_until
            self._open_until = time.monotonic() + getattr(settings, self.setting)
            self._probing = False
            return was_closed

    def succeeded(self):
        """The dependency answered: close. True if it was open."""
        if not self._open_until:
            return False
        with self._lock:
            was_open = bool(self._open_until)
            self._open_until = 0.0
            self._probing = False
            return was_open
