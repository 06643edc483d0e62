"""What residents, journalists and councillors do on the committee site, in
Chromium at 1280 and 320 pixels wide, each page axe-core clean: ask the clerk
for a report, find the partnerships' own pages by search, jump to a minute
from the contents, filter the meetings and read the decisions."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

SEFTON = "sefton-safer-communities-partnership"
DECEMBER = f"/meetings/{SEFTON}/2019-12-05/"
MARCH = f"/meetings/{SEFTON}/2020-03-12/"


@pytest.fixture
def seeded(transactional_db, initial_content):
    from partnerships.models import Partnership

    # As a clerk would enter them in the admin (tests/partnerships/test_contacts.py does so).
    Partnership.objects.filter(slug=SEFTON).update(
        contact_email="democratic.services@sefton.example", contact_phone="0151 000 0000"
    )


@pytest.fixture(params=["page", "phone_page"])
def any_page(request, seeded):
    """The same journey at 1280 and at 320 pixels wide."""
    return request.getfixturevalue(request.param)


def check(page):
    if page.viewport_size["width"] <= 320:
        assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_contacting_the_clerk_about_a_report_from_a_meeting_page(any_page):
    page = any_page
    page.goto(DECEMBER)
    ask = page.get_by_role("link", name="Email Paul Fraser to ask for a copy of PREVENT")
    expect(ask).to_be_visible()
    href = ask.get_attribute("href")
    assert href.startswith("mailto:democratic.services@sefton.example?subject=")
    assert "PREVENT" in href and "5%20December%202019" in href
    check(page)


@pytest.mark.parametrize(
    "q, result",
    [
        ("Red Umbrella", "Merseyside Community Safety Partnership"),
        ("Probation", "Safer Merseyside Partnership"),
        ("knife crime action plan", "Merseyside Community Safety Partnership"),
    ],
)
def test_finding_the_partnerships_own_pages_by_search(any_page, q, result):
    page = any_page
    page.goto("/search/")
    page.get_by_label("Search minutes, meetings and documents").fill(q)
    page.get_by_role("button", name="Search").click()
    link = page.locator(".app-search-result").get_by_role("link", name=result, exact=True)
    expect(link).to_be_visible()
    check(page)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(result)


def test_jumping_to_minute_49_from_the_contents(any_page):
    page = any_page
    page.goto(MARCH)
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="49. PREVENT ACTION PLAN"
    ).click()
    expect(page).to_have_url(re.compile("#minute-49$"))
    expect(page.locator("#minute-49-title")).to_be_in_viewport()
    check(page)


def test_filtering_meetings_by_partnership_and_year(any_page):
    page = any_page
    page.goto("/meetings/")
    page.get_by_label("Partnership").select_option(label="Sefton Safer Communities Partnership")
    page.get_by_label("Municipal year").select_option("2019/20")
    page.get_by_role("button", name="Show meetings").click()
    expect(page.get_by_role("status")).to_have_text("3 meetings.")
    expect(page.locator(".app-card-list__item")).to_have_count(3)
    check(page)


def test_the_decisions_page(any_page):
    page = any_page
    page.goto("/meetings/")
    page.get_by_role("link", name="Decisions of every meeting").click()
    page.get_by_label("Words in the decision").fill("PREVENT")
    page.get_by_role("button", name="Show decisions").click()
    expect(page.get_by_role("status")).to_contain_text("decision")
    check(page)
    page.get_by_role("link", name="Minute No. 32 (Resolution 1): PREVENT").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minute No. 32: PREVENT")


def test_the_declarations_register(any_page):
    from meetings.models import Declaration, Meeting

    # As a clerk would record it from the minutes, in the admin.
    march = Meeting.objects.get(partnership__slug=SEFTON, date="2020-03-12")
    Declaration.objects.create(
        meeting=march,
        item=march.items.get(minute_number=41),
        name="Councillor Hardy",
        interest="A test interest",
    )
    page = any_page
    page.goto("/meetings/")
    page.get_by_role("link", name="Declarations of interest").click()
    page.get_by_label("Partnership").select_option(label="Sefton Safer Communities Partnership")
    page.get_by_label("Municipal year").select_option("2019/20")
    page.get_by_role("button", name="Show declarations").click()
    expect(page.get_by_role("status")).to_have_text("1 declaration.")
    expect(page.locator(".app-card-list__item")).to_contain_text("Councillor Hardy")
    check(page)
    page.get_by_role("link", name=re.compile("12 March 2020, Minute No. 41")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minute No. 41")


def test_the_people_index(any_page):
    page = any_page
    page.goto("/meetings/")
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name="Christopher Millward", exact=True)
    )
    expect(row).to_contain_text(re.compile(r"attended \d+ of \d+, apologies \d+"))
    check(page)
    row.get_by_role("link", name="Christopher Millward", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Millward")


def test_a_month_in_the_calendar(any_page):
    page = any_page
    page.goto("/meetings/")
    page.get_by_role("link", name="Calendar of meetings, month by month").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meetings in")
    page.goto("/meetings/calendar/2020/02/")
    page.get_by_role("link", name=re.compile("Next month")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings in March 2020")
    meeting = page.get_by_role("table").get_by_role(
        "link", name=re.compile("Sefton Safer Communities Partnership, 12 March 2020")
    )
    expect(meeting).to_be_visible()
    check(page)
    meeting.click()
    expect(page).to_have_url(re.compile(r"/2020-03-12/$"))
