"""The search page and the header search box in a real browser: axe-core
(WCAG 2.2 AA), 320 pixels wide, and a search typed into the header."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def minutes(transactional_db):
    from tests.meetings.factories import AgendaItemFactory, ResolutionFactory

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


@pytest.fixture
def seeded(transactional_db, initial_content):
    """The seed content, committed, for the live server to serve."""


@pytest.mark.parametrize("window", ["page", "phone_page"])
def test_finding_a_person_by_search(seeded, request, window):
    """A resident looks for the police inspector the minutes mention, keeps
    to people, sorts newest first and opens their page: at 1280 and 320 px."""
    page = request.getfixturevalue(window)
    page.goto("/search/")
    page.locator("#search-q").fill("Moscrop")
    page.get_by_text("Filter by partnership, year or type").click()
    page.get_by_label("Type of result").select_option(label="People")
    page.get_by_label("Sort results by").select_option(label="Newest first")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]type=person(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]sort=date(&|$)"))
    result = page.locator(".app-search-result")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Person")
    if window == "phone_page":
        assert_no_horizontal_scroll(page)
    assert_accessible(page)
    result.get_by_role("link", name="Chief Inspector Matthew Moscrop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chief Inspector Matthew Moscrop")
    assert_accessible(page)
