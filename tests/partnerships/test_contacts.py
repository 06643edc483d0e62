"""Contact details: kept by clerks in the admin, shown where people need them,
and never invented where the old pages give none."""

from urllib.parse import parse_qs, unquote, urlparse

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory

from partnerships.models import Partnership, SiteContact
from smp_site.views import server_error
from tests.helpers import text_of
from tests.roles import client_for, form_data, staff_user

SEFTON = "sefton-safer-communities-partnership"
DECEMBER = f"/meetings/{SEFTON}/2019-12-05/"


@pytest.mark.django_db
def test_the_initial_content_invents_no_contact_details(client, initial_content):
    for partnership in Partnership.objects.all():
        assert not (partnership.contact_email or partnership.contact_phone or partnership.contact_address)
    assert not SiteContact.objects.exists()
    meeting = client.get(DECEMBER).content.decode()
    assert "This document is not available online." in meeting
    assert "mailto:" not in meeting and "for a copy" not in meeting
    # The clerk the minutes name is still named.
    assert "Paul Fraser, Democratic Services Officer" in text_of(client.get(DECEMBER))
    for path in ["/contact/", f"/partnerships/{SEFTON}/", "/accessibility/"]:
        page = client.get(path).content.decode()
        assert "mailto:" not in page and "Telephone" not in page, path
    assert 'href="/contact/"' in client.get("/accessibility/").content.decode()


@pytest.fixture
def sefton_clerk(initial_content):
    return client_for(staff_user("sefton-clerk", "Clerk", [Partnership.objects.get(slug=SEFTON)]))


def enter_sefton_contact(clerk):
    sefton = Partnership.objects.get(slug=SEFTON)
    url = f"/admin/partnerships/partnership/{sefton.pk}/change/"
    data = form_data(clerk.get(url))
    data.update(
        contact_email="democratic.services@sefton.example",
        contact_phone="0151 000 0000",
        contact_address="Town Hall\nOriel Road\nBootle",
    )
    response = clerk.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.django_db
def test_a_resident_asks_the_clerk_for_a_report_by_email(client, sefton_clerk):
    enter_sefton_contact(sefton_clerk)
    soup = BeautifulSoup(client.get(DECEMBER).content, "html.parser")
    asks = [a for a in soup.find_all("a") if a["href"].startswith("mailto:") and "for a copy" in a.get_text()]
    assert len(asks) == 4  # the four reports listed but not online
    prevent = next(a for a in asks if "of PREVENT" in a.get_text())
    address = urlparse(prevent["href"])
    assert address.path == "democratic.services@sefton.example"
    subject = parse_qs(address.query)["subject"][0]
    assert subject == (
        "Request for a copy: PREVENT, Sefton Safer Communities Partnership meeting of 5 December 2019"
    )
    assert "+" not in address.query  # spaces as %20, which every mail client reads
    assert " ".join(prevent.get_text().split()) == "Email Paul Fraser to ask for a copy of PREVENT"
    page = text_of(client.get(DECEMBER))
    assert "Email: democratic.services@sefton.example" in page
    assert "Telephone: 0151 000 0000" in page
    partnership_page = text_of(client.get(f"/partnerships/{SEFTON}/"))
    assert (
        "Telephone 0151 000 0000" in partnership_page
        and "Address Town Hall Oriel Road Bootle" in partnership_page
    )
    contact = text_of(client.get("/contact/"))
    assert "Email democratic.services@sefton.example" in contact
    accessibility = client.get("/accessibility/").content.decode()
    assert 'href="mailto:democratic.services@sefton.example"' in accessibility
    assert unquote(prevent["href"]).endswith("meeting of 5 December 2019")


@pytest.mark.django_db
def test_a_clerk_keeps_the_sites_own_contact_details(client, sefton_clerk):
    response = sefton_clerk.post(
        "/admin/partnerships/sitecontact/add/",
        {
            "name": "Paul Fraser",
            "role": "Democratic Services Officer",
            "email": "site@sefton.example",
            "phone": "",
            "address": "",
        },
    )
    assert response.status_code == 302
    contact = text_of(client.get("/contact/"))
    assert (
        "About this website Contact Paul Fraser, Democratic Services Officer Email site@sefton.example"
        in contact
    )
    accessibility = client.get("/accessibility/").content.decode()
    assert "tell us by email at <a" in accessibility and "mailto:site@sefton.example" in accessibility
    # One row only: adding another opens the one there is.
    row = SiteContact.objects.get()
    again = sefton_clerk.get("/admin/partnerships/sitecontact/add/")
    assert (
        again.status_code == 302 and again["Location"] == f"/admin/partnerships/sitecontact/{row.pk}/change/"
    )


@pytest.mark.django_db
def test_the_error_page_names_a_way_to_get_help_without_the_database(settings, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        page = server_error(request).content.decode()
    assert "mailto:" not in page and 'href="/contact/"' in page
    settings.SITE_HELP_EMAIL = "help@example.org"
    settings.SITE_HELP_PHONE = "0151 111 1111"
    with django_assert_num_queries(0):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert 'If you need help now, email <a class="govuk-link" href="mailto:help@example.org">' in page
    assert "or call 0151 111 1111." in page
