"""The audit trail, the lock on confirmed minutes and the public notice of
amended minutes."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, MinutesAmendment
from partnerships.models import Membership, Partnership
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import MembershipFactory, PartnershipFactory, SeatFactory
from tests.roles import client_for, form_data, staff_user


@pytest.fixture
def sefton(db):
    return PartnershipFactory(name="Sefton Safer Communities Partnership", short_name="SSCP")


@pytest.fixture
def clerk(sefton):
    return staff_user("sefton-clerk", "Clerk", [sefton])


@pytest.fixture
def site_admin(db):
    return staff_user("site-admin", "Site administrator")


def confirmed_meeting(partnership):
    meeting = MeetingFactory(
        partnership=partnership,
        date=datetime.date(2019, 12, 5),
        minutes_status=Meeting.MinutesStatus.CONFIRMED,
    )
    item = AgendaItemFactory(meeting=meeting, minute_number=28, title="PREVENT", minutes="As it was.")
    ResolutionFactory(item=item, number=1, text="That the report be noted.")
    return meeting


def change_item_minutes(client, item, text, **extra):
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    data = form_data(client.get(url))
    data.update(minutes=text, **extra)
    return client.post(url, data)


@pytest.mark.django_db
def test_a_change_in_the_admin_is_recorded_with_who_when_and_what(clerk, sefton):
    meeting = MeetingFactory(partnership=sefton, minutes_status=Meeting.MinutesStatus.NONE)
    item = AgendaItemFactory(meeting=meeting, minutes="Draft words.")
    client = client_for(clerk)
    response = change_item_minutes(client, item, "Corrected words.")
    assert response.status_code == 302
    latest, previous = item.change_history.all()[:2]
    assert latest.history_type == "~" and latest.history_user == clerk
    assert timezone.localdate(latest.history_date) == timezone.localdate()
    assert [change.field for change in latest.diff_against(previous).changes] == ["minutes"]
    assert (previous.minutes, latest.minutes) == ("Draft words.", "Corrected words.")
    # Staff read it on the record's history page.
    page = client.get(f"/admin/meetings/agendaitem/{item.pk}/history/").content.decode()
    assert "Corrected words." in page and "sefton-clerk" in page


@pytest.mark.django_db
def test_creates_and_deletes_are_recorded_for_every_audited_model(clerk, sefton):
    client = client_for(clerk)
    seat = SeatFactory(partnership=sefton)
    membership = MembershipFactory(seat=seat)
    url = f"/admin/partnerships/membership/{membership.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    kinds = list(
        Membership.change_history.filter(id=membership.pk).values_list("history_type", "history_user")
    )
    assert kinds == [("-", clerk.pk), ("+", None)]
    # Every model the issue names keeps a history.
    for model in [
        "partnerships.Partnership",
        "partnerships.Membership",
        "meetings.Meeting",
        "meetings.AgendaItem",
        "meetings.Resolution",
        "meetings.Attendance",
        "meetings.Document",
    ]:
        app_label, name = model.split(".")
        from django.apps import apps

        assert hasattr(apps.get_model(app_label, name), "change_history"), model
    assert Partnership.change_history.filter(id=sefton.pk, history_type="+").exists()


@pytest.mark.django_db
def test_a_clerk_cannot_change_confirmed_minutes(clerk, sefton):
    meeting = confirmed_meeting(sefton)
    item = meeting.items.get()
    client = client_for(clerk)
    # The pages show the record, read only.
    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert page.status_code == 200 and not page.context["has_change_permission"]
    for url in [
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        f"/admin/meetings/agendaitem/{item.pk}/change/",
        f"/admin/meetings/resolution/{item.resolutions.get().pk}/change/",
    ]:
        assert client.post(url, {"minutes": "Rewritten.", "text": "Rewritten."}).status_code == 403
    for url in [
        f"/admin/meetings/meeting/{meeting.pk}/delete/",
        f"/admin/meetings/agendaitem/{item.pk}/delete/",
    ]:
        assert client.post(url, {"post": "yes"}).status_code == 403
    # Nor through a list's actions.
    client.post(
        "/admin/meetings/agendaitem/",
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )
    client.post(
        "/admin/meetings/meeting/", {"action": "prefill_attendance", "_selected_action": [meeting.pk]}
    )
    # Nor by adding an item to it.
    client.post("/admin/meetings/agendaitem/add/", {"meeting": meeting.pk, "title": "Added", "order": 0})
    item.refresh_from_db()
    assert item.minutes == "As it was."
    assert list(AgendaItem.objects.filter(meeting=meeting)) == [item]
    assert not meeting.attendances.exists()
    assert not MinutesAmendment.objects.exists()


@pytest.mark.django_db
def test_a_site_administrator_amends_confirmed_minutes_giving_a_reason(site_admin, sefton, client):
    meeting = confirmed_meeting(sefton)
    item = meeting.items.get()
    admin = client_for(site_admin)
    # Without a reason, nothing is saved.
    response = change_item_minutes(admin, item, "Amended words.")
    assert response.status_code == 200
    assert "amendment_reason" in response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.minutes == "As it was."
    # With one, the change is made and the reason kept, with who and when.
    response = change_item_minutes(
        admin,
        item,
        "Amended words.",
        amendment_reason="Spelling of a name corrected, as agreed by the chair.",
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Amended words."
    amendment = MinutesAmendment.objects.get()
    assert (amendment.meeting, amendment.user) == (meeting, site_admin)
    assert amendment.reason == "Spelling of a name corrected, as agreed by the chair."
    # The record's history names the operation and keeps its reason.
    assert item.change_history.first().history_change_reason == f"Edited: {amendment.reason}"
    # The public pages say the minutes were amended, and when.
    notice = f"These minutes were amended on {timezone.localdate():%-d %B %Y}. {amendment.reason}"
    for url in [meeting.get_absolute_url(), item.get_absolute_url()]:
        page = BeautifulSoup(client.get(url).content, "html.parser")
        assert page.find(id="minutes-amended").get_text() == notice


@pytest.mark.django_db
def test_a_site_administrator_amends_a_confirmed_meeting_screen_with_a_reason(site_admin, sefton):
    meeting = confirmed_meeting(sefton)
    admin = client_for(site_admin)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(admin.get(url))
    data["items-0-minutes"] = "Amended on the meeting's screen."
    assert admin.post(url, data).status_code == 200  # the reason is asked for
    data["amendment_reason"] = "Minute 28 misquoted the report."
    assert admin.post(url, data).status_code == 302
    assert meeting.items.get().minutes == "Amended on the meeting's screen."
    assert MinutesAmendment.objects.get().reason == "Minute 28 misquoted the report."
    # The item changed as an inline keeps the reason in its own history too.
    assert (
        meeting.items.get().change_history.first().history_change_reason
        == "Edited: Minute 28 misquoted the report."
    )


@pytest.mark.django_db
def test_a_reason_longer_than_a_line_is_kept_whole(site_admin, sefton, client):
    """A reason as an administrator writes one, several sentences long: kept
    whole in the amendment and in every history row (PostgreSQL refused more
    than 100 characters there, and the save failed)."""
    meeting = confirmed_meeting(sefton)
    item = meeting.items.get()
    reason = (
        "Minute 28 misquoted the report of the Chief Inspector: the figure for "
        "anti-social behaviour incidents was 1,204, not 1,024. Corrected as agreed "
        "by the Chair at the meeting of 9 July 2020, which confirmed the minutes."
    )
    assert len(reason) > 200
    response = change_item_minutes(client_for(site_admin), item, "Amended words.", amendment_reason=reason)
    assert response.status_code == 302
    assert MinutesAmendment.objects.get().reason == reason
    assert item.change_history.first().history_change_reason == f"Edited: {reason}"
    page = BeautifulSoup(client.get(item.get_absolute_url()).content, "html.parser")
    assert reason in page.find(id="minutes-amended").get_text()


@pytest.mark.django_db
def test_amending_published_minutes_shows_the_notice_but_drafts_do_not(clerk, sefton, client):
    published = MeetingFactory(partnership=sefton, minutes_status=Meeting.MinutesStatus.PUBLISHED)
    draft = MeetingFactory(partnership=sefton, minutes_status=Meeting.MinutesStatus.NONE)
    staff = client_for(clerk)
    for meeting in (published, draft):
        item = AgendaItemFactory(meeting=meeting)
        assert change_item_minutes(staff, item, "Changed.").status_code == 302
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.amended_at is not None and draft.amended_at is None
    assert "These minutes were amended on" in client.get(published.get_absolute_url()).content.decode()
    # Publishing draft minutes is not an amendment.
    staff.post("/admin/meetings/meeting/", {"action": "publish_minutes", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.minutes_status == "published" and draft.amended_at is None
    assert "These minutes were amended on" not in client.get(draft.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["meeting", "minute"])
def test_script_in_minutes_never_reaches_a_visitor_unescaped(client, page):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    meeting = MeetingFactory(notes=f"Notes {script}", venue=f"Hall {script}")
    item = AgendaItemFactory(
        meeting=meeting, minute_number=7, title=f"Title {script}", minutes=f"Minutes {script}\n\nMore."
    )
    item.agenda_text = f"Agenda {script}"
    item.presenter_name = f"Presenter {script}"
    item.save()
    ResolutionFactory(item=item, number=1, text=f"Resolved {script}")
    url = meeting.get_absolute_url() if page == "meeting" else item.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Resolved &lt;script&gt;" in html and "Minutes &lt;script&gt;" in html
    assert '<script>alert("x")' not in html and "<img src=x" not in html
