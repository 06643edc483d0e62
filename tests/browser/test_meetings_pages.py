"""A clerk enters a meeting through the admin in Chromium and the public sees
it; the public meeting pages pass axe-core's WCAG 2.2 A/AA checks, also at
320 pixels wide."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

SEFTON = "sefton-safer-communities-partnership"
MEETING_PAGES = [
    "/meetings/",
    f"/partnerships/{SEFTON}/meetings/",
    "/partnerships/safer-merseyside-partnership/meetings/",
    f"/meetings/{SEFTON}/2019-12-05/",
    f"/meetings/{SEFTON}/2020-03-12/",
    f"/meetings/{SEFTON}/2019-12-05/minute-32/",
    f"/meetings/{SEFTON}/2019-12-05/minute-35/",
    "/meetings/safer-merseyside-partnership/2020-09-04/",
    "/people/councillor-t-hardy/",
]


@pytest.fixture
def seeded(transactional_db, initial_content):
    """The seed content, committed, for the live server to serve."""


@pytest.mark.parametrize("path", MEETING_PAGES)
def test_meeting_pages_are_accessible(seeded, page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


@pytest.mark.parametrize("path", MEETING_PAGES)
def test_meeting_pages_are_accessible_at_320px(seeded, phone_page, path):
    phone_page.goto(path)
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


def test_a_visitor_follows_minute_32_from_the_march_meeting(seeded, page):
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Meetings of the Sefton Safer Communities Partnership").click()
    page.get_by_role("link", name="Thursday 12 March 2020").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda and draft minutes")
    page.get_by_role("link", name="Minute No. 32 of the meeting held on 5 December 2019").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minute No. 32: PREVENT")
    expect(page.get_by_role("link", name=re.compile("Minute No. 49, 12 March 2020"))).to_be_visible()


def add_inline_row(page, link_name):
    # The admin's "Add another ..." control (a link with the role of a button).
    page.locator(".add-row a", has_text=link_name).click()


def test_clerk_enters_and_publishes_a_meeting_and_the_public_sees_it(page, django_user_model):
    from tests.partnerships.factories import PartnershipFactory

    partnership = PartnershipFactory(name="Knowsley Community Safety Partnership", slug="knowsley-csp")
    django_user_model.objects.create_superuser("clerk", "clerk@example.org", "a-long-test-password")

    page.goto("/admin/login/?next=/admin/meetings/meeting/add/")
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/meetings/meeting/add/$"))

    # The meeting, its attendance and two items, on one screen.
    page.locator("#id_partnership").select_option(str(partnership.pk))
    page.locator("#id_date").fill("12/03/2020")
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_venue").fill("Huyton Municipal Buildings")
    page.locator("#id_attendances-0-name").fill("Councillor Ann Chair")
    page.locator("#id_attendances-0-is_chair").check()
    add_inline_row(page, "Add another Attendance")
    page.locator("#id_attendances-1-name").fill("Bob Apologetic")
    page.locator("#id_attendances-1-role").select_option("apologies")
    page.locator("#id_items-0-minute_number").fill("1")
    page.locator("#id_items-0-title").fill("Knife Crime Action Plan")
    page.locator("#id_items-0-minutes").fill("The Partnership considered the plan.")
    add_inline_row(page, "Add another Agenda item")
    page.locator("#id_items-1-minute_number").fill("2")
    page.locator("#id_items-1-title").fill("Youth Diversion Update")
    page.locator("#id_items-1-minutes").fill("An update was given.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/meetings/meeting/\d+/change/$"))
    meeting_url = page.url

    # Resolutions on each item's screen.
    for title, resolutions in [
        ("Knife Crime Action Plan", ["That the plan be approved;", "That progress be reported in June."]),
        ("Youth Diversion Update", ["That the update be noted."]),
    ]:
        page.locator(".inline-related", has_text=title).get_by_role("link", name="Change").first.click()
        for index, text in enumerate(resolutions):
            if index:
                add_inline_row(page, "Add another Resolution")
            page.locator(f"#id_resolutions-{index}-number").fill(str(index + 1))
            page.locator(f"#id_resolutions-{index}-text").fill(text)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist .success")).to_be_visible()
        page.goto(meeting_url)
        expect(page.locator(".inline-related", has_text=title).first).to_be_visible()

    # Publish the minutes from the list of meetings.
    page.goto("/admin/meetings/meeting/")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("publish_minutes")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Publish the minutes (subject to confirmation): done for 1 meeting(s)."
    )

    page.context.clear_cookies()  # a member of the public
    page.goto(f"/meetings/{partnership.slug}/2020-03-12/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Agenda and draft minutes, Thursday 12 March 2020"
    )
    for fact in [
        "Huyton Municipal Buildings",
        "Councillor Ann Chair (in the Chair)",
        "Bob Apologetic",
        "1. Knife Crime Action Plan",
        "That progress be reported in June.",
        "Link to Minute No. 1",
        "2. Youth Diversion Update",
        "That the update be noted.",
        "subject to confirmation",
    ]:
        expect(page.locator("main")).to_contain_text(fact)
    assert_accessible(page)


def test_a_meeting_prints_as_clean_minutes(seeded, page):
    page.goto(f"/meetings/{SEFTON}/2020-03-12/")
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator(".govuk-breadcrumbs")).to_be_hidden()
    expect(page.get_by_role("link", name=re.compile("Page for Minute No. 43"))).to_be_hidden()
    expect(page.get_by_role("heading", name="43. FEMALE OUT OF COURT DISPOSAL PROJECT")).to_be_visible()
    # Links print as plain text, without their addresses appended.
    link = page.get_by_role("link", name="Minute No. 32 of the meeting held on 5 December 2019")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after in ("none", "normal", "")
