import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree

from consultation.models import Consultation
from meetings.models import Meeting
from smp_site.seo import SITEMAPS, MinuteSitemap, PartnershipSitemap, urlset_xml
from tests.helpers import FIXTURES
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.partnerships.factories import OrganisationFactory, PartnershipFactory, PersonFactory

# Query budgets: fixed whatever the number of pages listed.
INDEX_QUERIES = 9  # a count for each kind of page held in the database
# Its count and its page, and for pages dated by the newest change to the
# content as a whole, one look-up in each of three change histories.
SECTION_QUERIES = 5
ROBOTS_QUERIES = 0

SITE = settings.SITE_URL
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml_locs(client, path, element):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(response.content).findall(f"sm:{element}/sm:loc", NS)]


def sitemap_urls(client):
    """Every address the sitemaps list, through the index as a crawler reads it."""
    urls = []
    for sitemap in xml_locs(client, "/sitemap.xml", "sitemap"):
        urls += xml_locs(client, sitemap.removeprefix(SITE), "url")
    return urls


@pytest.mark.django_db
def test_robots_txt(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(ROBOTS_QUERIES):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:3] == ["User-agent: *", "Disallow: /admin/", "Allow: /"]
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


@pytest.mark.django_db
def test_sitemap_lists_every_public_page(client):
    partnership = PartnershipFactory()
    organisation = OrganisationFactory()
    person = PersonFactory()
    urls = sitemap_urls(client)
    for path in [
        "/",
        "/partnerships/",
        "/meetings/",
        "/have-your-say/",
        "/glossary/",
        "/api/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/contact/",
        "/decisions/",
        "/declarations/",
        "/people/",
        partnership.get_absolute_url(),
        f"{partnership.get_absolute_url()}meetings/",
        organisation.get_absolute_url(),
        person.get_absolute_url(),
    ]:
        assert f"{SITE}{path}" in urls, path
    assert not [url for url in urls if "/admin/" in url]
    assert len(urls) == len(set(urls))


def make_consultation(slug, opens_days_ago, closes_days_ago, published):
    now = timezone.now()
    return Consultation.objects.create(
        title=f"Consultation {slug}",
        slug=slug,
        run_by="The PCC",
        summary="About lights.",
        privacy_notice="We keep it.",
        delete_responses_after=timezone.localdate() + datetime.timedelta(days=400),
        opens_at=now - datetime.timedelta(days=opens_days_ago),
        closes_at=now - datetime.timedelta(days=closes_days_ago),
        results_published=published,
    )


@pytest.mark.django_db
def test_sitemap_lists_meeting_lists_and_consultations_that_have_opened(client):
    published = make_consultation("published", 20, 10, published=True)
    open_now = make_consultation("open", 2, -5, published=False)
    make_consultation("not-yet", -2, -9, published=False)
    urls = sitemap_urls(client)
    assert f"{SITE}/consultations/" not in urls
    expected = {
        f"{SITE}/have-your-say/",
        f"{SITE}{published.get_absolute_url()}",
        f"{SITE}{published.get_absolute_url()}results/",
        f"{SITE}{open_now.get_absolute_url()}",
    }
    assert expected <= set(urls)
    assert not [url for url in urls if "not-yet" in url or "open/results" in url]


SCHEMAS = FIXTURES / "sitemaps"


def schema(name):
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.mark.django_db
def test_every_sitemap_validates_against_the_protocol_schema_and_dates_every_address(client):
    item = AgendaItemFactory(minute_number=3)
    PartnershipFactory()
    OrganisationFactory()
    PersonFactory()
    make_consultation("published", 20, 10, published=True)
    index = etree.fromstring(client.get("/sitemap.xml").content)
    schema("siteindex.xsd").assertValid(index)
    urlset_schema = schema("sitemap.xsd")
    dated = {}
    for location in index.findall("sm:sitemap/sm:loc", NS):
        urlset = etree.fromstring(client.get(location.text.removeprefix(SITE)).content)
        urlset_schema.assertValid(urlset)
        for url in urlset.findall("sm:url", NS):
            lastmod = url.find("sm:lastmod", NS)
            dated[url.find("sm:loc", NS).text] = None if lastmod is None else lastmod.text
    assert not [url for url, lastmod in dated.items() if not lastmod], "an address without <lastmod>"
    assert f"{SITE}{item.get_absolute_url()}" in dated


@pytest.mark.django_db
def test_a_meetings_lastmod_moves_on_when_it_changes(client):
    meeting = MeetingFactory()
    # Sitemaps give the day: make the meeting a few days old first.
    meeting.change_history.update(history_date=timezone.now() - datetime.timedelta(days=3))
    path = f"{SITE}{meeting.get_absolute_url()}"

    def lastmod():
        urlset = etree.fromstring(client.get("/sitemap-meetings.xml").content)
        for url in urlset.findall("sm:url", NS):
            if url.find("sm:loc", NS).text == path:
                return datetime.date.fromisoformat(url.find("sm:lastmod", NS).text)

    assert lastmod() == timezone.localdate() - datetime.timedelta(days=3)
    meeting.minutes_status = "published"
    meeting.save()
    assert lastmod() == timezone.localdate()


@pytest.mark.django_db
def test_sitemap_xml_is_an_index_of_one_sitemap_per_kind_of_page(client):
    assert xml_locs(client, "/sitemap.xml", "sitemap") == [
        f"{SITE}/sitemap-{section}.xml" for section in SITEMAPS
    ]


@pytest.mark.django_db
def test_a_big_sitemap_is_split_into_pages_the_index_lists(client, monkeypatch):
    """Past SiteSitemap.limit addresses (10,000) the index lists ?p=2 and on
    (shown here with a limit of 2)."""
    monkeypatch.setattr(PartnershipSitemap, "limit", 2)
    partnerships = [PartnershipFactory(order=n) for n in range(3)]
    index = xml_locs(client, "/sitemap.xml", "sitemap")
    assert f"{SITE}/sitemap-partnerships.xml?p=2" in index
    assert f"{SITE}/sitemap-partnerships.xml?p=3" not in index
    second = xml_locs(client, "/sitemap-partnerships.xml?p=2", "url")
    assert second == [f"{SITE}{partnerships[2].get_absolute_url()}"]
    assert f"{SITE}{partnerships[2].get_absolute_url()}" in sitemap_urls(client)


@pytest.mark.django_db
def test_the_minutes_sitemap_pages_list_each_minute_once_in_order_with_its_lastmod(client, monkeypatch):
    """The minutes' and meetings' sitemaps read a page's ids first and then
    only those rows with their last change (seo.PageIdsFirst): the pages
    together list every minute once, in order, each dated."""
    monkeypatch.setattr(MinuteSitemap, "limit", 2)
    meeting = MeetingFactory()
    items = [AgendaItemFactory(meeting=meeting, minute_number=n) for n in range(1, 6)]
    AgendaItemFactory(
        meeting=MeetingFactory(status=Meeting.Status.DRAFT, minutes_status="none"), minute_number=9
    )
    pages = []
    for page in (1, 2, 3):
        response = client.get("/sitemap-minutes.xml", {"p": page})
        urls = ET.fromstring(response.content).findall("sm:url", NS)
        assert all(url.find("sm:lastmod", NS) is not None for url in urls)
        pages.append([url.find("sm:loc", NS).text for url in urls])
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sum(pages, []) == [f"{SITE}{item.get_absolute_url()}" for item in items]
    assert client.get("/sitemap-minutes.xml", {"p": 4}).status_code == 404


def test_a_sitemap_page_is_written_as_djangos_sitemap_template_writes_it():
    """seo.urlset_xml writes what Django's own sitemap.xml template does, to
    the byte: every value escaped, a date-time's <lastmod> the day it is in
    London (23:30 UTC on a summer evening is the next day there)."""
    from django.template.loader import render_to_string

    summer_night = datetime.datetime(2024, 7, 1, 23, 30, tzinfo=datetime.UTC)
    urls = [
        {
            "location": f"{SITE}/meetings/a-b/2024-07-01/minute-3/",
            "lastmod": summer_night,
            "changefreq": None,
            "priority": "",
            "alternates": [],
        },
        {
            "location": f'{SITE}/search/?q=<knife>&sort="date"\'',
            "lastmod": datetime.date(2019, 6, 30),
            "changefreq": "weekly",
            "priority": "0.5",
            "alternates": [{"lang_code": "cy", "location": f"{SITE}/cy/?a=1&b=2"}],
        },
        {"location": f"{SITE}/", "lastmod": None, "changefreq": None, "priority": "", "alternates": []},
    ]
    for page in (urls, urls[:1], []):
        assert urlset_xml(page) == render_to_string("sitemap.xml", {"urlset": page})
    assert "<lastmod>2024-07-02</lastmod>" in urlset_xml(urls)


@pytest.mark.django_db
def test_sitemap_uses_the_site_url_whatever_the_host(client):
    PartnershipFactory()
    for path, element in [("/sitemap.xml", "sitemap"), ("/sitemap-partnerships.xml", "url")]:
        response = client.get(path, headers={"Host": "localhost"})
        locs = [loc.text for loc in ET.fromstring(response.content).findall(f"sm:{element}/sm:loc", NS)]
        assert locs and all(url.startswith(f"{SITE}/") for url in locs)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_sitemap_query_count_is_fixed(client, django_assert_max_num_queries, size):
    for _ in range(size):
        PartnershipFactory()
        OrganisationFactory()
        PersonFactory()
    with django_assert_max_num_queries(INDEX_QUERIES):
        client.get("/sitemap.xml")
    for section in SITEMAPS:
        with django_assert_max_num_queries(SECTION_QUERIES):
            assert client.get(f"/sitemap-{section}.xml").status_code == 200
    # The pages, decisions, declarations and people, then seven a partnership
    # (its page, meetings, action log, work programme and attendance among them).
    assert len(sitemap_urls(client)) == 13 + 7 * size


@pytest.mark.django_db
def test_bad_sitemap_addresses_are_404_not_500(client):
    assert client.get("/sitemap-partnerships.xml?p=abc").status_code == 404
    assert client.get("/sitemap-partnerships.xml?p=99").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


# --- canonical links and descriptions ---


def head_of(response):
    html = response.content.decode()
    return html[: html.index("</head>")]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/partnerships/", "/glossary/", "/api/", "/contact/"])
def test_every_page_names_its_canonical_address(client, path):
    head = head_of(client.get(f"{path}?utm_source=newsletter"))
    assert f'<link rel="canonical" href="{SITE}{path}">' in head


@pytest.mark.django_db
def test_canonical_address_of_a_partnership_page(client):
    partnership = PartnershipFactory()
    head = head_of(client.get(partnership.get_absolute_url()))
    assert f'<link rel="canonical" href="{SITE}{partnership.get_absolute_url()}">' in head


@pytest.mark.django_db
def test_canonical_address_of_a_missing_page_is_escaped(client):
    response = client.get('/no-such-page/"><script>/')
    assert response.status_code == 404
    head = head_of(response)
    assert "<script>" not in head
    assert f'<link rel="canonical" href="{SITE}/no-such-page/%22%3E%3Cscript%3E/">' in head


@pytest.mark.django_db
def test_partnership_pages_describe_themselves(client):
    partnership = PartnershipFactory(summary="A partnership for a test of the description.")
    organisation = OrganisationFactory(name="Test Council")
    person = PersonFactory(title="Councillor", name="Jo Bloggs")
    assert 'content="A partnership for a test of the description."' in head_of(
        client.get(partnership.get_absolute_url())
    )
    assert 'content="Test Council: ' in head_of(client.get(organisation.get_absolute_url()))
    assert 'content="Councillor Jo Bloggs: ' in head_of(client.get(person.get_absolute_url()))
