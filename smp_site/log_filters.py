"""Filters for the site's logs (settings.LOGGING)."""

import logging
import re

HOST = re.compile(r"Invalid HTTP_HOST header: '([^']*)'")


def as_one_warning(record):
    """Make `record` one warning line, without its traceback: for a client's
    mistake the site has already answered with a 400, where the traceback
    only shows Django's own code and would hide a real error among them."""
    record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
    record.exc_info = record.exc_text = record.stack_info = None


class DisallowedHostOnce(logging.Filter):
    """Requests naming a host the site does not serve are scanners' noise,
    already answered with a 400. Django logs each one as an error with a
    traceback; this keeps one warning per host per process, without the
    traceback, so that a real error still stands out. It remembers at most
    MAX_HOSTS hosts, then starts again, so that random host names cannot
    grow it without end."""

    MAX_HOSTS = 1000

    def __init__(self, name=""):
        super().__init__(name)
        self.seen = set()

    def filter(self, record):
        match = HOST.search(record.getMessage())
        host = match.group(1) if match else ""
        if host in self.seen:
            return False
        if len(self.seen) >= self.MAX_HOSTS:
            self.seen.clear()
        self.seen.add(host)
        as_one_warning(record)
        return True


class ClientErrorWithoutTraceback(logging.Filter):
    """A request the site answered with a 4xx is the client's mistake, yet
    Django logs some with a traceback: a body it could not read (400,
    django.request), a staff member's hand-made admin address
    (DisallowedModelAdminLookup, DisallowedModelAdminToField: 400, as
    errors, django.security.*), a page they may not open (PermissionDenied:
    403, django.request). On the handler, so that it sees the records of
    every logger: each keeps its one line, as a warning, without the
    traceback, which shows only Django's own code. Errors (5xx) keep theirs."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            as_one_warning(record)
        return True
