# Read by `make serve`; every value can be overridden with GUNICORN_CMD_ARGS.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A worker that stops answering its master for this long is restarted; a
# worker told to stop has graceful_timeout to finish the requests it has.
# No request waits near these: every wait for the database, the cache and
# the job broker has its own bound of seconds (docs/operations.md).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Idle keep-alive connections (from the proxy in front) are closed after this.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# The web server's statements are ended by PostgreSQL after this many
# seconds (smp_site/settings.py); commands and background jobs, which may
# rightly run longer, have no such limit unless it is set for them.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "3")
# The site logs each request itself, as JSON (smp_site.middleware).
accesslog = None
errorlog = "-"
# gunicorn's own lines (starting, listening, booting and stopping workers,
# timeouts) as JSON too, with the site's formatter, so that every line on
# standard error is one JSON object (docs/deployment.md). Not propagated:
# the site's logging (settings.LOGGING) would write them a second time.
_json_to_stderr = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
logconfig_dict = {
    "formatters": {"json": {"()": "smp_site.logs.JsonFormatter"}},
    "handlers": {"console": _json_to_stderr, "error_console": _json_to_stderr},
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        # A logging config turns gunicorn's access log on; it stays off (its
        # lines carry the client's address, which the site never logs).
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}


def post_worker_init(worker):
    """The worker's own objects frozen out of the garbage collector's reach
    (smp_site.wsgi.freeze_loaded_site)."""
    from smp_site.wsgi import freeze_loaded_site

    freeze_loaded_site()
