from django.http import HttpResponse
from django.utils.cache import get_conditional_response

# Where api.urls is included; the documentation page at the prefix itself is
# an ordinary HTML page.
API_PREFIX = "/api/"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Expose-Headers": "ETag",
    "Access-Control-Max-Age": "86400",
}


class ApiMiddleware:
    """Conditional GET and CORS for the JSON API.

    It sits outside the whole-page cache (before it in MIDDLEWARE) because a
    page served from that cache never reaches the view: answering
    If-None-Match here gives a 304 whether the response was built now or
    cached. Any origin may read the API (it is public data, and no cookie or
    credential is involved), so CORS is open for GET, HEAD and preflight
    OPTIONS requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX) or request.path == API_PREFIX:
            return self.get_response(request)
        if request.method == "OPTIONS":
            # A preflight (for a request with If-None-Match, say): no body.
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
            if (
                request.method in ("GET", "HEAD")
                and response.status_code == 200
                and response.has_header("ETag")
            ):
                response = get_conditional_response(request, etag=response["ETag"], response=response)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response
