"""As a resident, in Chromium at 1280 and 320 pixels wide, each page
axe-core clean and none needing JavaScript: find an overdue action and the
minute it came from; follow a resolution to the later minute that reports
on it; read a member's attendance for a municipal year and download the
CSV; see when a planned subject will be discussed; read a Word paper
online."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.helpers import save_record

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

SOON = timezone.localdate() + datetime.timedelta(days=21)


@pytest.fixture
def sefton(transactional_db, settings, tmp_path):
    """A partnership with an action agreed at one meeting and reported on
    at the next, a year of attendance, a planned subject and a Word paper,
    each as the tests need them (the seeds have none of these)."""
    from meetings.action_log import ActionUpdate
    from meetings.models import Document
    from meetings.work_programme import WorkProgrammeItem
    from search.tasks import extract_document_text
    from tests.browser.test_follow_through_pages import word_report
    from tests.meetings.factories import (
        ActionFactory,
        AgendaItemFactory,
        AttendanceFactory,
        MeetingFactory,
        ResolutionFactory,
    )
    from tests.partnerships.factories import MembershipFactory, PartnershipFactory, SeatFactory

    settings.MEDIA_ROOT = tmp_path
    partnership = PartnershipFactory(
        name="Sefton Safer Communities Partnership", slug="sefton", contact_email="clerk@sefton.example"
    )
    june = MeetingFactory(partnership=partnership, date=datetime.date(2019, 6, 10))
    source = AgendaItemFactory(meeting=june, minute_number=5, title="Knife Crime Strategy", presenter=None)
    resolution = ResolutionFactory(item=source, number=1, text="That partners report back on knife arches.")
    overdue = ActionFactory(
        resolution=resolution,
        owner=None,
        owner_name="Superintendent Ian Hassall",
        description="Report on knife arches in secondary schools",
        due_on=datetime.date(2019, 8, 1),
        is_done=False,
    )
    reported = ActionFactory(
        resolution=resolution,
        owner=None,
        owner_name="Janette Maxwell",
        description="Share the hotspot map with partners",
        due_on=datetime.date(2019, 8, 1),
        is_done=False,
    )
    september = MeetingFactory(partnership=partnership, date=datetime.date(2019, 9, 12))
    later = AgendaItemFactory(meeting=september, minute_number=12, title="Action Log", presenter=None)
    ActionUpdate.record(reported, later, "done", "The map was shared on 2 September.", save=save_record)
    member = MembershipFactory(
        seat=SeatFactory(partnership=partnership, title="Cabinet Member, Communities"),
        person__name="Trish Hardy",
        person__slug="trish-hardy",
    ).person
    AttendanceFactory(meeting=june, person=member, role="present")
    AttendanceFactory(meeting=september, person=member, role="apologies")
    upcoming = MeetingFactory(
        partnership=partnership, date=SOON, status="agenda_published", minutes_status="none"
    )
    WorkProgrammeItem.objects.create(
        partnership=partnership,
        title="Domestic Abuse Strategy refresh",
        planned_meeting=upcoming,
        lead_name="Head of Communities",
    )
    paper = Document.objects.create(meeting=september, item=later, title="Anti-Social Behaviour Review")
    paper.file.save("asb-review.docx", io.BytesIO(word_report()))
    extract_document_text(paper.pk)  # the background job, as it runs after the clerk's save
    return {"partnership": partnership, "overdue": overdue, "source": source, "later": later, "paper": paper}


def word_report():
    import docx

    paper = docx.Document()
    paper.add_heading("1. Purpose of the report", level=1)
    paper.add_paragraph("To update the Partnership on anti-social behaviour in Sefton.")
    paper.add_heading("2. Recommendations", level=1)
    paper.add_paragraph("That the Partnership notes the report.", style="List Number")
    paper.add_paragraph("That partners share hotspot data monthly.", style="List Number")
    table = paper.add_table(rows=2, cols=2)
    for number, values in enumerate([["Ward", "Incidents"], ["Linacre", "412"]]):
        for cell, value in zip(table.rows[number].cells, values, strict=True):
            cell.paragraphs[0].add_run(value).bold = number == 0
    out = io.BytesIO()
    paper.save(out)
    return out.getvalue()


@pytest.fixture(params=["page", "phone_page"])
def any_page(request, sefton):
    return request.getfixturevalue(request.param)


def check(page):
    if page.viewport_size["width"] <= 320:
        assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_finding_an_overdue_action_and_the_minute_it_came_from(any_page):
    page = any_page
    page.goto("/partnerships/sefton/")
    page.get_by_role("link", name="Action log: actions agreed, overdue and done").click()
    expect(page.get_by_role("heading", level=1, name="Action log")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Overdue (1)").click()
    action = page.locator("#action-list li").filter(has_text="Report on knife arches in secondary schools")
    expect(action.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(page.get_by_text("Share the hotspot map with partners")).to_have_count(0)
    check(page)
    action.get_by_role("link", name="Minute No. 5 (Resolution 1), 10 June 2019").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minute No. 5: Knife Crime Strategy")
    expect(page.locator("#minute-5-resolution-1")).to_be_visible()
    check(page)


def test_following_a_resolution_to_the_later_minute_that_reports_on_it(any_page):
    page = any_page
    page.goto("/meetings/sefton/2019-06-10/minute-5/")
    page.locator("#minute-5-resolution-1").get_by_role(
        "link", name="Minute No. 12, 12 September 2019"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minute No. 12: Action Log")
    expect(page.get_by_role("heading", name="Actions reported on")).to_be_visible()
    expect(page.get_by_text("The map was shared on 2 September.")).to_be_visible()
    check(page)


def test_reading_a_members_attendance_for_a_year_and_downloading_the_csv(any_page):
    page = any_page
    page.goto("/partnerships/sefton/")
    page.get_by_role("link", name="Attendance summary by municipal year").click()
    page.get_by_role("link", name="2019/20").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance in 2019/20")
    row = page.get_by_role("row").filter(has_text="Trish Hardy")
    expect(row.get_by_role("cell")).to_have_text(["Cabinet Member, Communities", "2", "1", "1", "0"])
    expect(page.get_by_role("heading", name="How attendance is counted")).to_be_visible()
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table as CSV").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == "Councillor Trish Hardy" and rows[1][3:] == ["2", "1", "1", "0"]


def test_seeing_when_a_planned_subject_will_be_discussed(any_page):
    page = any_page
    page.goto("/partnerships/sefton/")
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
    page.get_by_role("link", name="Work programme: subjects planned for coming meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work programme")
    day = f"{SOON:%-d %B %Y}"
    subject = page.locator(".app-card-list__item").filter(has_text="Domestic Abuse Strategy refresh")
    expect(subject).to_contain_text(f"To be discussed at the meeting of {day}")
    check(page)
    subject.get_by_role("link", name=f"meeting of {day}").click()
    expect(page.get_by_role("heading", name="Planned for this meeting")).to_be_visible()
    check(page)


def test_reading_a_word_paper_online(any_page, sefton):
    page = any_page
    page.goto("/meetings/sefton/2019-09-12/")
    # Chromium puts a space before the visually hidden part of the name.
    page.get_by_role("link", name=re.compile(r"^Read online ?: Anti-Social Behaviour Review$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anti-Social Behaviour Review")
    expect(page.get_by_role("heading", level=2, name="2. Recommendations")).to_be_visible()
    expect(page.locator("#paper ol li")).to_have_text(
        ["That the Partnership notes the report.", "That partners share hotspot data monthly."]
    )
    expect(page.locator("#paper table th")).to_have_text(["Ward", "Incidents"])
    link = page.get_by_role("link", name="request an accessible copy of Anti-Social Behaviour Review")
    assert link.get_attribute("href").startswith("mailto:clerk@sefton.example?subject=")
    check(page)


def test_the_action_log_works_without_javascript(no_js_phone_page, sefton):
    page = no_js_phone_page
    page.goto("/partnerships/sefton/actions/")
    page.get_by_role("link", name="Done (1)").click()
    expect(page.get_by_text("Share the hotspot map with partners")).to_be_visible()
    expect(page.get_by_text("Report on knife arches in secondary schools")).to_have_count(0)
    assert_no_horizontal_scroll(page)
