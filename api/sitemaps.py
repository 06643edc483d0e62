"""
sitemap.xml and robots.txt: what search engines may crawl and where to find
every public page.

sitemap.xml is a sitemap index: it lists one sitemap per kind of page
(/sitemap-minutes.xml and so on), each in pages of at most 50,000 addresses,
so a national-scale site's 400,000 minutes are all listed. Each kind of page
is one Sitemap class in SITEMAPS; a new kind of page is added by writing
another class and listing it there.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from partnerships.models import Organisation, Partnership, Person


class SiteSitemap(Sitemap):
    """Absolute URLs on settings.SITE_URL, the site's public address, rather
    than whatever host the request came in on."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class StaticPagesSitemap(SiteSitemap):
    URL_NAMES = [
        "home",
        "partnerships:list",
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


class CommitteePagesSitemap(StaticPagesSitemap):
    """The lists across every partnership: meetings, decisions."""

    URL_NAMES = ["meetings:index", "meetings:decisions"]


class PartnershipSitemap(SiteSitemap):
    def items(self):
        return Partnership.objects.order_by("order", "name", "pk").only("slug")


class OrganisationSitemap(SiteSitemap):
    def items(self):
        return Organisation.objects.order_by("name", "pk").only("slug")


class PersonSitemap(SiteSitemap):
    def items(self):
        return Person.objects.order_by("name", "pk").only("slug")


class MeetingSitemap(SiteSitemap):
    """Every meeting page (issue 6)."""

    def items(self):
        from meetings.models import Meeting

        return Meeting.objects.select_related("partnership").only("date", "partnership__slug").order_by("pk")


class MinuteSitemap(SiteSitemap):
    """Every numbered minute's own page (issue 6)."""

    def items(self):
        from meetings.models import AgendaItem

        return (
            AgendaItem.objects.filter(minute_number__isnull=False)
            .select_related("meeting__partnership")
            .only("minute_number", "meeting__date", "meeting__partnership__slug")
            .order_by("pk")
        )


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "committee": CommitteePagesSitemap,
    "partnerships": PartnershipSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "meetings": MeetingSitemap,
    "minutes": MinuteSitemap,
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
