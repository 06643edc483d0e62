"""
A limit on submissions per client, generous enough for a household or a
library computer shared by many residents but stopping a flood.

The counter lives in Django's cache, which every gunicorn worker shares: the
database cache by default, Redis when REDIS_URL is set. It is a fixed window
of an hour. Redis counts atomically; the database cache's increment is a read
then a write, so concurrent workers may undercount slightly, which only ever
makes the limit a little more generous, never refuses a resident wrongly.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 3600


def client_address(request):
    """The resident's address. Behind a proxy, set CONSULTATION_CLIENT_IP_HEADER
    (e.g. HTTP_X_FORWARDED_FOR): the last address in it is the one our own
    proxy saw, which a client cannot forge."""
    header = getattr(settings, "CONSULTATION_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_id(request):
    """Address and browser: what the duplicate hash is made of."""
    return f"{client_address(request)}|{request.META.get('HTTP_USER_AGENT', '')}"


def allow_submission(request):
    """Count one submission for this client; False once over the limit."""
    limit = getattr(settings, "CONSULTATION_RATE_LIMIT", 30)
    if limit <= 0:  # switched off, e.g. for a kiosk at a consultation event
        return True
    window = int(time.time() // WINDOW_SECONDS)
    # The cache key is a keyed hash: no address is written to the cache.
    key = (
        "consultation-rate:"
        + salted_hmac("consultation-rate", f"{client_address(request)}|{window}").hexdigest()
    )
    # One write in the usual case (the counter exists); the first submission
    # of a window creates it, and a race to create it falls back to counting.
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1 if cache.add(key, 1, timeout=WINDOW_SECONDS + 60) else cache.incr(key)
    return count <= limit
