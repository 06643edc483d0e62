"""The clerk's own pages beyond the Django admin's (the minutes editor, the
"Import minutes" page and its review, and the editor filled by an import), at
1280 and 320 pixels wide, as a Sefton clerk and as a site administrator,
blank, filled and with errors: axe-core finds nothing, and nothing runs past
the edge of a phone."""

import pytest
from playwright.sync_api import expect

from tests.roles import restore_clerk_role

from .conftest import assert_accessible, assert_no_horizontal_scroll
from .staff import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SEFTON = "sefton-safer-communities-partnership"
WIDTHS = [1280, 320]


@pytest.fixture(params=["clerk", "superuser"])
def signed_in(request, transactional_db, initial_content, page):
    from django.contrib.auth import get_user_model

    from meetings.models import Meeting
    from partnerships.models import Partnership
    from tests.roles import staff_user

    restore_clerk_role()
    sefton = Partnership.objects.get(slug=SEFTON)
    Meeting.objects.filter(partnership=sefton, date="2020-03-12").delete()
    if request.param == "clerk":
        staff_user("sefton-clerk", "Clerk", [sefton])
        username = "sefton-clerk"
    else:
        get_user_model().objects.create_superuser(
            "administrator", "admin@example.org", "a-long-test-password"
        )
        username = "administrator"
    sign_in(page, username)
    return page, sefton


def check(page, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 320 else 640})
    assert_accessible(page)
    if width == 320:
        assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_editor_blank_and_with_errors(signed_in, width):
    page, sefton = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/meetings/meeting/editor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a meeting")
    check(page, width)
    page.locator("#id_partnership").select_option(str(sefton.pk))
    page.locator("#id_date").fill("2020-06-11")
    page.locator("#id_items-0-minutes").fill("Typed before the title.")
    page.locator("input#id_others-0-person").fill("Add as")
    page.get_by_role("option", name="Add as a new person").click()
    page.locator(".app-save-bar").get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the item its title")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the name of the new person")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "No earlier minute of the 2020/21 municipal year"
    )
    check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_import_page_its_review_and_the_editor_it_fills(signed_in, width):
    from tests.helpers import FIXTURES

    page, sefton = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/import-minutes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import minutes")
    check(page, width)
    page.locator("#id_partnership").select_option(str(sefton.pk))
    page.get_by_role("button", name="Read the minutes").click()
    expect(page.locator("#content-main .errorlist")).to_contain_text("Upload the minutes or paste their text")
    check(page, width)
    text = (FIXTURES / "seeds" / "004_0be5d7e260bb771b.txt").read_text(encoding="utf-8")
    page.locator("#id_text").fill(text)
    page.get_by_role("button", name="Read the minutes").click()
    expect(page.locator("main")).to_contain_text("Everything was placed.")
    check(page, width)
    page.get_by_role("button", name="Review and save in the minutes editor").click()
    expect(page.locator("#id_items-14-title")).to_have_value("DATE OF NEXT MEETING")
    check(page, width)
