import logging
import time

from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import InterfaceError, OperationalError

from .logs import request_id, request_id_from

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
    """Gives each request an id (the proxy's X-Request-ID if it looks like
    one, else a new one), carried by every log line written while it is
    handled and sent back in X-Request-ID; then writes one log line for the
    request: method, path, status, duration and, for staff, who. No IP
    address and no query string, which could hold a resident's search."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        current = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = current
        token = request_id.set(current)
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            try:
                user_id = user.pk if user is not None and user.is_authenticated else None
            except (OperationalError, InterfaceError):
                # Who it was needs the session, from the database, which is
                # down: the page was sent without it, and is logged without it.
                user_id = None
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user_id,
                },
            )
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = current
        return response


class ResilientSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except when the database fails while the
    session is saved (Django then reports "session interrupted", a 400):

    - a session holding nothing new is not worth failing a page over:
      SESSION_SAVE_EVERY_REQUEST saves every session only to push back its
      expiry, so the page already built is sent anyway (a page that needed
      the database has failed before this point);
    - a session holding a change (an answer just given) fails the request as
      the outage it is, a 503 (smp_site.views.server_error), so that the
      resident is told and nothing is lost silently."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, OperationalError, InterfaceError) as error:
            outage = database_error(error)
            if outage is None:
                raise
            if getattr(request, "session", None) is None or request.session.modified:
                raise outage from error
            logging.getLogger(__name__).warning("Session expiry not refreshed: the database is unreachable")
            return response


def database_error(error):
    """The database's own error behind `error` (itself, or what it was
    raised while handling), if the database could not be reached."""
    while error is not None:
        if isinstance(error, (OperationalError, InterfaceError)):
            return error
        error = error.__cause__ or error.__context__
    return None
