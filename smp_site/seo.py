"""
What search engines see of the site as a whole: sitemap.xml and robots.txt,
what they may crawl and where to find every public page. (The canonical link
of each page is the `canonical_url` tag, foundation/templatetags/seo.py.)

sitemap.xml is a sitemap index: it lists one sitemap per kind of page
(/sitemap-minutes.xml and so on), each in pages of at most 10,000 addresses,
so a national-scale site's 400,000 minutes are all listed. Each kind of page
is one Sitemap class in SITEMAPS; a new kind of page is added by writing
another class and listing it there.

Every address has a <lastmod>: for a meeting, minute or partnership, the
last change in its audit trail (django-simple-history); for a consultation,
when it last opened or closed; for lists and pages built from the content as
a whole (and the few fixed-text pages), the newest change to any of it.
"""

import datetime
from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from consultation.models import Consultation
from meetings.listing import public_meetings
from meetings.models import AgendaItem, Meeting
from meetings.models.items import minute_address
from meetings.models.meetings import meeting_address
from partnerships.models import Membership, Organisation, Partnership, Person


def last_changed(model, pk="pk"):
    """A subquery: when the row `pk` of `model` was last saved, from its
    change history."""
    history = model.change_history.model
    return Subquery(
        history.objects.filter(id=OuterRef(pk)).order_by("-history_date").values("history_date")[:1]
    )


def content_last_changed():
    """The newest change to the partnerships, their memberships or their
    meetings: three indexed look-ups."""
    stamps = [
        model.change_history.model.objects.order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
        for model in (Partnership, Membership, Meeting)
    ]
    return max((stamp for stamp in stamps if stamp), default=None)


def newest(*stamps):
    return max((stamp for stamp in stamps if stamp), default=None)


class SiteSitemap(Sitemap):
    """Absolute URLs on settings.SITE_URL, the site's public address, rather
    than whatever host the request came in on."""

    # URLs a file: the protocol allows 50,000, but a file of 50,000 minutes
    # took 3.6 s to build nationally (a worker held that long for a crawler);
    # 10,000 take about a quarter of a second, and the index lists the files.
    limit = 10_000

    @cached_property
    def content_changed_at(self):
        # Looked up when the first <lastmod> needs it, so never for the index.
        return content_last_changed()

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class StaticPagesSitemap(SiteSitemap):
    URL_NAMES = [
        "home",
        "partnerships:list",
        "meetings:index",
        "consultation:index",
        "glossary:index",
        "api:index",
        "accessibility",
        "privacy",
        "cookies",
        "contact",
    ]

    def items(self):
        return self.URL_NAMES

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self.content_changed_at


class CommitteePagesSitemap(StaticPagesSitemap):
    """The lists across every partnership that the pages sitemap does not
    name: decisions, declarations and people (the meetings list is there)."""

    URL_NAMES = ["meetings:decisions", "meetings:declarations", "partnerships:people"]


class CalendarSitemap(SiteSitemap):
    """Each month of the meetings calendar that has a public meeting."""

    def items(self):
        return public_meetings().dates("date", "month")

    def location(self, month):
        return reverse("meetings:calendar", args=[f"{month.year:04d}", f"{month.month:02d}"])

    def lastmod(self, month):
        return self.content_changed_at


class PartnershipSitemap(SiteSitemap):
    def items(self):
        return (
            Partnership.objects.order_by("order", "name", "pk")
            .only("slug")
            .annotate(changed_at=last_changed(Partnership))
        )

    def lastmod(self, partnership):
        return partnership.changed_at


class PartnershipMeetingsSitemap(SiteSitemap):
    """Each partnership's list of meetings, as new as its newest meeting."""

    def items(self):
        history = Meeting.change_history.model
        return (
            Partnership.objects.order_by("order", "name", "pk")
            .only("slug")
            .annotate(
                changed_at=Subquery(
                    history.objects.filter(partnership_id=OuterRef("pk"))
                    .order_by("-history_date")
                    .values("history_date")[:1]
                ),
                partnership_changed_at=last_changed(Partnership),
            )
        )

    def location(self, partnership):
        return reverse("meetings:partnership", args=[partnership.slug])

    def lastmod(self, partnership):
        return newest(partnership.changed_at, partnership.partnership_changed_at)


class PartnershipFollowThroughSitemap(PartnershipMeetingsSitemap):
    """Each partnership's action log, work programme and attendance
    summaries, as new as its newest meeting."""

    PAGES = ("actions", "work_programme", "attendance_years")

    def items(self):
        return [(partnership, name) for partnership in super().items() for name in self.PAGES]

    def location(self, page):
        partnership, name = page
        return reverse(f"meetings:{name}", args=[partnership.slug])

    def lastmod(self, page):
        return super().lastmod(page[0])


class OrganisationSitemap(SiteSitemap):
    """Organisations and people keep no audit trail: their pages take the
    newest change to the content (which is what they show of it)."""

    def items(self):
        return Organisation.objects.order_by("name", "pk").only("slug")

    def lastmod(self, organisation):
        return self.content_changed_at


class PersonSitemap(OrganisationSitemap):
    def items(self):
        return Person.objects.order_by("name", "pk").only("slug")


class PageIdsFirst:
    """Rows of values ordered by primary key (which comes first in each row),
    as a Paginator counts and slices them: counted, and a page's ids read,
    from `listed` (the rows' own QuerySet, without the joins and
    annotations the values need), then the rows from the page's first id to
    its last with their annotations. Sliced as they are, an OFFSET made
    PostgreSQL compute the annotations (each row's last change, from its
    history) for every row it skipped: the 40th page of minutes nationally
    took 2.2 s; and counted as they are, the joins for the values cost a
    third of the count (400,000 minutes nationally: 84 ms against 55).
    (By the range, not the list of 10,000 ids, which Django prepares one by
    one.)"""

    def __init__(self, rows, listed):
        self.rows = rows
        self.listed = listed.order_by("pk")
        self.ordered = True

    def count(self):
        return self.listed.count()

    def __getitem__(self, window):
        ids = list(self.listed.values_list("pk", flat=True)[window])
        if not ids:
            return []
        return list(self.rows.filter(pk__gte=ids[0], pk__lte=ids[-1]))


class LongSitemap(SiteSitemap):
    """A sitemap of one kind of page there are tens of thousands of: its
    items are rows of values, not model instances (three a minute, with its
    meeting and partnership), which took most of the time of a page of
    10,000. `listed()` says which rows are listed; `items()` their values,
    from listed()."""

    def listed(self):
        raise NotImplementedError

    @property
    def paginator(self):
        return Paginator(PageIdsFirst(self.items(), self.listed()), self.limit)

    @cached_property
    def meeting_addresses(self):
        return {}

    def meeting_address(self, slug, day):
        """A meeting's address, made once a page: a meeting has a dozen minutes."""
        place = (slug, day)
        address = self.meeting_addresses.get(place)
        if address is None:
            address = self.meeting_addresses[place] = meeting_address(slug, day)
        return address


class MeetingSitemap(LongSitemap):
    """Every meeting page."""

    def listed(self):
        return Meeting.objects.public()

    def items(self):
        return (
            self.listed()
            .annotate(slug=F("partnership__slug"), changed_at=last_changed(Meeting))
            .order_by("pk")
            .values_list("pk", "slug", "date", "changed_at", "amended_at", named=True)
        )

    def location(self, meeting):
        return self.meeting_address(meeting.slug, meeting.date)

    def lastmod(self, meeting):
        return newest(meeting.changed_at, meeting.amended_at)


class MinuteSitemap(LongSitemap):
    """Every numbered minute's own page."""

    def listed(self):
        return AgendaItem.objects.public().filter(minute_number__isnull=False)

    def items(self):
        return (
            self.listed()
            .annotate(
                slug=F("meeting__partnership__slug"),
                day=F("meeting__date"),
                amended_at=F("meeting__amended_at"),
                changed_at=last_changed(AgendaItem),
                meeting_changed_at=last_changed(Meeting, "meeting_id"),
            )
            .order_by("pk")
            .values_list(
                "pk",
                "slug",
                "day",
                "minute_number",
                "changed_at",
                "meeting_changed_at",
                "amended_at",
                named=True,
            )
        )

    def location(self, item):
        return minute_address(self.meeting_address(item.slug, item.day), item.minute_number)

    def lastmod(self, item):
        return newest(item.changed_at, item.meeting_changed_at, item.amended_at)


class ConsultationSitemap(SiteSitemap):
    """The start page of each consultation that has opened, and its results
    page once they are published; each changed when it last opened or
    closed."""

    def items(self):
        now = timezone.now()
        pages = []
        for consultation in Consultation.objects.filter(opens_at__lte=now).order_by("-opens_at", "pk"):
            changed_at = newest(
                consultation.opens_at, consultation.closes_at if consultation.closes_at <= now else None
            )
            pages.append((consultation.get_absolute_url(), changed_at))
            if consultation.results_are_public:
                pages.append((reverse("consultation:results", args=[consultation.slug]), changed_at))
        return pages

    def location(self, page):
        return page[0]

    def lastmod(self, page):
        return page[1]


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "committee": CommitteePagesSitemap,
    "calendar": CalendarSitemap,
    "partnerships": PartnershipSitemap,
    "partnership-meetings": PartnershipMeetingsSitemap,
    "partnership-follow-through": PartnershipFollowThroughSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "meetings": MeetingSitemap,
    "minutes": MinuteSitemap,
    "consultations": ConsultationSitemap,
}


@require_safe
@x_robots_tag
def sitemap_index(request):
    """Django's sitemap index, with its addresses on SITE_URL as the
    sitemaps' own are (Django's index view takes the request's host): one
    entry per page of each kind's sitemap, a count query each."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        location = f"{settings.SITE_URL}{reverse('sitemap-section', kwargs={'section': section})}"
        entries.append(SitemapIndexItem(location))
        pages = sitemap_class().paginator.num_pages
        entries += [SitemapIndexItem(f"{location}?p={page}") for page in range(2, pages + 1)]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def lastmod_text(lastmod):
    """A <lastmod> as Django's sitemap template writes it (its date filter's
    "Y-m-d": a date-time as the day it is in the site's time zone)."""
    lastmod = timezone.template_localtime(lastmod)
    return (lastmod.date() if isinstance(lastmod, datetime.datetime) else lastmod).isoformat()


def urlset_xml(urls):
    """A sitemap page: Django's sitemap.xml template written in Python, to
    the byte, for the url entries Sitemap.get_urls() gives. The template's
    loop took longer than the database for a page of 10,000 minutes."""
    entries = []
    for url in urls:
        parts = [f"<url><loc>{escape(url['location'])}</loc>"]
        if url["lastmod"]:
            parts.append(f"<lastmod>{escape(lastmod_text(url['lastmod']))}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{escape(url['priority'])}</priority>")
        parts += [
            f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}"'
            f' href="{escape(alternate["location"])}"/>'
            for alternate in url["alternates"]
        ]
        parts.append("</url>")
        entries.append("".join(parts))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        f"{''.join(entries)}\n</urlset>\n"
    )


@x_robots_tag
def sitemap_section(request, section):
    """One page (?p=) of one kind of page's sitemap, as Django's sitemap view
    answers it: 404 for a kind, page number or page there is not, and a
    Last-Modified header when every address on the page is dated."""
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None:
        raise Http404(f"No sitemap available for section: {section!r}")
    sitemap = sitemap_class()
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as missing:
        raise Http404("No such page of this sitemap") from missing
    lastmod = getattr(sitemap, "latest_lastmod", None)
    headers = {"Last-Modified": http_date(lastmod.timestamp())} if lastmod else None
    return HttpResponse(urlset_xml(urls), content_type="application/xml", headers=headers)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
