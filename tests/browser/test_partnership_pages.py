import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

PARTNERSHIP_PAGES = [
    "/partnerships/safer-merseyside-partnership/",
    "/partnerships/sefton-safer-communities-partnership/",
    "/partnerships/merseyside-community-safety-partnership/",
]


@pytest.fixture
def seeded(transactional_db, initial_content):
    """The seed content, committed, for the live server to serve."""


def test_home_page_is_accessible_and_leads_to_every_partnership(seeded, page):
    page.goto("/")
    assert_accessible(page)
    for name in [
        "Safer Merseyside Partnership",
        "Sefton Safer Communities Partnership",
        "Merseyside Community Safety Partnership",
    ]:
        expect(page.get_by_role("link", name=name).first).to_be_visible()
    page.get_by_role("link", name="Safer Merseyside Partnership (SMP)").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safer Merseyside Partnership (SMP)")


@pytest.mark.parametrize("path", ["/", "/partnerships/", *PARTNERSHIP_PAGES])
def test_page_is_accessible(seeded, page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", *PARTNERSHIP_PAGES])
def test_page_is_accessible_at_320px(seeded, phone_page, path):
    phone_page.goto(path)
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


@pytest.mark.parametrize("path", ["/", *PARTNERSHIP_PAGES])
def test_page_works_at_320px_without_javascript(seeded, no_js_phone_page, path):
    page = no_js_phone_page
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # With no JavaScript the navigation is not collapsed behind a menu button.
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnerships")
    ).to_be_visible()
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(
    "path",
    ["/accessibility/", "/privacy/", "/cookies/", "/contact/", "/no-such-page/", "/admin/password-reset/"],
)
def test_site_pages_are_accessible(seeded, page, path):
    page.goto(path)
    assert_accessible(page)
