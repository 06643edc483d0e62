import logging

from django.db import InterfaceError, OperationalError
from django.urls import reverse

from .markup import mark_first_uses
from .models import Term


class GlossaryMiddleware:
    """Marks up the first use of each glossary term on every public HTML page
    (see glossary.markup).

    It sits inside the whole-page cache (after it in MIDDLEWARE), so a cached
    page is stored already marked up, and the terms are read only when a page
    is built: one small query, no more whatever the number of terms. (The
    glossary app is in page_cache.CONTENT_APPS, so editing a term refreshes
    every page.) The terms are not kept in Django's cache as well: with the
    database cache that is the default here, reading them from the cache
    costs the same one query as reading the table, and adds a way to be stale.

    The admin is left alone; so is anything not HTML, streamed or already
    compressed (GZipMiddleware runs after this one, on the way out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._applies(request, response):
            try:
                expansions = Term.objects.expansions()
            except (OperationalError, InterfaceError):
                # A page built without the database (the consultation's
                # confirmation) is still sent when it is down, unmarked.
                logging.getLogger(__name__).warning("Glossary terms not marked: the database is unreachable")
                expansions = None
            if expansions:
                # surrogateescape: a stray invalid byte survives the round trip
                # untouched rather than failing the page.
                html = response.content.decode(response.charset, "surrogateescape")
                marked = mark_first_uses(html, expansions)
                if marked is not html:
                    response.content = marked.encode(response.charset, "surrogateescape")
                    if response.has_header("Content-Length"):
                        response["Content-Length"] = str(len(response.content))
        return response

    @staticmethod
    def _applies(request, response):
        return (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Encoding")
            and not request.path.startswith(reverse("admin:index"))
            and b"<main" in response.content
        )
