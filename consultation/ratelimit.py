"""
A limit on submissions per client, generous enough for a household or a
library computer shared by many residents but stopping a flood. The survey
uses it, and so does every other public form that sends email (email
alerts), each counted apart (allow_client's `purpose`).

The counter is a row of the database (models.SubmissionCount), not an entry
in the cache: one statement tests it and adds one, so that a limit of N
admits exactly N however many requests arrive at once. It lives where the
responses go, so it fails with them and only with them: a cache outage
leaves it working, and while the database is down nothing can be sent
anyway (the resident gets the 503 page, their answers kept). It is a fixed
window of an hour.
"""

import time

from django.conf import settings
from django.utils.crypto import salted_hmac

from .models import SubmissionCount

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
    # 0 switches it off, e.g. for a kiosk at a consultation event.
    return allow_client(request, "consultation-rate", getattr(settings, "CONSULTATION_RATE_LIMIT", 30))


def _client_key(request, purpose):
    window = int(time.time() // WINDOW_SECONDS)
    # A keyed hash: no address is written to the database.
    return salted_hmac(purpose, f"{client_address(request)}|{window}").hexdigest(), window


def allow_client(request, purpose, limit):
    """Count one `purpose` (a public form's send) for this client in the
    current hour; False once `limit` are counted. 0 turns the limit off."""
    if limit <= 0:
        return True
    key, window = _client_key(request, purpose)
    return SubmissionCount.admit(key, window, limit)


def client_at_limit(request, purpose, limit):
    """Whether this client has used up `limit` for `purpose` this hour,
    without counting anything."""
    if limit <= 0:
        return False
    key, window = _client_key(request, purpose)
    return SubmissionCount.objects.filter(key=key, window=window, count__gte=limit).exists()


def seconds_until_reset():
    """When the current window ends: the refusal's Retry-After."""
    return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
