"""The API's actions, attendance summaries and work-programme items: what
each gives, only what is public, filters checked as the rest, every response
valid against the OpenAPI description, and fixed query counts."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from meetings.action_log import ActionUpdate
from meetings.models import Meeting
from meetings.work_programme import WorkProgrammeItem
from tests.helpers import save_record
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.partnerships.factories import MembershipFactory, PartnershipFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
TODAY = timezone.localdate()


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def as_json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type."""
    if isinstance(node, list):
        return [as_json_schema(value) for value in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        elif "$ref" in node or "allOf" in node:
            node = {"anyOf": [dict(node), {"type": "null"}]}
    return node


@pytest.fixture
def validate(client):
    schema = as_json_schema(client.get("/api/schema/").json())
    registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(schema))

    def check(path, body, template):
        operation = schema["paths"][template]["get"]
        response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        rebased = _rebase(response_schema)
        Draft202012Validator(rebased, registry=registry).validate(body)

    return check


def _rebase(node):
    if isinstance(node, dict):
        return {
            key: (f"urn:api{value}" if key == "$ref" and value.startswith("#") else _rebase(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebase(value) for value in node]
    return node


def follow_through(partnership, size=1):
    """`size` actions agreed at one meeting, reported on at a later one; a
    year of attendance with a member; `size` planned subjects."""
    source = AgendaItemFactory(
        meeting=MeetingFactory(partnership=partnership, date=datetime.date(2019, 6, 10)), minute_number=5
    )
    resolution = ResolutionFactory(item=source, number=1)
    later = AgendaItemFactory(
        meeting=MeetingFactory(partnership=partnership, date=datetime.date(2019, 9, 10)), minute_number=12
    )
    actions = []
    for n in range(size):
        action = ActionFactory(
            resolution=resolution, description=f"Review CCTV coverage {n}", due_on=datetime.date(2019, 8, 1)
        )
        ActionUpdate.record(action, later, "open", "Delayed by procurement", save=save_record)
        actions.append(action)
    member = MembershipFactory(seat=SeatFactory(partnership=partnership)).person
    for meeting in (source.meeting, later.meeting):
        AttendanceFactory(meeting=meeting, person=member, role="present")
    upcoming = MeetingFactory(
        partnership=partnership,
        date=TODAY + datetime.timedelta(days=20),
        status="agenda_published",
        minutes_status="none",
    )
    items = [
        WorkProgrammeItem.objects.create(
            partnership=partnership,
            title=f"Prevent Duty update {n}",
            planned_meeting=upcoming,
            lead=PersonFactory(),
        )
        for n in range(size)
    ]
    return actions, later, member, upcoming, items


def test_actions_with_their_reports(client, validate):
    partnership = PartnershipFactory(slug="sefton")
    (action,), later, _member, _upcoming, _items = follow_through(partnership)
    data = get_json(client, "/api/actions/")
    validate("/api/actions/", data, "/api/actions/")
    # The check can fail: a report without its status is not what the description says.
    broken = {**data, "results": [{**data["results"][0], "reports": [{"note": "x"}]}]}
    with pytest.raises(ValidationError):
        validate("/api/actions/", broken, "/api/actions/")
    (item,) = data["results"]
    assert item["id"] == f"action-{action.pk}"
    assert item["status"] == "overdue" and item["due_date"] == "2019-08-01"
    assert item["agreed_at"]["identifier"] == "Minute No. 5 (Resolution 1)"
    assert item["reports"] == [
        {
            "status": "open",
            "note": "Delayed by procurement",
            "event_id": f"event-{later.meeting_id}",
            "meeting_date": "2019-09-10",
            "identifier": "Minute No. 12",
            "html_url": f"{SITE}{later.get_absolute_url()}",
        }
    ]
    assert item["html_url"] == f"{SITE}/partnerships/sefton/actions/#action-{action.pk}"
    one = get_json(client, f"/api/actions/action-{action.pk}/")
    validate(f"/api/actions/action-{action.pk}/", one, "/api/actions/{item_id}/")
    assert one == item
    assert get_json(client, "/api/actions/?status=overdue")["count"] == 1
    assert get_json(client, "/api/actions/?status=done")["count"] == 0
    assert get_json(client, f"/api/actions/?organization_id=partnership-{partnership.pk + 1}")["count"] == 0
    for query in ["status=late", "organization_id=sefton"]:
        assert get_json(client, f"/api/actions/?{query}", status=400)["error"]["status"] == 400


def test_actions_of_unpublished_minutes_are_not_in_the_api(client):
    (action,), _later, _member, _upcoming, _items = follow_through(PartnershipFactory())
    Meeting.objects.filter(pk=action.resolution.item.meeting_id).update(minutes_status="none")
    assert get_json(client, "/api/actions/")["count"] == 0
    get_json(client, f"/api/actions/action-{action.pk}/", status=404)


def test_attendance_summaries(client, validate):
    partnership = PartnershipFactory(slug="sefton")
    _actions, _later, member, _upcoming, _items = follow_through(partnership)
    data = get_json(client, "/api/attendance-summaries/")
    validate("/api/attendance-summaries/", data, "/api/attendance-summaries/")
    (summary,) = data["results"]
    assert summary["id"] == f"attendance-summary-{partnership.pk}-2019"
    assert summary["municipal_year"] == "2019/20"
    assert summary["members"] == [
        {
            "person_id": f"person-{member.pk}",
            "name": member.full_name,
            "seats": [member.memberships.get().seat.title],
            "expected": 2,
            "present": 2,
            "apologies": 0,
            "absent": 0,
        }
    ]
    assert summary["csv_url"] == f"{SITE}/partnerships/sefton/attendance/2019-20.csv"
    assert summary["rule"][0].startswith("Meetings counted")
    one = get_json(client, f"/api/attendance-summaries/{summary['id']}/")
    validate("x", one, "/api/attendance-summaries/{item_id}/")
    assert one == summary
    get_json(client, f"/api/attendance-summaries/attendance-summary-{partnership.pk}-2018/", status=404)
    get_json(client, "/api/attendance-summaries/attendance-summary-x/", status=404)
    assert (
        get_json(client, f"/api/attendance-summaries/?organization_id=partnership-{partnership.pk}")["count"]
        == 1
    )


def test_work_programme_items(client, validate):
    partnership = PartnershipFactory(slug="sefton")
    _actions, _later, _member, upcoming, (planned,) = follow_through(partnership)
    WorkProgrammeItem.objects.create(
        partnership=partnership, title="Last year's plan", planned_month=datetime.date(2019, 1, 1)
    )
    data = get_json(client, "/api/work-programme-items/")
    validate("/api/work-programme-items/", data, "/api/work-programme-items/")
    (item,) = data["results"]
    assert item["title"] == "Prevent Duty update 0"
    assert item["event_id"] == f"event-{upcoming.pk}" and item["meeting_date"] == upcoming.date.isoformat()
    assert item["lead"] == {"name": planned.lead.full_name, "person_id": f"person-{planned.lead_id}"}
    # A meeting still a draft is not named; the month is.
    Meeting.objects.filter(pk=upcoming.pk).update(status=Meeting.Status.DRAFT)
    item = get_json(client, f"/api/work-programme-items/work-programme-item-{planned.pk}/")
    assert item["event_id"] is None and item["planned_month"] == f"{upcoming.date:%Y-%m}"


@pytest.mark.parametrize("size", [1, 12])
def test_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    for _ in range(size):
        follow_through(PartnershipFactory(), size)
    # count 1, page 1, the page's reports 1
    with django_assert_max_num_queries(3):
        assert len(get_json(client, "/api/actions/")["results"]) == min(size * size, 50)
    # The years, read once for the count and the page alike: partnerships' year starts 1,
    # meetings 1; then partnerships 1, meetings 1, memberships 1, attendance 1
    with django_assert_max_num_queries(6):
        assert len(get_json(client, "/api/attendance-summaries/")["results"]) == size
    with django_assert_max_num_queries(2):
        assert len(get_json(client, "/api/work-programme-items/")["results"]) == min(size * size, 50)
    action_id = ActionUpdate.objects.first().action_id
    # the action 1, its reports 1
    with django_assert_max_num_queries(2):
        get_json(client, f"/api/actions/action-{action_id}/")
