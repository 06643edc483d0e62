"""The alert pages and a meeting page with its new links (calendar, alerts,
JSON-LD) in a real browser: axe-core, 320 pixels, no CSP errors (the JSON-LD
data block must not trip the policy), and the subscribe form's errors."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(transactional_db):
    from tests.meetings.factories import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(venue="Bootle Town Hall")
    AgendaItemFactory(meeting=meeting, title="Knife crime")
    return meeting


def test_meeting_page_with_calendar_and_alert_links_is_accessible(meeting, page):
    page.goto(meeting.get_absolute_url())
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    link = page.get_by_role("link", name=re.compile("^Add to calendar"))
    expect(link).to_have_attribute("href", f"{meeting.get_absolute_url()}calendar.ics")
    assert_accessible(page)


def test_partnership_page_with_follow_links_is_accessible(meeting, phone_page):
    phone_page.goto(meeting.partnership.get_absolute_url())
    expect(phone_page.get_by_role("heading", name=f"Follow the {meeting.partnership.name}")).to_have_count(1)
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


@pytest.mark.parametrize("path", ["/alerts/", "/alerts/check-your-email/", "/alerts/confirm/bad/"])
def test_alert_pages_are_accessible(meeting, page, path):
    page.goto(path)
    assert_accessible(page)


def test_subscribe_errors_are_summarised_and_linked_to_the_field(meeting, page):
    page.goto("/alerts/")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter an email address in the correct format"
    )
    assert_accessible(page)
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def test_subscribe_page_at_320px(meeting, phone_page):
    phone_page.goto(f"/alerts/?partnership={meeting.partnership.slug}")
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)
