"""Every operation on a meeting runs a fixed number of queries, whatever the
number of its items: each is measured, effects included, on a public meeting
with 1 and with 40 items, and pinned."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Document, Meeting, Resolution
from publishing import operations
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
DAY = timezone.localdate() - datetime.timedelta(days=21)


def public_meeting(partnership, items, day, commits):
    """A meeting with `items` items, its minutes published with the effects
    that follow (its search entries written), as a clerk leaves it."""
    meeting = MeetingFactory(partnership=partnership, date=day, status="draft", minutes_status="none")
    for number in range(1, items + 1):
        item = AgendaItemFactory(meeting=meeting, minute_number=number, order=number, title=f"Item {number}")
        ResolutionFactory(item=item, number=1, text=f"That report {number} be noted.")
    with commits(execute=True):
        operations.transition(meeting, "publish_minutes")
    return Meeting.objects.select_related("partnership").get(pk=meeting.pk)


def change_details(write):
    write.meeting.venue = "Southport Town Hall"
    write.save_meeting()


def change_wording(write):
    item = write.meeting.items.order_by("order").first()
    item.minutes = "Members noted the report."
    write.save(item)


def change_title(write):
    item = write.meeting.items.order_by("order").first()
    item.title = "Another title"
    write.save(item)


def add_item(write):
    write.save(AgendaItem(meeting=write.meeting, minute_number=900, order=900, title="Any other business"))


def move_item(write):
    item = write.meeting.items.order_by("order").first()
    item.order = 999  # to the end of the agenda
    write.save(item)


def remove_item(write):
    write.delete(write.meeting.items.order_by("-order").first())


def add_resolution(write):
    item = write.meeting.items.order_by("order").first()
    write.save(Resolution(item=item, number=2, text="That a further report be brought."))


def add_attendance(write):
    write.save(Attendance(meeting=write.meeting, name="Councillor Hardy", role="apologies"))


def add_document(write):
    write.save(Document(meeting=write.meeting, title="Performance report", file_type="PDF"))


OPERATIONS = {
    "details": change_details,
    "wording": change_wording,
    "title": change_title,
    "item added": add_item,
    "item moved": move_item,
    "item removed": remove_item,
    "resolution added": add_resolution,
    "attendance": add_attendance,
    "document": add_document,
}
# The most each may take, effects included (counted with the database cache,
# each of whose writes is five queries). A change within the meeting writes
# four versions (its pages', its bodies', the partnership's overview's and
# the lists'), where one of the partnership writes two; for an item or a
# resolution, three queries find the other meetings that show it.
BUDGETS = {
    "details": 33,
    "wording": 32,
    "title": 45,
    "item added": 33,
    "item moved": 45,
    # Its resolutions (with the count of them, search.ResolutionCount),
    # actions, reports on actions and reading copies go too.
    "item removed": 38,
    # With the count of resolutions.
    "resolution added": 42,
    "attendance": 30,
    # The document's search entry, and its text's extraction queued, and
    # the agenda pack built again (its pack already there: the minutes were
    # published with their effects).
    "document": 75,
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_each_operation_runs_the_same_queries_with_1_or_40_items(name, django_capture_on_commit_callbacks):
    partnership = PartnershipFactory()
    counts = []
    for size, day in [(1, DAY), (40, DAY - datetime.timedelta(days=1))]:
        meeting = public_meeting(partnership, size, day, django_capture_on_commit_callbacks)
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
            operations.write_meeting(meeting, "edit") as write,
        ):
            OPERATIONS[name](write)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGETS[name], counts
