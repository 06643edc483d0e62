"""
Whole-page caching of public pages, correct by construction, and dropped
only where a change shows.

Every page belongs to a *scope*: the pages of one partnership (its page, its
meetings list, its meetings, their minutes, its feeds and calendars), or the
pages that gather across partnerships ("lists": the home page, the meetings
list, search, the site-wide feeds, people, consultations...). Each scope has
a *version*, a random token kept in the page cache, and so has the whole
site. A page is stored with the versions of its scope and of the site that
were current before it was built, and served only while both still are.

A change names what it touched (`content_changed`): the partnerships whose
pages show it, which also makes every list stale, or, for what every page
may show (a person's name, a glossary term, a partnership's name), the whole
site. The commonest edit of all, a clerk correcting the wording of an item's
agenda or minutes, shows only on its meeting's pages and on the lists that
show or date every item's wording (search, the sitemaps, the API): a
meeting's pages also have a scope of their own, and such a change makes
stale only that one and the "wording" scope those lists share. The new versions are written once the transaction commits, so a clerk's
change is visible on the very next request, and a save in Sefton leaves
Wirral's pages cached. A page stored with versions read before it was built
can never be older than the versions it is stored with.

Since a page is served only while its versions are current, it can be kept
long (PAGE_CACHE_SECONDS, a day by default), so that rarely read pages stay
cached between their readers. What no version covers is handled apart: a new
release (every key holds the digest of the static files pages link to,
`assets_version()`, and every page is stored with the digest of the code
that built it, `code_version()`), the clock (`cache_until`), and a change
whose versions could not be written because the cache was unreachable
(written by the next request that reaches it).

Only anonymous GET and HEAD requests are served from the cache, and only
responses that set no cookie and are not marked private (Django's
`never_cache`): a page with a form (it sets the CSRF cookie), a resident
part-way through a consultation or a signed-in clerk always get a fresh page.

A page that depends on the clock as well as on the content ("upcoming
meetings", "open consultations") says until when it holds, with
`cache_until(response, moment)`; it is not kept past that moment.

Pages live in their own cache alias ("pages"), sized for the working set of
a national site, so that they never push out what must not be lost (the
survey's rate-limit counters, in the default alias).

Browsers and shared caches: every cached page carries `Cache-Control: public,
max-age=0, must-revalidate` (so browsers check back and get a 304 while the
page is unchanged: ConditionalGetMiddleware gives pages an ETag), plus
`s-maxage` for a CDN or reverse proxy when one is configured to be purged
(SHARED_CACHE_SECONDS, CDN_PURGE_URL), and a `Surrogate-Key` header naming the
page's scope, by which such a proxy purges exactly the pages a change makes
stale (docs/caching.md).
"""

import datetime
import hashlib
import logging
import os
import random
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import content, failsafe_cache

logger = logging.getLogger(__name__)

ALIAS = "pages"
SITE = "site"
LISTS = "lists"
# The lists that show or date the wording of items' agendas and minutes.
WORDING = "wording"
# The lists that show what is within meetings (a minute's title, a
# resolution, a paper): every list but a person's page (`@person_page`), which
# shows what they attended and the names the minutes print for them, not what
# was discussed. A change within a meeting that no person's page shows
# replaces this version rather than the lists'.
WITHIN_MEETINGS = "within-meetings"


def partnership_scope(partnership_id):
    return f"partnership:{partnership_id}"


def meeting_scope(partnership_id, day):
    """A meeting's page and its minutes' pages, by the partnership and date
    their address names (`day`: a date, or its ISO form)."""
    return f"meeting:{partnership_id}:{day}"


def overview_scope(partnership_id):
    """A partnership's pages that are not one meeting's: its page, its list
    of meetings, its feeds and calendars, action log, attendance summaries
    and work programme."""
    return f"overview:{partnership_id}"


def bodies_scope(partnership_id, meeting_id):
    """The rendered bodies of a meeting's items (meetings/page_content.py):
    stale with anything they show but their own item's row, which each body
    is kept with a digest of."""
    return f"bodies:{partnership_id}:{meeting_id}"


def _covered(scopes):
    """The scopes whose pages hold another of `scopes` as well, which makes
    them stale already: a meeting's, its bodies' and the overview of a stale
    partnership, and the lists of what is within meetings when every list is
    stale."""
    whole = {scope.split(":")[1] for scope in scopes if scope.startswith("partnership:")}
    return {
        scope
        for scope in scopes
        if (scope.split(":")[0] in ("meeting", "overview", "bodies") and scope.split(":")[1] in whole)
        or (scope == WITHIN_MEETINGS and LISTS in scopes)
    }


# A partnership's slug, as its pages' addresses give it, and its id, as the
# changes name it; filled in as addresses are first seen by each process.
# Every change to a partnership (a new one, a new slug, one deleted) makes
# the whole site stale, so the process forgets all it knows whenever it sees
# a new site version (PublicPageCacheMiddleware).
_partnership_ids = {}
_site_version_seen = [None]


def partnership_id_of_slug(slug):
    if slug not in _partnership_ids:
        _partnership_ids[slug] = content.partnership_id_of_slug(slug)
    return _partnership_ids[slug]


def version_key(scope):
    return f"page-cache:version:{scope}"


def pages():
    return caches[ALIAS]


def fragment_seconds():
    """How long fragments of pages are kept: PAGE_FRAGMENT_SECONDS, or as long
    as pages when it is negative (the default); 0 means not at all."""
    seconds = settings.PAGE_FRAGMENT_SECONDS
    return settings.PAGE_CACHE_SECONDS if seconds < 0 else seconds


def read_fragment(name, scopes):
    """A fragment of pages (a value, say the rendered bodies of a meeting's
    items) stored under `name` and still current, with the versions to store
    its replacement with: (value or None, versions), in one round trip.

    Like a page, a fragment is stored with the versions of its scopes and of
    the site read before what it shows was read (these), and is served only
    while they are all current: so it can never be older than a change whose
    versions it holds. Its key holds the digests of the code and of the
    static files, so a release builds its own. None for the versions
    means the fragment cache is off or unreachable: build, and store
    nothing."""
    if fragment_seconds() <= 0:
        return None, None
    version_keys = [version_key(SITE), *(version_key(scope) for scope in scopes)]
    key = fragment_key(name)
    found = failsafe_cache.call("get_many", [*version_keys, key], alias=ALIAS)
    if found is None:
        return None, None
    versions = tuple(found.get(k) or PublicPageCacheMiddleware.start_version(k) for k in version_keys)
    stored_versions, value = found.get(key) or (None, None)
    return (value if stored_versions == versions else None), versions


def store_fragment(name, versions, value):
    """Keep `value` under `name` with the versions read_fragment gave before
    what it shows was read."""
    if versions is not None:
        failsafe_cache.call(
            "set", fragment_key(name), (versions, value), timeout=fragment_seconds(), alias=ALIAS
        )


def fragment_key(name):
    return f"page-fragment:{assets_version()}:{code_version()}:{name}"


def partnership_page(kwarg="slug", day=None):
    """Mark a view as one partnership's page: the URL argument `kwarg` is
    the partnership's slug. Its cached copies are dropped by changes to that
    partnership (and to the whole site), not by changes elsewhere. With
    `day` (the URL argument holding a meeting's date), the page is one of
    that meeting's, also dropped when only the wording of its items changes."""

    def decorate(view):
        view.page_cache_partnership_kwarg = kwarg
        view.page_cache_day_kwarg = day
        return view

    return decorate


def person_page(view):
    """Mark a view as one person's page (a list, but not of WITHIN_MEETINGS)."""
    view.page_cache_person = True
    return view


def shows_no_wording(view):
    """Mark a list as one that shows no item's agenda or minutes wording (a
    person, the people, the meetings' dates...): a correction of wording
    leaves it cached. Lists are assumed to show wording unless so marked."""
    view.page_cache_shows_wording = False
    return view


def content_changed(
    partnerships=(), everywhere=False, wording_of_meetings=(), within_meetings=(), linked=None, people=False
):
    """Make stale, once the current transaction commits, every cached page
    that may show the change: the pages of each partnership named (by id)
    and every list; or, with `everywhere`, every page of the site. With
    `wording_of_meetings` ((partnership id, date) pairs): the pages of those
    meetings and the lists that show wording. With `within_meetings`
    ((partnership id, date, meeting id) triples): the pages of those
    meetings and their items' bodies, their partnerships' pages that are not
    a meeting's, and every list; and, with `linked` ({kind: ids} of rows of
    those meetings that other meetings' pages show: "items", "resolutions",
    "actions"), the pages and bodies of those other meetings, found once the
    transaction commits (content.meetings_showing); with `people`, people's
    pages too (an attendance, a minute's presenter)."""
    if everywhere:
        scopes = {SITE}
    else:
        scopes = set()
        if wording_of_meetings:
            scopes |= {WORDING, *(meeting_scope(pk, day) for pk, day in wording_of_meetings)}
        for partnership_id, day, meeting_id in within_meetings:
            scopes |= {
                LISTS if people else WITHIN_MEETINGS,
                meeting_scope(partnership_id, day),
                bodies_scope(partnership_id, meeting_id),
                overview_scope(partnership_id),
            }
        if partnerships or not (wording_of_meetings or within_meetings):
            scopes |= {LISTS, *(partnership_scope(pk) for pk in partnerships)}
    fallback = {partnership_scope(partnership_id) for partnership_id, _, _ in within_meetings}
    # One write of the versions when the transaction commits, however many
    # rows it changed (a clerk's save of a meeting with forty items is one):
    # a change joins the write still waiting at the same level of savepoints.
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        level = set(connection.savepoint_ids)
        waiting = [
            (sids, func) for sids, func, _ in connection.run_on_commit if isinstance(func, VersionWrite)
        ]
        if waiting and waiting[-1][0] == level and not waiting[-1][1].done:
            waiting[-1][1].add(scopes, linked, fallback)
            return
    # Outside a transaction this writes at once.
    write = VersionWrite(())
    write.add(scopes, linked, fallback)
    transaction.on_commit(write)


class VersionWrite:
    """The versions a transaction makes stale, written once it commits."""

    def __init__(self, scopes):
        self.scopes = set(scopes)
        self.linked = {}
        self.fallback = set()
        self.done = False

    def add(self, scopes, linked=None, fallback=()):
        self.scopes |= scopes
        for kind, ids in (linked or {}).items():
            self.linked.setdefault(kind, set()).update(ids)
        if linked:
            self.fallback |= fallback

    def __call__(self):
        self.done = True
        # Rows are shown only by meetings of their own partnership (a minute
        # cites, and reports on, its partnership's minutes): if that is stale
        # as a whole, there is nothing to find.
        if self.linked and SITE not in self.scopes and not self.fallback <= self.scopes:
            # Once, for every row the transaction changed, in a fixed number
            # of queries; should the database fail now, the whole
            # partnerships of the rows go stale instead.
            try:
                for partnership_id, day, meeting_id in content.meetings_showing(self.linked):
                    self.scopes |= {
                        meeting_scope(partnership_id, day),
                        bodies_scope(partnership_id, meeting_id),
                    }
            except Exception:
                logger.exception(
                    "Could not find the meetings that show a change; their partnerships go stale"
                )
                self.scopes |= self.fallback
        # With the whole site stale, the rest says nothing more.
        scopes = {SITE} if SITE in self.scopes else self.scopes - _covered(self.scopes)
        replace_versions(sorted(scopes))


# Scopes made stale while the page cache could not be reached: their new
# versions are written by this process's next request that finds it again.
_unwritten_scopes = set()
_FAILED = object()


def replace_versions(scopes):
    """Write new versions of these scopes (and of any this process could not
    write before). If the cache is down, they are kept and written by the
    next request once it is back, so that pages it held from before the
    change are not served again. Only if this process ended before then
    would they be, until PAGE_CACHE_SECONDS; a Redis restarted without
    persistence has lost them anyway. A CDN in front is asked once, at the
    change, to drop the pages of the scopes it names."""
    writing = sorted(set(scopes) | _unwritten_scopes)
    versions = {version_key(scope): uuid.uuid4().hex for scope in writing}
    failed = failsafe_cache.call("set_many", versions, timeout=None, alias=ALIAS, default=_FAILED)
    if failed is _FAILED or failed:
        _unwritten_scopes.update(writing)
    else:
        _unwritten_scopes.difference_update(writing)
    if scopes:
        purge_shared_caches(scopes)


_assets_version = []


def assets_version():
    """A digest of what a page links to besides other pages: the static
    files' manifest (the hashed names of the stylesheets, scripts and images
    pages link to), and PAGE_CACHE_EPOCH. It is part of every page's key.

    So a release whose static files differ starts with none of the old
    release's pages, and a page never links to a stylesheet or script that
    the release removed (a changed stylesheet is a new hashed name in the
    manifest). Read once per process."""
    if not _assets_version:
        digest = hashlib.sha256(f"epoch:{settings.PAGE_CACHE_EPOCH}\n".encode())
        # STATIC_ROOT is often outside the code (a volume the release's
        # collectstatic fills): the manifest counts by its content alone.
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.exists():
            digest.update(b"static files' manifest\n")
            digest.update(manifest.read_bytes())
        _assets_version.append(digest.hexdigest()[:12])
    return _assets_version[0]


_python_digest = []
_templates_digest = []


def code_version():
    """A digest of the code that builds pages: the site's Python (views,
    models, template tags...), its templates and the locked package versions
    (Django's and the form libraries' templates are theirs). It is stored
    with each page: a page built by another release's code is served only
    for a while after this release starts (previous_release_page_still_served),
    less and less often, and built anew by this release's code otherwise.

    The Python is read once per process (a developer's server restarts for
    it); the templates and packages too, except with DEBUG on, where a
    template just edited must show on the next request."""
    if not _python_digest:
        _python_digest.append(_digest(_python_files(Path(settings.BASE_DIR))))
    if not _templates_digest or settings.DEBUG:
        _templates_digest[:] = [_digest(_template_files(Path(settings.BASE_DIR)))]
    return hashlib.sha256(f"{_python_digest[0]}:{_templates_digest[0]}".encode()).hexdigest()[:12]


def _digest(paths):
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def forget_versions():
    """Read the digests anew, as a new process of a release does."""
    _assets_version.clear()
    _python_digest.clear()
    _templates_digest.clear()


def release_key():
    return f"page-cache:release-started:{code_version()}"


# When this release's code first served a page (from the page cache, so that
# every process of the release agrees), once this process has read it.
_release_started = {}


def previous_release_page_still_served(release_started, now=None):
    """Whether a page built by another release's code (its static files the
    same as this one's) may still be served. For
    PAGE_CACHE_PREVIOUS_RELEASE_SECONDS after the release starts, each such
    page is served with a chance that falls from 1 to 0 over that time, and
    built anew otherwise: the pages are rebuilt spread over those minutes,
    not all in the first one, and none from the old code is served after
    them. Never with DEBUG on, where the "release" is a developer's edit."""
    bound = settings.PAGE_CACHE_PREVIOUS_RELEASE_SECONDS
    elapsed = (time.time() if now is None else now) - release_started
    if bound <= 0 or elapsed >= bound or settings.DEBUG:
        return False
    return random.random() >= max(0.0, elapsed) / bound  # noqa: S311 (spreading load, not secrecy)


# Folders of the project that no page is built from.
_NOT_RENDERING = {"node_modules", "static", "staticfiles", "media", "tests", "bench", "faults", "docs"}


def _python_files(root):
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d not in _NOT_RENDERING and not d.startswith(".")]
        for name in files:
            if name.endswith(".py"):
                yield Path(directory) / name


def _template_files(root):
    """The templates, and the locked package versions (packages bring
    templates of their own)."""
    lock = root / "requirements.txt"
    if lock.exists():
        yield lock
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d not in _NOT_RENDERING and not d.startswith(".")]
        if "templates" in Path(directory).relative_to(root).parts:
            for name in files:
                yield Path(directory) / name


def version_of(scope):
    """The current version of a scope's pages (started if there is none)."""
    return PublicPageCacheMiddleware.start_version(version_key(scope))


def purge_shared_caches(scopes):
    """Ask the CDN or reverse proxy in front (if any) to drop the pages of
    these scopes, by their Surrogate-Key. In a thread, so that a slow proxy
    never holds up a clerk's save; a failure is logged (the pages then
    expire after SHARED_CACHE_SECONDS)."""
    url = settings.CDN_PURGE_URL
    if not url:
        return
    keys = " ".join(surrogate_key(scope) for scope in scopes)

    def purge():
        request = urllib.request.Request(  # noqa: S310 (the operator's CDN_PURGE_URL)
            url, method="PURGE", headers={"xkey-purge": keys, "Surrogate-Key": keys}
        )
        try:
            urllib.request.urlopen(request, timeout=5).close()  # noqa: S310
        except OSError as error:
            logger.warning("CDN purge of %s failed: %s", keys, error)

    threading.Thread(target=purge, daemon=True).start()


def surrogate_key(scope):
    return scope.replace(":", "-")


def _on_model_change(sender, instance, signal, **kwargs):
    """Every save or delete of content (foundation/content.py) makes stale the
    pages that show it, once its transaction commits: the whole site for
    what shows everywhere; the pages of its meeting for a change of wording
    alone; for a change seen only within its meeting (foundation/content.py),
    the pages and bodies of that meeting and of the meetings that show the
    row, its partnership's other pages and every list; else its
    partnership's pages and every list. A write of a meeting through
    publishing.operations names the rest (its details and state)."""
    entry = content.content_of(sender)
    if entry is None:
        return  # not content: a survey answer, the email queue, a history row
    if entry.everywhere or kwargs.get("raw"):
        # A fixture or a restored backup, loaded row by row before what its
        # rows point to: stale everywhere, without reading a row's parents.
        content_changed(everywhere=True)
        return
    saved = signal is post_save and not kwargs.get("created")
    wording_only = getattr(instance, "changed_only_in_wording", None)
    if saved and wording_only and wording_only():
        meeting = content.meeting_of(instance)
        content_changed(wording_of_meetings=[(meeting.partnership_id, meeting.date)])
        return
    if signal is not m2m_changed and content.changed_only_within_its_meeting(instance, saved):
        meeting = content.meeting_of(instance)
        if meeting is not None:
            content_changed(
                within_meetings=[(meeting.partnership_id, meeting.date, meeting.pk)],
                linked={entry.shown_elsewhere_as: [instance.pk]} if entry.shown_elsewhere_as else None,
                people=content.shown_on_people_pages(instance),
            )
            return
    partnership_id = content.partnership_id_of(instance)
    content_changed(partnerships=[partnership_id] if partnership_id else ())


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_model_change, dispatch_uid=f"page-cache-{signal}")


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


def scopes_of(request):
    """The scopes of the page at this address, besides the site's."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return (LISTS, WORDING)
    kwarg = getattr(match.func, "page_cache_partnership_kwarg", None)
    partnership_id = partnership_id_of_slug(match.kwargs[kwarg]) if kwarg in match.kwargs else None
    if partnership_id:
        day = match.kwargs.get(getattr(match.func, "page_cache_day_kwarg", None))
        if day is not None:
            return (partnership_scope(partnership_id), meeting_scope(partnership_id, day))
        return (partnership_scope(partnership_id), overview_scope(partnership_id))
    if getattr(match.func, "page_cache_person", False):
        return (LISTS,)
    if getattr(match.func, "page_cache_shows_wording", True):
        return (LISTS, WITHIN_MEETINGS, WORDING)
    return (LISTS, WITHIN_MEETINGS)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        if _unwritten_scopes:
            replace_versions(())
            if _unwritten_scopes:  # the cache is still down: build the page, uncached
                return self.get_response(request)
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        # The page is stored as sent: gzipped (by GZipMiddleware, inside this
        # one) for browsers that accept it, plain for the rest.
        encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
        key = f"page-cache:{assets_version()}:{request.method}:{encoding}:{digest}"
        scopes = scopes_of(request)
        version_keys = [version_key(SITE), *(version_key(scope) for scope in scopes)]
        # One round trip for the versions and the page (one SQL query with
        # the database cache); and, once per process, when this release started.
        release = release_key()
        reading = [*version_keys, key, *([release] if release not in _release_started else [])]
        found = failsafe_cache.call("get_many", reading, alias=ALIAS)
        if found is None:  # the cache is down: build the page, uncached
            return self.get_response(request)
        if release not in _release_started:
            _release_started[release] = found.get(release) or self.start_version(release, time.time())
        if found.get(version_keys[0]) != _site_version_seen[0]:
            # Partnerships may have changed since this process mapped slugs
            # to ids: map them again, and read the right scopes' versions.
            _partnership_ids.clear()
            _site_version_seen[0] = found.get(version_keys[0])
            if scopes_of(request) != scopes:
                scopes = scopes_of(request)
                version_keys[1:] = [version_key(scope) for scope in scopes]
                found.update(failsafe_cache.call("get_many", version_keys[1:], alias=ALIAS, default={}))
        versions = tuple(found.get(k) or self.start_version(k) for k in version_keys)
        # (versions, page, the Python that built it); pages stored before the
        # last of these was added have none, as if from another release.
        stored_versions, response, built_by = (*(found.get(key) or ()), None, None, None)[:3]
        if (
            response is not None
            and stored_versions == versions
            and (built_by == code_version() or previous_release_page_still_served(_release_started[release]))
        ):
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        timeout = min(
            settings.PAGE_CACHE_SECONDS, getattr(response, "page_cache_seconds", settings.PAGE_CACHE_SECONDS)
        )
        if timeout > 0 and self._cacheable_response(response, scopes):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            failsafe_cache.call(
                "set", key, (versions, response, code_version()), timeout=timeout, alias=ALIAS
            )
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def start_version(key, version=None):
        # add() so that two workers starting together agree on one token.
        version = uuid.uuid4().hex if version is None else version
        failsafe_cache.call("add", key, version, timeout=None, alias=ALIAS)
        return failsafe_cache.call("get", key, version, default=version, alias=ALIAS)

    @staticmethod
    def _cacheable_request(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(settings.PAGE_CACHE_EXCLUDE)
        )

    @staticmethod
    def _cacheable_response(response, scopes=(LISTS, WORDING)):
        if response.status_code not in (200, 404) or response.cookies or response.streaming:
            return False
        # "Vary: Cookie" means the page was built from the visitor's session
        # or CSRF cookie (a form's token): it is theirs alone.
        if "cookie" in response.get("Vary", "").lower():
            return False
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        # Browsers may keep a public page but must check back (a 304 while
        # it is unchanged); a purged shared cache may keep it a while.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        if settings.SHARED_CACHE_SECONDS:
            patch_cache_control(response, s_maxage=settings.SHARED_CACHE_SECONDS)
        response["Surrogate-Key"] = " ".join(surrogate_key(scope) for scope in (SITE, *scopes))
        return True
