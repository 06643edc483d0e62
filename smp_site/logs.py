"""
Logs as one JSON object a line (python-json-logger), for the log collector:
time, level, logger, message, any fields passed as `extra`, a traceback as
the `exc_info` field of its own line, and the id of the request being
handled (smp_site.middleware.RequestLogMiddleware), so that every line of
one request can be found together and a resident can quote the id from an
error page.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

request_id = ContextVar("request_id", default=None)

# Ids a proxy or load balancer may set: letters, digits and a little
# punctuation, not too long. Anything else (and log injection) gets a new id.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")


def request_id_from(header):
    return header if header and SANE_REQUEST_ID.fullmatch(header) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        current = request_id.get()
        if current is not None and not hasattr(record, "request_id"):
            record.request_id = current
        return True


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        # A request is logged with a Django request object attached (the
        # "django.request" logger): not serialisable, and the path says it.
        log_record.pop("request", None)
