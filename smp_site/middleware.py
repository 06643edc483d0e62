import json
import logging
import time

from django.contrib.sessions.middleware import SessionMiddleware
from django.db import InterfaceError, OperationalError

logger = logging.getLogger("smp_site.requests")

# Features the site never uses; denying them limits what injected or framed
# content could do.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class RequestLogMiddleware:
    """One structured (JSON) log line per request, for the log collector:
    method, path, status, duration and, for staff, who. No IP address and no
    query string, which could hold a resident's search."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        try:
            user_id = user.pk if user is not None and user.is_authenticated else None
        except (OperationalError, InterfaceError):
            # Who it was needs the session, from the database, which is down:
            # the page was sent without it, and is logged without it too.
            user_id = None
        logger.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user_id,
                }
            )
        )
        return response


class ResilientSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a session holding nothing new
    is not worth failing a page over: SESSION_SAVE_EVERY_REQUEST saves every
    session only to push back its expiry, and when the database cannot be
    reached at that moment the page already built is sent anyway (a page
    that needed the database has failed before this point). A session
    holding a change (an answer just given) still fails the request, as a
    503, so that the resident is told and nothing is lost silently."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (OperationalError, InterfaceError):
            session = getattr(request, "session", None)
            if session is None or session.modified:
                raise
            logging.getLogger(__name__).warning("Session expiry not refreshed: the database is unreachable")
            return response
