"""A Sefton clerk enters the whole meeting of 12 March 2020 (minutes 40 to
54, as seed 004 prints them) in the minutes editor, in Chromium, counting
page loads, fields filled and clicks; the public then sees it."""

import re

import pytest
from playwright.sync_api import expect

from tests.roles import restore_clerk_role

from .conftest import assert_accessible, assert_no_horizontal_scroll
from .staff import sign_in

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

    def pick_person(self, selector, full_name):
        """A person field, as the accessible autocomplete draws it: type part
        of the name, then choose the person from the suggestions."""
        # The input the page's script puts in the select's place (and id).
        field = self.page.locator(f"input{selector}")
        field.fill(full_name.split()[-1])
        self.fields += 1
        self.click(self.page.get_by_role("option", name=re.compile(rf"^{re.escape(full_name)}\b")).first)
        expect(field).to_have_value(re.compile(rf"^{re.escape(full_name)}\b"))


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

    sign_in(page, "sefton-clerk")

    clerk = Clerk(page)
    page.goto("/admin/meetings/meeting/editor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a meeting")
    assert_accessible(page)

    # The meeting's details, then the standing items (in the places of three
    # of the four blank items a new meeting has), then eleven more items
    # added on the page, without a round trip.
    clerk.fill("#id_date", "2020-03-12")
    clerk.fill("#id_start_time", "10:00")
    clerk.fill("#id_venue", "Town Hall, Bootle")
    clerk.click(page.get_by_role("button", name="Add the standing items of 5 December 2019"))
    expect(page.locator("#id_items-3-minute_number")).to_have_value("43")
    expect(page.locator("#id_items-0-title")).to_have_value("Apologies for Absence")
    expect(page.locator("#id_venue")).to_have_value("Town Hall, Bootle")
    for _ in range(11):
        clerk.click(page.get_by_role("button", name="Add another item"))
    expect(page.locator("#id_items-14-title")).to_be_focused()

    for index, (number, title, presenter, printed, agenda, minutes, resolutions, _) in enumerate(MARCH_2020):
        prefix = f"#id_items-{index}"
        if index < 4:
            expect(page.locator(f"{prefix}-minute_number")).to_have_value(str(number))
        # The standing items came with their titles, as the last meeting's
        # minutes printed them: typed again only where these print otherwise.
        if index >= 3 or page.locator(f"{prefix}-title").input_value() != title:
            clerk.fill(f"{prefix}-title", title)
        if presenter:
            clerk.pick_person(f"{prefix}-presenter", person(presenter).full_name)
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
    sign_in(page, "sefton-clerk", "/admin/meetings/meeting/editor/")
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


@pytest.fixture
def sefton_clerk_as_the_site_is(transactional_db, initial_content):
    """A Sefton clerk, the partnership as the initial content has it: no
    seats recorded, so everyone is entered by name."""
    from meetings.models import Meeting
    from partnerships.models import Partnership
    from tests.roles import staff_user

    restore_clerk_role()
    sefton = Partnership.objects.get(slug=SEFTON)
    Meeting.objects.filter(partnership=sefton, date="2020-03-12").delete()
    staff_user("sefton-clerk", "Clerk", [sefton])
    return sefton


# Five apologies as a clerk pastes them: Councillor Shaw and Sue Holden are
# people on the site by those very names; Councillor Hardy and Stephen
# Martlew fit one person each (Councillor T. Hardy, Steve Martlew); Rosie
# Goodwin is not on the site.
APOLOGIES = "Councillors Hardy and Shaw, Rosie Goodwin, Sue Holden and Stephen Martlew"


def test_a_clerk_enters_a_four_item_meeting_from_the_admin_in_two_page_loads(
    sefton_clerk_as_the_site_is, page
):
    """Minutes 40 to 43 of 12 March 2020 (four items, four resolutions),
    five apologies pasted as the minutes print them, one more person linked
    with the autocomplete in a row added on the page."""
    from meetings.initial_content import MARCH_2020, person
    from meetings.models import Meeting

    sign_in(page, "sefton-clerk")

    clerk = Clerk(page)
    clerk.click(
        page.get_by_role(
            "link", name="Enter a meeting of the Sefton Safer Communities Partnership in the minutes editor"
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a meeting")
    assert_accessible(page)

    clerk.fill("#id_date", "2020-03-12")
    clerk.fill("#id_venue", "Town Hall, Bootle")
    for index, (_, title, _, printed, _, minutes, resolutions, _) in enumerate(MARCH_2020[:4]):
        prefix = f"#id_items-{index}"
        clerk.fill(f"{prefix}-title", title)
        if printed:
            clerk.fill(f"{prefix}-presenter_name", printed)
            clerk.pick_person(f"{prefix}-presenter", person("millward").full_name)
        if minutes:
            clerk.fill(f"{prefix}-minutes", minutes)
        if resolutions:
            clerk.fill(f"{prefix}-resolutions", "\n\n".join(resolutions))
    clerk.fill("#id_apologies_list", APOLOGIES)
    # One more, not in the lists: a row added on the page, its person found
    # by typing part of the name.
    clerk.click(page.get_by_role("button", name="Add another person"))
    new_row = page.locator("#others-rows fieldset").last
    clerk.pick_person(f"#{new_row.locator('input[id$=-person]').get_attribute('id')}", "Councillor Maher")
    new_row.locator("select[id$=-role]").select_option("also_present")
    clerk.fields += 1
    assert_accessible(page)
    clerk.click(page.locator(".app-save-bar").get_by_role("button", name="Save"))

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Saved the meeting of 12 March 2020"
    )
    expect(page.locator("main")).to_contain_text("linked 4 to people on the site")
    assert_accessible(page)
    print(
        f"\nA four-item meeting (4 minutes, 4 resolutions, 5 apologies pasted, 1 more person linked) from the "
        f"admin index: {clerk.loads} page loads, {clerk.fields} fields filled, {clerk.clicks} clicks"
    )
    assert clerk.loads <= 3

    meeting = Meeting.objects.get(partnership=sefton_clerk_as_the_site_is, date="2020-03-12")
    assert [(item.minute_number, item.title) for item in meeting.items.all()] == [
        (number, title) for number, title, *_ in MARCH_2020[:4]
    ]
    assert meeting.items.get(minute_number=43).presenter == person("millward")
    assert sum(item.resolutions.count() for item in meeting.items.all()) == 4
    rows = [(a.display_name, a.person_id, a.role) for a in meeting.attendances.order_by("order")]
    # In the order of the rows on the screen: the pasted names filled the
    # two blank rows, then followed the row the clerk added.
    assert rows == [
        ("Councillor Hardy", person("hardy").pk, "apologies"),
        ("Councillor Shaw", person("shaw").pk, "apologies"),
        ("Councillor Maher", person("maher").pk, "also_present"),
        ("Rosie Goodwin", None, "apologies"),
        ("Sue Holden", person("holden").pk, "apologies"),
        ("Stephen Martlew", person("martlew").pk, "apologies"),
    ]


def test_the_editor_is_accessible_at_320px_with_errors_and_the_autocomplete(
    sefton_clerk_as_the_site_is, phone_page
):
    page = phone_page
    sign_in(page, "sefton-clerk", "/admin/meetings/meeting/editor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a meeting")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    # A date that is not one, an item without a title, a new person without
    # a name: each message beside its field, everything typed kept.
    page.locator("#id_date").fill("2020-06-11")
    page.locator("#id_items-0-minutes").fill("Minutes typed before the title.")
    page.locator("#id_apologies_list").fill(APOLOGIES)
    page.locator(".app-save-bar").get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the item its title")
    expect(page.locator("#id_items-0-minutes")).to_have_value("Minutes typed before the title.")
    expect(page.locator("#others-rows")).to_contain_text("Person 5")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    # The save bar never hides the field that has the focus.
    page.locator("#id_items-0-title").focus()
    box = page.locator("#id_items-0-title").bounding_box()
    bar = page.locator(".app-save-bar").bounding_box()
    assert box["y"] + box["height"] <= bar["y"]
