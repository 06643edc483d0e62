"""The new public pages are cached whole, and dropped as soon as what they
show changes through the admin: a report on an action, a planned subject,
a paper's reading copy."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Document
from meetings.work_programme import WorkProgrammeItem
from tests import documents
from tests.meetings.factories import ActionFactory, AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, form_data, restore_clerk_role, staff_user

FUTURE = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def caching(settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 300
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sefton(transactional_db):
    restore_clerk_role()
    return PartnershipFactory(slug="sefton")


@pytest.fixture
def clerk_client(sefton):
    return client_for(staff_user("sefton-clerk", "Clerk", [sefton]))


@pytest.mark.django_db(transaction=True)
def test_the_action_log_and_feed_change_when_the_clerk_reports_an_action(
    client, caching, sefton, clerk_client
):
    source = AgendaItemFactory(meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 6, 10)))
    action = ActionFactory(
        resolution=ResolutionFactory(item=source), description="Map knife crime hotspots", is_done=False
    )
    later = AgendaItemFactory(meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 9, 10)))
    log_url = reverse("meetings:actions", args=["sefton"])
    feed_url = reverse("follow:partnership_actions_feed", args=["sefton"])
    assert client.get(log_url)["X-Page-Cache"] == "miss"
    assert client.get(feed_url)["X-Page-Cache"] == "miss"
    cached = client.get(log_url)
    assert cached["X-Page-Cache"] == "hit" and b"No later minute yet" in cached.content

    url = reverse("admin:meetings_actionupdate_report", args=[later.meeting_id])
    data = form_data(clerk_client.get(url), "action-reports")
    data.update({f"action-{action.pk}-status": "done", f"action-{action.pk}-item": str(later.pk)})
    assert clerk_client.post(url, data).status_code == 302

    fresh = client.get(log_url)
    assert fresh["X-Page-Cache"] == "miss" and b"No later minute yet" not in fresh.content
    feed = client.get(feed_url)
    assert feed["X-Page-Cache"] == "miss" and b"Done: Map knife crime hotspots" in feed.content


@pytest.mark.django_db(transaction=True)
def test_the_work_programme_changes_when_the_clerk_edits_it(client, caching, sefton, clerk_client):
    planned = WorkProgrammeItem.objects.create(
        partnership=sefton, title="Hate Crime Awareness Week", planned_month=FUTURE
    )
    pages = [reverse("meetings:work_programme", args=["sefton"]), sefton.get_absolute_url()]
    for url in pages:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    change = reverse("admin:meetings_workprogrammeitem_change", args=[planned.pk])
    data = form_data(clerk_client.get(change))
    data["title"] = "Hate Crime Awareness Week 2027"
    assert clerk_client.post(change, data).status_code == 302
    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss" and b"Hate Crime Awareness Week 2027" in response.content


@pytest.mark.django_db(transaction=True)
def test_a_meeting_page_offers_read_online_once_the_reading_copy_is_built(
    client, caching, sefton, clerk_client
):
    meeting = MeetingFactory(partnership=sefton, date=datetime.date(2020, 3, 12))
    item = AgendaItemFactory(meeting=meeting, minute_number=41)
    assert b"Read online" not in client.get(meeting.get_absolute_url()).content
    assert client.get(meeting.get_absolute_url())["X-Page-Cache"] == "hit"
    # The clerk adds the paper on the meeting's admin page; the job runs
    # in-process (no broker) once the save commits.
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(clerk_client.get(change))
    data.update(
        {
            "documents-0-title": "Serious Violence Strategy",
            "documents-0-item": str(item.pk),
            "documents-0-order": "0",
            "documents-0-file": SimpleUploadedFile(
                "strategy.docx", documents.docx_bytes("Serious violence fell by a tenth.")
            ),
        }
    )
    response = clerk_client.post(change, data)
    assert response.status_code == 302, response.content[:3000]
    document = Document.objects.get(
        title="Serious Violence Strategy"
    )  # beside the agenda pack built meanwhile
    page = client.get(meeting.get_absolute_url())
    assert page["X-Page-Cache"] == "miss" and b"Read online" in page.content
    paper = client.get(f"{meeting.get_absolute_url()}papers/{document.pk}/")
    assert b"Serious violence fell by a tenth." in paper.content
