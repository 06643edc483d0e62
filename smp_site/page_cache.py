"""
Whole-page caching of public pages, correct by construction.

Every cached page is stored under the current *content version*, a random
token kept in the cache. Any save or delete of the site's content (any model
of our apps) replaces the token once its transaction has committed, so every
page cached before the change is unreachable from then on: a clerk's change
is visible on the next request, never after a timeout. The token changes
after the commit, not before, so a request can never cache data older than
the token it is stored under.

Only anonymous GET and HEAD requests are served from the cache, and only
responses that set no cookie and are not marked private: a page with a form
(it sets the CSRF cookie), a resident part-way through a consultation or a
signed-in clerk always get a fresh page.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_cache_control

VERSION_KEY = "page-cache:content-version"
CONTENT_APPS = {"partnerships", "meetings", "consultation", "glossary"}


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() so that two workers starting together agree on one token.
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def content_changed():
    """Make every cached page stale, once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def _on_model_change(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        content_changed()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_model_change, dispatch_uid=f"page-cache-{signal}")


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"page-cache:{content_version()}:{request.method}:{digest}"
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, timeout=settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_request(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(settings.PAGE_CACHE_EXCLUDE)
        )

    @staticmethod
    def _cacheable_response(response):
        if response.status_code not in (200, 404) or response.cookies or response.streaming:
            return False
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        # Browsers may keep a public page briefly too, but must check back.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return True
