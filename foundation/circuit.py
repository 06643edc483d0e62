"""
Circuit breakers: once a dependency fails (refuses, or hangs until its
timeout), it is not called again for a few seconds; callers get their
fallback at once instead of each waiting out the same timeout. A dependency
that hangs rather than refuses would otherwise cost every request its full
timeout, and hold every worker thread while it did.

After the pause the dependency is tried once again (the callers keep
getting the fallback until that try ends): if it answers the breaker
closes, if not it opens for another pause. A breaker given a `probe` makes
that try in a thread of its own, so that no request waits on a dependency
that still hangs; one without makes it in the first caller after the pause
(as does any breaker with no pause: the test suite's). Each breaker is one
per process, shared by its threads.
"""

import threading
import time

from django.conf import settings


class CircuitBreaker:
    def __init__(self, name, setting, probe=None, on_recovery=None):
        """`setting` names the setting that holds the pause, in seconds (read
        at each failure, so that a change applies at once). `probe()`, if
        given, says whether the dependency answers, and is called in a
        thread of its own once a pause is over; `on_recovery()` is then
        called when it does."""
        self.name = name
        self.setting = setting
        self.probe = probe
        self.on_recovery = on_recovery
        self._lock = threading.Lock()
        self._open_until = 0.0  # 0: closed
        self._probing = False

    @property
    def is_open(self):
        return self._open_until > 0

    def allow(self):
        """Whether to call the dependency now. While open, False, except for
        the one caller that tries it once the pause is over (if the breaker
        has no probe of its own to try it in the background)."""
        if not self._open_until:
            return True
        with self._lock:
            if not self._open_until:
                return True
            if self._probing or time.monotonic() < self._open_until:
                return False
            self._probing = True
            in_background = self.probe is not None and getattr(settings, self.setting) > 0
        if not in_background:
            return True
        threading.Thread(target=self._try_again, name=f"probe {self.name}", daemon=True).start()
        return False

    def _try_again(self):
        try:
            answers = self.probe()
        except Exception:
            answers = False
        if not answers:
            self.failed()
        elif self.succeeded() and self.on_recovery is not None:
            self.on_recovery()

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
