# Read by `make serve`; every value can be overridden with GUNICORN_CMD_ARGS.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
# The site logs each request itself, as JSON (smp_site.middleware).
accesslog = None
errorlog = "-"
