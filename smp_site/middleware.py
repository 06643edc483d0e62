import logging
import time

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
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = current
        return response
