"""The search index's count of its resolutions (search.models.ResolutionCount),
from which the API says how many resolutions there are: always each
partnership's public resolutions, whichever path changed them, and after a
rebuild of the index; with clerks publishing at once, every one counted."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client

from meetings.models import Meeting, Resolution
from publishing import operations
from search.models import ResolutionCount
from tests.helpers import at_once
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, restore_clerk_role, staff_user


def counted():
    return {pk: n for pk, n in ResolutionCount.objects.values_list("partnership_id", "resolutions") if n}


def public():
    """Each partnership's public resolutions, counted through the rule itself."""
    return dict(
        Resolution.objects.public()
        .values_list("item__meeting__partnership_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def api_count():
    response = Client().get("/api/resolutions/")
    assert response.status_code == 200
    return response.json()["count"]


def test_the_count_is_each_partnerships_public_resolutions_through_every_change(transactional_db):
    """Set up as the factories write (the signals index each row), then
    changed through the operations a clerk's every path runs: minutes
    published, a meeting moved to another partnership, an item made exempt,
    a resolution and an item removed; then the index rebuilt."""
    wirral, sefton = PartnershipFactory(), PartnershipFactory()
    published = MeetingFactory(partnership=wirral)
    item = AgendaItemFactory(meeting=published)
    ResolutionFactory(item=item, number=1)
    removed = ResolutionFactory(item=item, number=2)
    exempt = AgendaItemFactory(
        meeting=published, is_exempt=True, exempt_paragraph=3, exempt_reason="Paragraph 3."
    )
    ResolutionFactory(item=exempt)
    held = MeetingFactory(partnership=wirral, minutes_status=Meeting.MinutesStatus.NONE)
    ResolutionFactory(item=AgendaItemFactory(meeting=held))
    ResolutionFactory(item=AgendaItemFactory(meeting=held))
    draft = MeetingFactory(
        partnership=sefton, status=Meeting.Status.DRAFT, minutes_status=Meeting.MinutesStatus.NONE
    )
    ResolutionFactory(item=AgendaItemFactory(meeting=draft))
    moving = MeetingFactory(partnership=sefton)
    moving_item = AgendaItemFactory(meeting=moving)
    ResolutionFactory(item=moving_item)
    assert counted() == public() == {wirral.pk: 2, sefton.pk: 1}

    operations.transition(held, "publish_minutes")
    assert counted() == public() == {wirral.pk: 4, sefton.pk: 1}

    moving.partnership = wirral
    with operations.write_meeting(moving, "edit") as write:
        write.save_meeting(full_clean=True)
    assert counted() == public() == {wirral.pk: 5}

    with operations.write_meeting(moving, "edit") as write:
        moving_item.is_exempt, moving_item.exempt_paragraph = True, 3
        moving_item.exempt_reason = "Paragraph 3."
        write.save(moving_item)
    assert counted() == public() == {wirral.pk: 4}

    operations.delete_record(removed)
    assert counted() == public() == {wirral.pk: 3}

    # An item removed takes its resolutions with it.
    operations.delete_record(held.items.first())
    assert counted() == public() == {wirral.pk: 2}

    ResolutionFactory(item=AgendaItemFactory(meeting=draft))
    operations.transition(draft, "publish_minutes")
    assert counted() == public() == {wirral.pk: 2, sefton.pk: 2}
    assert api_count() == 4

    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert counted() == public() == {wirral.pk: 2, sefton.pk: 2}
    assert api_count() == 4


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL: SQLite serialises writers on one file lock, so it cannot show the "
    "concurrency production has. Run with DATABASE_URL=postgres://... to include it.",
)
def test_clerks_publishing_minutes_at_once_are_each_counted(transactional_db):
    """Eight meetings of one partnership and eight of another, their minutes
    published through the admin by sixteen clerks at the same moment: each
    adds its resolutions to its partnership's count, none is lost."""
    restore_clerk_role()
    partnerships = [PartnershipFactory(), PartnershipFactory()]
    meetings = []
    for n in range(16):
        meeting = MeetingFactory(partnership=partnerships[n % 2], minutes_status=Meeting.MinutesStatus.NONE)
        for _ in range(3):
            ResolutionFactory(item=AgendaItemFactory(meeting=meeting))
        meetings.append(meeting)
    clerks = [
        client_for(staff_user(f"clerk-{n}", "Clerk", [meeting.partnership]))
        for n, meeting in enumerate(meetings)
    ]
    assert counted() == {}

    def publish(index):
        data = {"action": "publish_minutes", "_selected_action": [meetings[index].pk]}
        return clerks[index].post("/admin/meetings/meeting/", data).status_code

    assert at_once(16, publish) == [302] * 16
    assert Meeting.objects.filter(minutes_status=Meeting.MinutesStatus.PUBLISHED).count() == 16
    assert counted() == public() == {partnerships[0].pk: 24, partnerships[1].pk: 24}
    assert api_count() == 48
