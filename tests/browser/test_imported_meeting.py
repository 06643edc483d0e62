"""A meeting imported from a ModernGov archive, as the public sees it in
Chromium: its items, minutes, attendees and links to the source documents,
accessible at 320 pixels wide."""

import io
import pathlib

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

GETMEETING = pathlib.Path(__file__).parent.parent / "fixtures" / "moderngov" / "getmeeting_4021.xml"


@pytest.fixture
def imported(transactional_db):
    from django.core.management import call_command

    from tests.partnerships.factories import PartnershipFactory

    PartnershipFactory(name="Greystone Safer Neighbourhoods Board", slug="greystone")
    call_command("import_moderngov", str(GETMEETING), partnership="greystone", stdout=io.StringIO())
    return "/meetings/greystone/2024-10-14/"


def test_an_imported_meeting_page_links_its_documents_to_the_source(imported, page):
    page.goto(imported)
    link = page.get_by_role("link", name="Knife Crime Prevention Programme - year one report (PDF)")
    expect(link).to_have_attribute(
        "href", "https://democracy.greystone.example/documents/s7781/Knife%20crime%20programme.pdf"
    )
    expect(
        page.get_by_text("the programme be extended to the two academies in the north of the borough.")
    ).to_be_visible()
    assert_accessible(page)


def test_an_imported_meeting_page_fits_a_phone(imported, phone_page):
    phone_page.goto(imported)
    expect(phone_page.get_by_role("heading", name="Knife Crime Prevention Programme")).to_be_visible()
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)
