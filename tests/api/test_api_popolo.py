"""Every item of the API validates against the Popolo JSON schemas (kept as
test data in tests/fixtures/popolo/, from the published spec), and names
nothing outside Popolo but Open Civic Data's fields, our `url`/`html_url`
and the `extras` that hold what neither standard models."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from api.resources import RESOURCES
from tests.helpers import FIXTURES
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DocumentFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.partnerships.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
SCHEMAS = FIXTURES / "popolo"
# Our own fields on every item: its address in the API and its page.
OURS = {"url", "html_url", "extras"}
# Open Civic Data's names for what Popolo's event and motion do not have
# (OCDEP 4 and pupa's vote event), served beside Popolo's.
OCD = {
    "event": {"all_day", "timezone", "links", "media", "agenda", "participants", "documents"},
    "motion": {"motion_text", "motion_classification", "start_date"},
}


def load_schemas():
    schemas = {path.stem: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (schema["id"].rstrip("#"), Resource.from_contents(schema, default_specification=DRAFT3))
        for schema in schemas.values()
    )
    return schemas, registry


SCHEMA_BY_NAME, REGISTRY = load_schemas()


def validator(name):
    return Draft3Validator(
        SCHEMA_BY_NAME[name], registry=REGISTRY, format_checker=Draft3Validator.FORMAT_CHECKER
    )


def make_everything(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    old = PartnershipFactory(
        name="Old partnership", status="ended", formed_on="2012-01-01", formed_precision="year"
    )
    partnership = PartnershipFactory(short_name="NP", predecessor=old)
    OrganisationFactory(website="https://example.org/")
    seat = SeatFactory(partnership=partnership, started_on="2020-06-01")
    person = PersonFactory(organisation=seat.organisation)
    MembershipFactory(seat=seat, person=person, started_on="2020-06-01", ended_on="2021-05-31")
    summer = MeetingFactory(
        partnership=partnership,
        date=datetime.date(2019, 6, 18),
        start_time=datetime.time(10, 30),
        venue="Bootle Town Hall",
        webcast_url="https://example.org/watch",
        minutes_status="confirmed",
        status="held",
    )
    winter = MeetingFactory(
        partnership=partnership, date=datetime.date(2019, 12, 5), start_time=datetime.time(15, 0)
    )
    summer.confirmed_by = AgendaItemFactory(meeting=winter, minute_number=40, title="Minutes")
    summer.save()
    MeetingFactory(
        partnership=partnership, date=datetime.date(2020, 3, 1), start_time=None, status="cancelled"
    )
    item = AgendaItemFactory(meeting=summer, minute_number=32, presenter=person, minutes="One.\n\nTwo.")
    ResolutionFactory(item=item, number=1)
    ResolutionFactory(item=item, number=2)
    AgendaItemFactory(
        meeting=summer, minute_number=33, is_exempt=True, exempt_paragraph=3, exempt_reason="commercial"
    )
    document = DocumentFactory(meeting=summer, item=item)
    document.file.save("plan.pdf", ContentFile(b"%PDF-1.4"))
    AttendanceFactory(meeting=summer, person=person, is_chair=True)
    AttendanceFactory(meeting=summer, person=None, name="Jo Bloggs", role="apologies")


def every_item(client, resource):
    items, url = [], resource.list_url().removeprefix(SITE)
    while url:
        data = client.get(url).json()
        items += data["results"]
        url = data["next"] and data["next"].removeprefix(SITE)
    return items


@pytest.mark.parametrize(
    "resource", [r for r in RESOURCES if r.popolo_schema], ids=lambda resource: resource.collection
)
def test_every_item_validates_against_its_popolo_schema(client, tmp_path, settings, resource):
    make_everything(tmp_path, settings)
    schema = SCHEMA_BY_NAME[resource.popolo_schema]
    check = validator(resource.popolo_schema)
    allowed = set(schema["properties"]) | OURS | OCD.get(resource.popolo_schema, set())
    items = every_item(client, resource)
    assert items
    for item in items:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in check.iter_errors(item)]
        assert not errors, (item["id"], errors)
        assert set(item) <= allowed, (item["id"], set(item) - allowed)
        # An item's own address gives the same item, which validates too.
        assert client.get(item["url"].removeprefix(SITE)).json() == item
        assert item["sources"] == [{"url": item["html_url"], "note": item["sources"][0]["note"]}]


def test_the_schemas_are_the_published_ones_and_catch_what_was_wrong_before():
    """The checks above can fail: the old event shape did not validate."""
    assert {"organization", "person", "post", "membership", "event", "motion"} <= set(SCHEMA_BY_NAME)
    old_event = {"id": "event-1", "start_date": "2027-06-18T10:30", "location": {"name": "Bootle"}}
    messages = [error.message for error in validator("event").iter_errors(old_event)]
    assert len(messages) == 2
    good = {"id": "event-1", "start_date": "2027-06-18T10:30:00+01:00", "location": "Bootle"}
    assert not list(validator("event").iter_errors(good))
    assert list(validator("link").iter_errors({"note": "no url"}))


def test_events_use_open_civic_data_for_what_popolo_lacks(client, tmp_path, settings):
    make_everything(tmp_path, settings)
    events = {event["start_date"][:10]: event for event in every_item(client, RESOURCES[4])}
    summer, winter, cancelled = events["2019-06-18"], events["2019-12-05"], events["2020-03-01"]
    assert (summer["start_date"], winter["start_date"]) == (
        "2019-06-18T10:30:00+01:00",
        "2019-12-05T15:00:00+00:00",
    )
    assert (summer["status"], cancelled["status"]) == ("passed", "cancelled")
    assert cancelled["all_day"] is True and cancelled["start_date"] == "2020-03-01"
    assert summer["location"] == "Bootle Town Hall"
    assert summer["links"] == [{"url": "https://example.org/watch", "note": "webcast or remote-joining link"}]
    assert {p["entity_type"] for p in summer["participants"]} == {"person"}
    assert [p["note"] for p in summer["participants"]] == ["Present", "Apologies"]
    item, exempt = summer["agenda"]
    assert item["notes"] == ["One.", "Two."]
    assert [e["entity_type"] for e in item["related_entities"]] == ["person", "vote_event", "vote_event"]
    assert item["related_entities"][0]["note"] == "presenter"
    assert [r["number"] for r in item["extras"]["resolutions"]] == [1, 2]
    assert exempt["extras"]["exempt_paragraph"] == 3 and exempt["related_entities"] == []
    (document,) = summer["documents"]
    assert document["media_type"] == "application/pdf"
    assert document["links"][0]["url"] == document["url"]
    assert summer["extras"]["minutes_confirmed_by"]["minute_number"] == 40
    assert summer["extras"]["minutes_confirmed_by"]["event_id"] == winter["id"]
