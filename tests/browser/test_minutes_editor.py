"""A Sefton clerk enters the whole meeting of 12 March 2020 (minutes 40 to
54, as seed 004 prints them) in the minutes editor, in Chromium, counting
page loads, fields filled and clicks; the public then sees it."""

import re

import pytest
from playwright.sync_api import expect

from tests.roles import restore_clerk_role

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

SEFTON = "sefton-safer-communities-partnership"
# Who the minutes list as present or sending apologies: members of the
# partnership (entered here as the clerk keeps its membership); Councillor
# Maher was "also present" and is not one.
MEMBERS = [
    "hardy",
    "sayers",
    "shaw",
    "currie",
    "frackleton",
    "gay",
    "holden",
    "omalley",
    "rooney",
    "armitage",
    "wilcock",
    "millward",
    "white",
    "stanley",
    "simmons",
    "hunter",
    "harland",
    "robson",
    "martlew",
    "horn",
]


class Clerk:
    """Drives the page and counts what a clerk does: page loads (each
    navigation of the page, a form post followed by its redirect counting
    once), fields filled and clicks."""

    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.fields = 0
        self.clicks = 0
        page.on("framenavigated", lambda frame: self._navigated(frame))

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.loads += 1

    def fill(self, selector, value):
        self.page.locator(selector).fill(value)
        self.fields += 1

    def choose(self, selector, label):
        self.page.locator(selector).select_option(label=label)
        self.fields += 1

    def click(self, locator):
        locator.click()
        self.clicks += 1


@pytest.fixture
def sefton_clerk(transactional_db, initial_content, django_user_model):
    from meetings.initial_content import person
    from meetings.models import Meeting
    from partnerships.models import Membership, Partnership, Seat
    from tests.roles import staff_user

    restore_clerk_role()
    sefton = Partnership.objects.get(slug=SEFTON)
    # The clerk enters this meeting afresh.
    Meeting.objects.filter(partnership=sefton, date="2020-03-12").delete()
    for order, key in enumerate(MEMBERS, start=1):
        seat = Seat.objects.create(
            partnership=sefton, role=Seat.Role.MEMBER, title=f"Member {order}", order=order
        )
        Membership.objects.create(seat=seat, person=person(key))
    staff_user("sefton-clerk", "Clerk", [sefton])
    return sefton


def test_a_sefton_clerk_enters_the_meeting_of_12_march_2020_in_three_page_loads(sefton_clerk, page):
    from meetings.initial_content import MARCH_2020, MARCH_2020_ATTENDANCE, NO_DECLARATIONS, person

    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("sefton-clerk")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Partnerships, meetings and consultations")).to_be_visible()

    clerk = Clerk(page)
    page.goto("/admin/meetings/meeting/editor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a meeting")
    assert_accessible(page)

    # The meeting's details, then the standing items and 12 blank ones.
    clerk.fill("#id_date", "2020-03-12")
    clerk.fill("#id_start_time", "10:00")
    clerk.fill("#id_venue", "Town Hall, Bootle")
    clerk.fill("#id_add_count", "12")
    clerk.click(page.get_by_role("button", name="Add the standing items of 5 December 2019"))
    expect(page.locator("#id_items-14-minute_number")).to_have_value("54")
    expect(page.locator("#id_items-0-title")).to_have_value("Apologies for Absence")
    expect(page.locator("#id_venue")).to_have_value("Town Hall, Bootle")

    for index, (number, title, presenter, printed, agenda, minutes, resolutions, _) in enumerate(MARCH_2020):
        prefix = f"#id_items-{index}"
        expect(page.locator(f"{prefix}-minute_number")).to_have_value(str(number))
        # The standing items came with their titles, as the last meeting's
        # minutes printed them: typed again only where these print otherwise.
        if index >= 3 or page.locator(f"{prefix}-title").input_value() != title:
            clerk.fill(f"{prefix}-title", title)
        if presenter:
            clerk.choose(f"{prefix}-presenter", person(presenter).full_name)
        if printed:
            clerk.fill(f"{prefix}-presenter_name", printed)
        if page.locator(f"{prefix}-agenda_text").input_value() != agenda:
            clerk.fill(f"{prefix}-agenda_text", agenda)
        if minutes:
            clerk.fill(f"{prefix}-minutes", minutes)
        typed = "\n\n".join(
            f"({n}) {text}" if len(resolutions) > 1 else text for n, text in enumerate(resolutions, 1)
        )
        if page.locator(f"{prefix}-resolutions").input_value() != typed:
            clerk.fill(f"{prefix}-resolutions", typed)

    # Attendance: a tick a member, the name as printed where it differs.
    choice = {"present": 1, "apologies": 3}
    # The clerk ticks the member each printed name is (the site keeps two of
    # them unlinked, being spelt otherwise than the person's own name) and
    # types the name as printed where it differs.
    member_of = {"Councillor Hardy": "hardy", "Stephen Martlew": "martlew"}
    for printed, key, role, chair in MARCH_2020_ATTENDANCE:
        key = key or member_of[printed]
        if key == "maher":
            clerk.fill("#id_others-0-name", person(key).full_name)
            continue
        pk = person(key).pk
        clerk.click(page.locator(f"#id_member-{pk}-attendance_{2 if chair else choice[role]}"))
        if printed != person(key).full_name:
            clerk.fill(f"#id_member-{pk}-name", printed)
    clerk.fill("#id_next_meeting_date", "2020-06-11")
    clerk.click(page.get_by_role("button", name="Save").first)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Saved the meeting of 12 March 2020"
    )
    assert_accessible(page)
    print(
        f"\nThe meeting of 12 March 2020 (15 minutes, {sum(len(row[6]) for row in MARCH_2020)} resolutions, "
        f"{len(MARCH_2020_ATTENDANCE)} attendees) in the minutes editor: {clerk.loads} page loads, "
        f"{clerk.fields} fields filled, {clerk.clicks} clicks"
    )
    assert clerk.loads <= 3

    # Publishing is the lifecycle's business: the clerk does it on the admin list.
    from meetings.models import Meeting

    entered = Meeting.objects.get(partnership=sefton_clerk, date="2020-03-12")
    page.goto("/admin/meetings/meeting/")
    page.locator(f"input[name=_selected_action][value='{entered.pk}']").check()
    page.locator("select[name=action]").select_option("publish_minutes")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Publish the minutes (subject to confirmation): done for 1 meeting(s)."
    )

    page.context.clear_cookies()  # a member of the public
    page.goto(f"/meetings/{SEFTON}/2020-03-12/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Agenda and draft minutes, Thursday 12 March 2020"
    )
    main = page.locator("main")
    for number, title, *_ in MARCH_2020:
        expect(page.get_by_role("heading", name=f"{number}. {title}", exact=True)).to_be_visible()
    expect(main).to_contain_text("(1) That future funding for this scheme be considered")
    expect(main).to_contain_text("(5) A presentation on homeless services be given to a future meeting")
    expect(main).to_contain_text("That the Minutes of the meeting held on 5 December 2019 be confirmed")
    expect(main).to_contain_text(NO_DECLARATIONS)
    expect(main).to_contain_text("Councillor Hardy (in the Chair)")
    attendance = main.inner_text()
    assert re.search(r"Also present\s+Councillor Maher", attendance)
    assert re.search(
        r"Apologies\s+Tony Harland\s+Superintendent Graham Robson\s+Stephen Martlew\s+Nicky Horn", attendance
    )
    assert "Mike O'Malley" in attendance
    # The cross-reference found as the item was saved links the minute cited.
    expect(
        page.get_by_role("link", name="Minute No. 32 of the meeting held on 5 December 2019")
    ).to_be_visible()


def test_the_editor_works_without_javascript_at_320px(sefton_clerk, no_js_phone_page):
    page = no_js_phone_page
    page.goto("/admin/login/?next=/admin/meetings/meeting/editor/")
    page.get_by_label("Username").fill("sefton-clerk")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a meeting")
    page.locator("#id_date").fill("2020-03-12")
    page.get_by_role("button", name="Add items").click()
    expect(page.locator("#id_items-0-minute_number")).to_have_value("40")
    page.locator("#id_items-0-title").fill("Apologies for Absence")
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Saved the meeting of 12 March 2020"
    )
    assert_no_horizontal_scroll(page)
