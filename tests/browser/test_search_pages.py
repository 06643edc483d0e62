"""The search page and the header search box in a real browser: axe-core
(WCAG 2.2 AA), 320 pixels wide, and a search typed into the header."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def minutes(transactional_db):
    from meetings.factories import AgendaItemFactory, ResolutionFactory

    for n in range(25):
        item = AgendaItemFactory(
            title=f"Knife crime action plan {n}", minutes="Members discussed knife crime."
        )
        ResolutionFactory(item=item, text="That the knife crime plan be noted.")


@pytest.mark.parametrize(
    "path", ["/search/", "/search/?q=knife+crime", "/search/?q=zebra", "/search/?q=knife&year=junk"]
)
def test_search_pages_are_accessible(minutes, page, path):
    page.goto(path)
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/search/?q=knife+crime", "/partnerships/"])
def test_search_is_usable_at_320px(minutes, phone_page, path):
    phone_page.goto(path)
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


def test_searching_from_the_header_box(minutes, page):
    page.goto("/partnerships/")
    page.get_by_role("searchbox", name="Search minutes, meetings and documents").fill("knife crime")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=knife\+crime$"))
    expect(page.locator(".app-search-result")).to_have_count(20)
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    expect(page.locator(".app-search-result")).to_have_count(20)
    page.locator(".app-search-result a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Knife crime")
