"""The Django admin's pages a clerk uses (the index, the meeting change list,
the meeting's add, change and history pages, the partnership's change form,
an agenda item's and a resolution's change forms), at 1280 and 320 pixels
wide, as a Sefton clerk and as a site administrator, filled and with errors:
axe-core finds nothing, and at 320 px nothing runs past the edge of the
page (every control is reached without scrolling the page sideways)."""

import pytest
from playwright.sync_api import expect

from tests.roles import restore_clerk_role

from .conftest import assert_accessible, assert_no_horizontal_scroll
from .staff import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SEFTON = "sefton-safer-communities-partnership"
WIDTHS = [1280, 320]
ERRORS = ".errornote"


@pytest.fixture(params=["clerk", "superuser"])
def signed_in(request, transactional_db, initial_content, page):
    """A Sefton clerk or a site administrator signed in, and Sefton's meeting
    of 12 March 2020 (of the initial content, with its attendance, items,
    resolutions and documents)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from meetings.models import Meeting
    from partnerships.models import Partnership
    from tests.roles import staff_user

    cache.clear()  # the sign-in rate limit's counts from earlier tests
    restore_clerk_role()
    sefton = Partnership.objects.get(slug=SEFTON)
    meeting = Meeting.objects.get(partnership=sefton, date="2020-03-12")
    if request.param == "clerk":
        staff_user("sefton-clerk", "Clerk", [sefton])
        username = "sefton-clerk"
    else:
        get_user_model().objects.create_superuser(
            "administrator", "admin@example.org", "a-long-test-password"
        )
        username = "administrator"
    sign_in(page, username)
    return page, meeting


def check(page, width):
    """axe-core at the width; no sideways scroll of the page (at 1280 px
    too: the meeting's tables once ran to 1,952 px), and at 320 px every
    form control within the page's width, not in a box scrolled sideways."""
    page.set_viewport_size({"width": width, "height": 900 if width > 320 else 640})
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    if width == 320:
        past_the_edge = page.evaluate(
            """() => [...document.querySelectorAll(
                    '#content input:not([type=hidden]), #content select, #content textarea, #content button')]
                .filter((control) => control.getClientRects().length)
                .filter((control) => control.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map((control) => control.name || control.id || control.outerHTML.slice(0, 80))"""
        )
        assert not past_the_edge, f"controls past the edge at 320px on {page.url}: {past_the_edge}"


def save(page):
    page.locator("#content-main form input[name=_save]").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_index(signed_in, width):
    page, _meeting = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/")
    expect(page.get_by_role("link", name="Meetings", exact=True)).to_be_visible()
    check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_meeting_change_form_filled_and_with_errors(signed_in, width):
    page, meeting = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    expect(page.locator("#id_date")).to_have_value("12/03/2020")
    expect(page.locator("#attendances-group")).to_be_visible()
    check(page, width)
    page.locator("#id_date").fill("")
    save(page)
    expect(page.locator(ERRORS)).to_be_visible()
    expect(page.locator(".field-date .errorlist")).to_contain_text("This field is required")
    check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_meeting_add_form_filled_and_with_errors(signed_in, width):
    page, meeting = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/meetings/meeting/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add meeting")
    page.locator("#id_partnership").select_option(str(meeting.partnership_id))
    page.locator("#id_venue").fill("Bootle Town Hall")
    page.locator("#id_attendances-0-name").fill("Sue Holden")
    check(page, width)
    save(page)
    expect(page.locator(".field-date .errorlist")).to_contain_text("This field is required")
    expect(page.locator("#id_venue")).to_have_value("Bootle Town Hall")
    check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_meeting_change_list(signed_in, width):
    page, _meeting = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/meetings/meeting/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Select meeting to change")
    expect(page.locator("#changelist-filter")).to_be_visible()
    check(page, width)
    page.goto("/admin/meetings/meeting/?q=Safer")
    expect(page.locator("#changelist-search")).to_be_visible()
    check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_meeting_history(signed_in, width):
    page, meeting = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/history/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("View history")
    check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_partnership_change_form_filled_and_with_errors(signed_in, width):
    page, meeting = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/admin/partnerships/partnership/{meeting.partnership_id}/change/")
    expect(page.locator("#id_name")).to_have_value(meeting.partnership.name)
    check(page, width)
    page.locator("#id_name").fill("")
    save(page)
    expect(page.locator(".field-name .errorlist")).to_contain_text("This field is required")
    check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_agenda_item_change_form_filled_and_with_errors(signed_in, width):
    page, meeting = signed_in
    item = meeting.items.filter(resolutions__isnull=False).order_by("order").first()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/admin/meetings/agendaitem/{item.pk}/change/")
    expect(page.locator("#id_title")).to_have_value(item.title)
    check(page, width)
    page.locator("#id_title").fill("")
    save(page)
    expect(page.locator(".field-title .errorlist")).to_contain_text("This field is required")
    check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_resolution_change_form_filled_and_with_errors(signed_in, width):
    from meetings.models import Resolution

    page, meeting = signed_in
    resolution = Resolution.objects.filter(item__meeting=meeting).order_by("item__order", "number").first()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/admin/meetings/resolution/{resolution.pk}/change/")
    expect(page.locator("#id_text")).to_have_value(resolution.text)
    check(page, width)
    page.locator("#id_text").fill("")
    save(page)
    expect(page.locator(".field-text .errorlist")).to_contain_text("This field is required")
    check(page, width)
