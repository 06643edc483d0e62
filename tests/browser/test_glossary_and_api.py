import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(transactional_db, initial_content):
    """The seed content, committed, for the live server to serve."""


@pytest.mark.parametrize("path", ["/glossary/", "/api/"])
def test_page_is_accessible(seeded, page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/glossary/", "/api/"])
def test_page_is_accessible_at_320px(seeded, phone_page, path):
    phone_page.goto(path)
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


def test_glossary_is_linked_from_the_footer_and_lists_the_seed_terms(seeded, page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Glossary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossary of abbreviations")
    expect(page.locator("abbr[title='Serious and Organised Crime Strategy']")).to_have_text("NOCS")


def test_marked_up_page_stays_accessible(seeded, page):
    page.goto("/partnerships/safer-merseyside-partnership/")
    # The first use of NOCS in the page's main content carries its expansion.
    abbr = page.locator("main abbr", has_text="NOCS")
    expect(abbr).to_have_count(1)
    expect(abbr).to_have_attribute("title", "Serious and Organised Crime Strategy")
    assert_accessible(page)
