"""Decisions followed through, attendance totalled, the work ahead: the
action log and its feed, the clerk's reports on earlier actions, the
attendance summary and its CSV, the work programme and its move to the
agenda, each as a clerk enters it and as the public then sees it."""

import csv
import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from meetings.action_log import ActionUpdate
from meetings.models import Action, AgendaItem, Meeting
from meetings.work_programme import NEXT_PLANNED, WorkProgrammeItem
from tests.helpers import save_record
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.partnerships.factories import MembershipFactory, PartnershipFactory, PersonFactory, SeatFactory
from tests.roles import client_for, form_data, staff_user

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=30)
FUTURE = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def sefton(db):
    return PartnershipFactory(name="Sefton Safer Communities Partnership", slug="sefton")


@pytest.fixture
def clerk(sefton):
    return staff_user("sefton-clerk", "Clerk", [sefton])


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def minutes_with_actions(partnership, count, day=datetime.date(2019, 6, 10)):
    """A meeting whose Minute No. 5 resolves `count` actions, and a later
    meeting whose Minute No. 12 reports on actions."""
    source = AgendaItemFactory(
        meeting=MeetingFactory(partnership=partnership, date=day),
        minute_number=5,
        title="Knife Crime Strategy",
    )
    resolution = ResolutionFactory(item=source, number=2, text="That partners report back on knife arches.")
    actions = [
        ActionFactory(
            resolution=resolution,
            description=f"Report on knife arches in schools {n}",
            owner_name="Superintendent Ian Hassall",
            owner=None,
            due_on=PAST,
            is_done=False,
        )
        for n in range(count)
    ]
    later = AgendaItemFactory(
        meeting=MeetingFactory(partnership=partnership, date=day + datetime.timedelta(days=90)),
        minute_number=12,
        title="Action Log",
    )
    return source, actions, later


def report(client, meeting, action, status, item, note=""):
    url = reverse("admin:meetings_actionupdate_report", args=[meeting.pk])
    data = form_data(client.get(url), "action-reports")
    data.update(
        {
            f"action-{action.pk}-status": status,
            f"action-{action.pk}-item": str(item.pk) if item else "",
            f"action-{action.pk}-note": note,
        }
    )
    return client.post(url, data)


@pytest.mark.django_db
def test_a_clerk_reports_an_action_done_and_the_public_follows_it_through(client, sefton, clerk):
    source, (action,), later = minutes_with_actions(sefton, 1)
    # The clerk opens it from the minutes editor of the meeting that reports on it.
    clerk_client = client_for(clerk)
    editor = clerk_client.get(reverse("admin:meetings_meeting_editor", args=[later.meeting.pk]))
    assert reverse("admin:meetings_actionupdate_report", args=[later.meeting.pk]) in editor.content.decode()
    response = report(
        clerk_client, later.meeting, action, "done", later, "Arches are in all secondary schools."
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.is_done is True
    assert ActionUpdate.objects.get().item == later

    log = client.get(reverse("meetings:actions", args=["sefton"]))
    page = text(log)
    assert "Report on knife arches in schools 0" in page and "Done" in page
    soup = BeautifulSoup(log.content, "html.parser")
    entry = soup.find(id=f"action-{action.pk}")
    links = [a["href"] for a in entry.find_all("a")]
    assert source.resolutions.get().get_absolute_url() in links  # the minute it came from
    assert later.get_absolute_url() in links  # the later minute reporting on it

    # The resolution links to the later minute that reports on it, and that
    # minute lists what it reported.
    minute = text(client.get(source.get_absolute_url()))
    assert "Reported on at Minute No. 12" in minute
    later_minute = text(client.get(later.get_absolute_url()))
    assert "Actions reported on" in later_minute and "Arches are in all secondary schools." in later_minute

    feed = client.get(reverse("follow:partnership_actions_feed", args=["sefton"]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    assert b"Done: Report on knife arches in schools 0" in feed.content
    assert later.get_absolute_url().encode() in feed.content


@pytest.mark.django_db
def test_reporting_without_the_minute_is_refused_beside_the_field_and_nothing_is_saved(sefton, clerk):
    _source, (action,), later = minutes_with_actions(sefton, 1)
    response = report(client_for(clerk), later.meeting, action, "done", None)
    assert response.status_code == 200
    assert "Choose the minute of this meeting that reports on the action." in text(response)
    assert f'href="#id_action-{action.pk}-item"' in response.content.decode()
    action.refresh_from_db()
    assert action.is_done is False and not ActionUpdate.objects.exists()


@pytest.mark.django_db
def test_a_report_withdrawn_puts_the_action_back_as_it_was(sefton, clerk):
    _source, (action,), later = minutes_with_actions(sefton, 1)
    clerk_client = client_for(clerk)
    report(clerk_client, later.meeting, action, "done", later)
    assert Action.objects.get().is_done is True
    report(clerk_client, later.meeting, action, "", None)
    assert Action.objects.get().is_done is False and not ActionUpdate.objects.exists()


@pytest.mark.django_db
def test_another_partnerships_clerk_cannot_report_on_its_actions(sefton):
    _source, (_action,), later = minutes_with_actions(sefton, 1)
    wirral_clerk = staff_user("wirral-clerk", "Clerk", [PartnershipFactory(slug="wirral")])
    response = client_for(wirral_clerk).get(
        reverse("admin:meetings_actionupdate_report", args=[later.meeting.pk])
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_report_must_be_at_a_later_meeting_of_the_same_partnership(sefton):
    from django.core.exceptions import ValidationError

    source, (action,), _later = minutes_with_actions(sefton, 1)
    with pytest.raises(ValidationError):
        ActionUpdate.record(action, source, "done", save=save_record)
    other = AgendaItemFactory(meeting=MeetingFactory(date=datetime.date(2020, 1, 1)))
    with pytest.raises(ValidationError):
        ActionUpdate.record(action, other, "done", save=save_record)


@pytest.mark.django_db
def test_the_log_shows_overdue_open_and_done_actions_by_due_date(client, sefton):
    _source, (overdue, due_later, done), later = minutes_with_actions(sefton, 3)
    Action.objects.filter(pk=due_later.pk).update(due_on=FUTURE)
    ActionUpdate.record(done, later, "done", save=save_record)
    url = reverse("meetings:actions", args=["sefton"])
    assert "Overdue (1)" in text(client.get(url))
    found = text(client.get(url, {"status": "overdue"}))
    assert "schools 0" in found and "schools 1" not in found and "schools 2" not in found
    found = text(client.get(url, {"status": "open"}))
    assert "schools 1" in found and "schools 0" not in found
    found = text(client.get(url, {"status": "done"}))
    assert "schools 2" in found and "schools 0" not in found
    bad = client.get(url, {"status": "finished"})
    assert bad.status_code == 400 and "Choose open, overdue, done or not recorded." in text(bad)


@pytest.mark.django_db
def test_actions_of_unpublished_minutes_and_reports_in_them_are_not_public(client, sefton):
    _source, (action,), later = minutes_with_actions(sefton, 1)
    ActionUpdate.record(action, later, "done", "Reported privately", save=save_record)
    Meeting.objects.filter(pk=later.meeting_id).update(minutes_status=Meeting.MinutesStatus.NONE)
    log = text(client.get(reverse("meetings:actions", args=["sefton"])))
    assert "schools 0" in log and "No later minute yet" in log
    feed = client.get(reverse("follow:partnership_actions_feed", args=["sefton"]))
    assert b"Reported privately" not in feed.content
    Meeting.objects.filter(pk=action.resolution.item.meeting_id).update(status=Meeting.Status.DRAFT)
    assert "schools 0" not in text(client.get(reverse("meetings:actions", args=["sefton"])))


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 25])
def test_the_action_log_and_its_feed_run_a_fixed_number_of_queries(
    client, sefton, size, django_assert_max_num_queries
):
    _source, actions, later = minutes_with_actions(sefton, size)
    for action in actions:
        ActionUpdate.record(action, later, "open", "In hand", save=save_record)
    # partnership 1, actions 1, their reports 1, the counts 1, glossary terms 1
    with django_assert_max_num_queries(5):
        assert client.get(reverse("meetings:actions", args=["sefton"])).status_code == 200
    # partnership 1, reports 1
    with django_assert_max_num_queries(2):
        assert client.get(reverse("follow:partnership_actions_feed", args=["sefton"])).status_code == 200


# --- Attendance ---------------------------------------------------------


@pytest.fixture
def year_of_meetings(sefton):
    """Three meetings of 2019/20 with attendance; Cllr Hardy holds a seat all
    year, Karen Rooney leaves hers after the second meeting, Tony Harland
    (no seat) attends as a guest."""
    meetings = [
        MeetingFactory(partnership=sefton, date=datetime.date(2019, 6, 13)),
        MeetingFactory(partnership=sefton, date=datetime.date(2019, 9, 12)),
        MeetingFactory(partnership=sefton, date=datetime.date(2020, 3, 12)),
    ]
    hardy = MembershipFactory(
        seat=SeatFactory(partnership=sefton, title="Cabinet Member, Communities"), person__name="T. Hardy"
    ).person
    rooney = MembershipFactory(
        seat=SeatFactory(partnership=sefton, title="Sefton CVS"),
        person__name="Karen Rooney",
        ended_on=datetime.date(2019, 10, 1),
    ).person
    guest = PersonFactory(name="Tony Harland")
    roles = {
        hardy: ["present", "apologies", "present"],
        rooney: ["present", "absent", "present"],
        guest: ["present", "present", "present"],
    }
    for person, attended in roles.items():
        for meeting, role in zip(meetings, attended, strict=True):
            AttendanceFactory(meeting=meeting, person=person, role=role)
    # A cancelled meeting is not counted, nor one of the next year.
    MeetingFactory(partnership=sefton, date=datetime.date(2019, 11, 1), status=Meeting.Status.CANCELLED)
    AttendanceFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2020, 6, 11)), person=hardy
    )
    return meetings, hardy, rooney, guest


@pytest.mark.django_db
def test_the_years_listed_are_those_with_attendance_at_a_counted_meeting_by_each_partnerships_year():
    """all_years(): each partnership's municipal years (from its own first
    month) with a public, held meeting that recorded attendance, newest
    first; a meeting with no attendance, a draft, a cancelled meeting and one
    still to come add no year."""
    from meetings.attendance_summary import all_years

    today = datetime.date(2026, 12, 6)
    may = PartnershipFactory(municipal_year_start_month=5)
    april = PartnershipFactory(municipal_year_start_month=4)

    def held(partnership, day, attended=True, **fields):
        meeting = MeetingFactory(partnership=partnership, date=day, **fields)
        if attended:
            AttendanceFactory(meeting=meeting)

    held(may, datetime.date(2020, 4, 30))  # 2019/20 by May's year
    held(may, datetime.date(2020, 5, 1))  # 2020/21
    held(may, datetime.date(2020, 5, 2))
    held(may, datetime.date(2021, 6, 1), attended=False)
    held(may, datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT, minutes_status="none")
    held(may, datetime.date(2023, 6, 1), status=Meeting.Status.CANCELLED)
    held(may, datetime.date(2027, 6, 1), status=Meeting.Status.AGENDA_PUBLISHED, minutes_status="none")
    held(april, datetime.date(2020, 4, 30))  # 2020/21 by April's year
    assert all_years(today) == [
        (may.pk, datetime.date(2020, 5, 1)),
        (may.pk, datetime.date(2019, 5, 1)),
        (april.pk, datetime.date(2020, 4, 1)),
    ]


@pytest.mark.django_db
def test_the_attendance_summary_counts_each_member_by_the_rule_it_prints(client, sefton, year_of_meetings):
    _meetings, _hardy, _rooney, _guest = year_of_meetings
    years = client.get(reverse("meetings:attendance_years", args=["sefton"]))
    assert [a.get_text() for a in BeautifulSoup(years.content, "html.parser").select("main ul.govuk-list a")][
        :2
    ] == ["2020/21", "2019/20"]
    response = client.get(reverse("meetings:attendance", args=["sefton", "2019-20"]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in soup.find(id="attendance-summary").find("tbody").find_all("tr")
    ]
    assert rows == [
        ["Councillor Karen Rooney", "Sefton CVS", "2", "1", "0", "1"],
        ["Councillor T. Hardy", "Cabinet Member, Communities", "3", "2", "1", "0"],
    ]
    page = text(response)
    assert "3 meetings counted" in page
    assert (
        "A member is expected at a meeting when they held one of the partnership’s seats on its date." in page
    )
    assert "Tony Harland" not in page  # no seat: not a member

    download = client.get(reverse("meetings:attendance_csv", args=["sefton", "2019-20"]))
    assert download["Content-Disposition"] == 'attachment; filename="attendance-sefton-2019-20.csv"'
    table = list(csv.reader(io.StringIO(download.content.decode())))
    assert table[0] == ["Member", "Seats", "Municipal year", "Expected", "Present", "Apologies", "Absent"]
    assert [row[3:] for row in table[1:]] == [["2", "1", "0", "1"], ["3", "2", "1", "0"]]
    assert all(row[2] == "2019/20" for row in table[1:])


@pytest.mark.django_db
def test_a_partnership_without_seats_says_it_cannot_tell_who_was_expected(client, sefton):
    AttendanceFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 6, 13)),
        name="Cllr Hardy",
        person=None,
    )
    page = text(client.get(reverse("meetings:attendance", args=["sefton", "2019-20"])))
    assert "This site records no members of the Sefton Safer Communities Partnership’s seats" in page
    assert "1 meeting counted" in page


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["2019-21", "1899-00", "2019-2"])
def test_an_address_naming_no_municipal_year_is_a_404(client, sefton, year):
    assert client.get(f"/partnerships/sefton/attendance/{year}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 20])
def test_the_attendance_pages_run_a_fixed_number_of_queries(
    client, sefton, size, django_assert_max_num_queries
):
    for n in range(size):
        meeting = MeetingFactory(
            partnership=sefton, date=datetime.date(2019, 6, 1) + datetime.timedelta(days=n * 7)
        )
        for membership in [MembershipFactory(seat=SeatFactory(partnership=sefton)) for _ in range(2)]:
            AttendanceFactory(meeting=meeting, person=membership.person)
    # partnership 1, meetings 1, memberships 1, attendance 1, glossary terms 1
    with django_assert_max_num_queries(5):
        assert client.get(reverse("meetings:attendance", args=["sefton", "2019-20"])).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("meetings:attendance_csv", args=["sefton", "2019-20"])).status_code == 200
    # partnership 1, years 1, glossary terms 1
    with django_assert_max_num_queries(3):
        assert client.get(reverse("meetings:attendance_years", args=["sefton"])).status_code == 200


# --- The work programme ------------------------------------------------


def add_item(clerk_client, partnership, **fields):
    data = form_data(clerk_client.get(reverse("admin:meetings_workprogrammeitem_add")))
    data.update({"partnership": str(partnership.pk), "order": "0", **fields})
    return clerk_client.post(reverse("admin:meetings_workprogrammeitem_add"), data)


@pytest.mark.django_db
def test_a_clerk_plans_a_subject_and_residents_see_when_it_will_be_discussed(client, sefton, clerk):
    meeting = MeetingFactory(
        partnership=sefton, date=FUTURE, status=Meeting.Status.AGENDA_PUBLISHED, minutes_status="none"
    )
    clerk_client = client_for(clerk)
    response = add_item(
        clerk_client,
        sefton,
        title="Domestic Abuse Strategy refresh",
        planned_meeting=str(meeting.pk),
        lead_name="Head of Communities",
    )
    assert response.status_code == 302, text(response)[:2000]
    add_item(
        clerk_client,
        sefton,
        title="Serious Violence Duty: annual review",
        planned_month=(FUTURE + datetime.timedelta(days=62)).strftime("%d/%m/%Y"),
    )
    day = f"{FUTURE:%-d %B %Y}"
    for url in [
        reverse("meetings:work_programme", args=["sefton"]),
        sefton.get_absolute_url(),
    ]:
        page = text(client.get(url))
        assert f"Domestic Abuse Strategy refresh To be discussed at the meeting of {day}" in page
        assert "Lead: Head of Communities" in page
        assert f"Planned for {(FUTURE + datetime.timedelta(days=62)):%B %Y}" in page
    meeting_page = text(client.get(meeting.get_absolute_url()))
    assert "Planned for this meeting" in meeting_page and "Domestic Abuse Strategy refresh" in meeting_page


@pytest.mark.django_db
def test_moving_the_plan_to_the_agenda_is_one_action(client, sefton, clerk):
    meeting = MeetingFactory(
        partnership=sefton, date=FUTURE, status=Meeting.Status.DRAFT, minutes_status="none"
    )
    AgendaItemFactory(meeting=meeting, title="Apologies for Absence", order=1)
    planned = WorkProgrammeItem.objects.create(
        partnership=sefton,
        title="Hate Crime Awareness Week",
        planned_meeting=meeting,
        lead_name="Hate Crime Coordinator",
    )
    by_month = WorkProgrammeItem.objects.create(
        partnership=sefton, title="Youth Justice Plan", planned_month=FUTURE
    )
    response = client_for(clerk).post(
        reverse("admin:meetings_workprogrammeitem_changelist"),
        {"action": "move_to_agenda", "_selected_action": [planned.pk, by_month.pk]},
        follow=True,
    )
    page = text(response)
    assert "Moved 1 item to the agenda." in page
    assert "“Youth Justice Plan” is planned for a month, not a meeting" in page
    item = AgendaItem.objects.get(title="Hate Crime Awareness Week")
    assert item.meeting == meeting and item.order == 2 and item.presenter_name == "Hate Crime Coordinator"
    planned.refresh_from_db()
    assert planned.agenda_item == item
    # On the agenda now, no longer in the plan.
    assert "Hate Crime Awareness Week" not in text(
        client.get(reverse("meetings:work_programme", args=["sefton"]))
    )


@pytest.mark.django_db
def test_another_partnerships_clerk_does_not_see_its_work_programme(sefton):
    WorkProgrammeItem.objects.create(
        partnership=sefton, title="Hate Crime Awareness Week", planned_month=FUTURE
    )
    wirral_clerk = staff_user("wirral-clerk", "Clerk", [PartnershipFactory(slug="wirral")])
    page = client_for(wirral_clerk).get(reverse("admin:meetings_workprogrammeitem_changelist"))
    assert page.status_code == 200 and "Hate Crime Awareness Week" not in text(page)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 20])
def test_the_work_programme_runs_a_fixed_number_of_queries(
    client, sefton, size, django_assert_max_num_queries
):
    for n in range(size):
        meeting = MeetingFactory(
            partnership=sefton, date=FUTURE + datetime.timedelta(days=n), minutes_status="none"
        )
        WorkProgrammeItem.objects.create(
            partnership=sefton, title=f"Subject {n}", planned_meeting=meeting, lead=PersonFactory()
        )
    # partnership 1, items (with meetings and leads) 1, glossary terms 1
    with django_assert_max_num_queries(3):
        assert client.get(reverse("meetings:work_programme", args=["sefton"])).status_code == 200


@pytest.mark.django_db
def test_a_meetings_calendar_event_names_the_subjects_planned_for_it(client, sefton):
    from icalendar import Calendar

    meeting = MeetingFactory(
        partnership=sefton, date=FUTURE, status=Meeting.Status.AGENDA_PUBLISHED, minutes_status="none"
    )
    WorkProgrammeItem.objects.create(
        partnership=sefton, title="Hate Crime Awareness Week", planned_meeting=meeting
    )
    WorkProgrammeItem.objects.create(partnership=sefton, title="Youth Justice Plan", planned_meeting=meeting)
    response = client.get(reverse("follow:partnership_calendar", args=["sefton"]))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert "Planned subjects (work programme): Hate Crime Awareness Week; Youth Justice Plan" in str(
        event["DESCRIPTION"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 20])
def test_the_partnership_and_coming_meeting_pages_show_the_plan_in_fixed_queries(
    client, sefton, size, django_assert_max_num_queries
):
    from tests.meetings.test_meetings_pages import MEETING_QUERIES
    from tests.partnerships.test_partnership_pages import DETAIL_QUERIES

    meeting = MeetingFactory(
        partnership=sefton, date=FUTURE, status=Meeting.Status.AGENDA_PUBLISHED, minutes_status="none"
    )
    for n in range(size):
        WorkProgrammeItem.objects.create(
            partnership=sefton, title=f"Subject {n}", planned_meeting=meeting, lead=PersonFactory()
        )
    with django_assert_max_num_queries(DETAIL_QUERIES):
        page = client.get(sefton.get_absolute_url()).content.decode()
    # The partnership's page lists the first few, its work programme all of them.
    assert re.findall(r"Subject (\d+)\b", page) == [str(n) for n in range(min(size, NEXT_PLANNED))]
    programme = client.get(reverse("meetings:work_programme", args=[sefton.slug])).content.decode()
    assert sorted(map(int, re.findall(r"Subject (\d+)\b", programme))) == list(range(size))
    # ... and what is planned for it 1
    with django_assert_max_num_queries(MEETING_QUERIES + 1):
        assert f"Subject {size - 1}".encode() in client.get(meeting.get_absolute_url()).content


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_the_clerks_page_of_reports_opens_in_fixed_queries(
    sefton, clerk, size, django_assert_max_num_queries
):
    _source, actions, later = minutes_with_actions(sefton, size)
    for n in range(size):
        AgendaItemFactory(meeting=later.meeting, minute_number=20 + n)
    ActionUpdate.record(actions[0], later, "open", save=save_record)
    clerk_client = client_for(clerk)
    url = reverse("admin:meetings_actionupdate_report", args=[later.meeting.pk])
    clerk_client.get(url)  # the session and the clerk's groups, read once
    # The same at both sizes: the admin's session, user and permissions, the
    # meeting, its items, the reports at it, the actions.
    with django_assert_max_num_queries(13):
        response = clerk_client.get(url)
    assert (
        response.status_code == 200
        and len(BeautifulSoup(response.content, "html.parser").select("fieldset")) == size
    )
