"""
Whole-page caching of public pages, correct by construction.

Every cached page is stored with the *content version* it was built under, a
random token kept in the cache, and served only while that token is current.
Any save or delete of the site's content (any model of our apps) replaces
the token once its transaction has committed, so every page cached before
the change is stale from then on: a clerk's change is visible on the next
request, never after a timeout. The token changes after the commit, not
before, and a page is stored with the token read before it was built, so a
request can never cache data older than the token it is stored with.

Only anonymous GET and HEAD requests are served from the cache, and only
responses that set no cookie and are not marked private (Django's
`never_cache`): a page with a form (it sets the CSRF cookie), a resident
part-way through a consultation or a signed-in clerk always get a fresh page.

A page that depends on the clock as well as on the content ("upcoming
meetings", "open consultations") says until when it holds, with
`cache_until(response, moment)`; it is not kept past that moment.
"""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import failsafe_cache

VERSION_KEY = "page-cache:content-version"
CONTENT_APPS = {"partnerships", "meetings", "consultation", "glossary"}
# Rows of these apps that no cached page shows: a resident's survey answers
# must not empty the cache of the whole site each time one is sent.
NOT_CONTENT = {
    "consultation.response",
    "consultation.answer",
    "consultation.responsedeletion",
    "consultation.submissioncount",
}


def content_version():
    version = failsafe_cache.call("get", VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() so that two workers starting together agree on one token.
        failsafe_cache.call("add", VERSION_KEY, version, timeout=None)
        version = failsafe_cache.call("get", VERSION_KEY, version, default=version)
    return version


def content_changed(partnership_ids=(), meeting_ids=()):
    """Make stale the cached pages that show these partnerships and meetings
    (for now every cached page: the one token covers the whole site), once
    the current transaction commits."""
    # If the cache is down at that moment, pages cached before may be served
    # again when it comes back, for at most PAGE_CACHE_SECONDS (a restarted
    # Redis without persistence has lost them anyway).
    transaction.on_commit(lambda: failsafe_cache.call("set", VERSION_KEY, uuid.uuid4().hex, timeout=None))


def cache_until(response, moment):
    """Keep `response` in the page cache no later than `moment` (an aware
    datetime, or None for no limit of its own)."""
    if moment is not None:
        seconds = int((moment - timezone.now()).total_seconds())
        current = getattr(response, "page_cache_seconds", None)
        response.page_cache_seconds = max(0, seconds if current is None else min(current, seconds))
    return response


def next_midnight():
    """When "today" changes, in the site's time zone."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def _on_model_change(sender, **kwargs):
    # A history row (simple-history's Historical* models) is written with
    # each change of content, which already replaces the token.
    if sender.__name__.startswith("Historical"):
        return
    if sender._meta.app_label in CONTENT_APPS and sender._meta.label_lower not in NOT_CONTENT:
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
        # The page is stored as sent: gzipped (by GZipMiddleware, inside this
        # one) for browsers that accept it, plain for the rest.
        encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
        key = f"page-cache:{request.method}:{encoding}:{digest}"
        # One round trip for both the token and the page (one SQL query with
        # the database cache): a page is stored with the token it was built
        # under, and served only while that token is still the current one.
        found = failsafe_cache.call("get_many", [VERSION_KEY, key])
        if found is None:  # the cache is down: build the page, uncached
            return self.get_response(request)
        version = found.get(VERSION_KEY) or content_version()
        stored_version, response = found.get(key, (None, None))
        if response is not None and stored_version == version:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        timeout = min(
            settings.PAGE_CACHE_SECONDS, getattr(response, "page_cache_seconds", settings.PAGE_CACHE_SECONDS)
        )
        if timeout > 0 and self._cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            failsafe_cache.call("set", key, (version, response), timeout=timeout)
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
        # "Vary: Cookie" means the page was built from the visitor's session
        # or CSRF cookie (a form's token): it is theirs alone.
        if "cookie" in response.get("Vary", "").lower():
            return False
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        # Browsers may keep a public page briefly too, but must check back.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return True
