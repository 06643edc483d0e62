"""Events and resolutions in Open Civic Data's names, validated against the
schemas of OCD's own scraper framework, pupa (tests/fixtures/pupa/), as pupa
validates what a scraper brings it, beside the Popolo validation of
test_api_popolo.py.

Where the two standards disagree on one field, the field is Popolo's and the
pupa check leaves that one field out, saying so here and in docs/api.md: a
meeting's `location` (Popolo: the venue as text; OCD: an object). Everything
else validates against both."""

import datetime
import json
import re

import pytest
from django.conf import settings
from jsonschema import Draft3Validator, FormatChecker, validators

from api.resources import RESOURCES
from tests.api.test_api_popolo import every_item, make_everything
from tests.helpers import FIXTURES, ROOT

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
EVENTS = next(resource for resource in RESOURCES if resource.collection == "events")
RESOLUTIONS = next(resource for resource in RESOURCES if resource.collection == "resolutions")
# Fields both standards name, each differently: Popolo's shape is served.
POPOLO_WINS = {"event": {"location"}, "vote_event": set()}


def pupa_validator(name):
    """pupa's own validator (pupa.scrape.base.BaseModel.validate): draft 3,
    with its `date` and `datetime` types and a format checker."""
    schema = json.loads((FIXTURES / "pupa" / f"{name}.json").read_text())
    for field in POPOLO_WINS[name]:
        del schema["properties"][field]
    type_checker = Draft3Validator.TYPE_CHECKER.redefine(
        "datetime", lambda checker, value: isinstance(value, datetime.date)
    ).redefine(
        "date",
        lambda checker, value: isinstance(value, datetime.date) and not isinstance(value, datetime.datetime),
    )
    validator_class = validators.extend(Draft3Validator, type_checker=type_checker)
    return validator_class(schema, format_checker=FormatChecker())


def errors(validator, item):
    return [f"{'/'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(item)]


def test_events_validate_against_pupas_event_schema(client, tmp_path, settings, initial_content):
    make_everything(tmp_path, settings)
    check = pupa_validator("event")
    events = every_item(client, EVENTS)
    assert len(events) > 7
    for event in events:
        assert not errors(check, event), (event["id"], errors(check, event))
    # What OCD names and pupa checks is there, not merely allowed by omission.
    with_everything = [e for e in events if e["participants"] and e["documents"] and e["agenda"]]
    assert with_everything
    for event in with_everything:
        assert event["timezone"] == "Europe/London" and event["media"] == []
        for participant in event["participants"]:
            assert participant["entity_type"] == "person"
            assert participant["entity_name"] == participant["name"]
            assert participant["entity_id"] is None or participant["entity_id"].startswith("person-")
        for item in event["agenda"]:
            assert item["order"].isdigit() and item["media"] == []
            for entity in item["related_entities"]:
                assert entity["entity_type"] in {"person", "vote_event"}
                assert entity["entity_name"] == entity["name"]
        for document in event["documents"]:
            assert set(document) >= {"note", "url", "media_type", "date"}


def test_resolutions_validate_against_pupas_vote_event_schema(client, tmp_path, settings, initial_content):
    make_everything(tmp_path, settings)
    check = pupa_validator("vote_event")
    resolutions = every_item(client, RESOLUTIONS)
    assert len(resolutions) > 10
    for resolution in resolutions:
        assert not errors(check, resolution), (resolution["id"], errors(check, resolution))
        assert resolution["motion_text"] == resolution["text"]
        assert resolution["motion_classification"] == [resolution["classification"]]
        assert resolution["start_date"][:10] == resolution["extras"]["meeting_date"]
        assert resolution["result"] == "pass"


def test_pupas_schemas_catch_the_old_shapes():
    """The checks above can fail: what the API served before OCD's names
    (an integer `order`, a `resolution` entity, a null end_date) does not
    validate against pupa's schemas."""
    event = pupa_validator("event")
    old = {
        "name": "Meeting",
        "start_date": "2019-12-05T15:00:00+00:00",
        "end_date": None,
        "description": None,
        "status": "passed",
        "agenda": [{"description": "Minutes", "order": 1, "related_entities": [{"name": "", "note": None}]}],
        "participants": [{"type": "resolution", "name": "x", "note": "Present"}],
        "sources": [],
    }
    messages = errors(event, old)
    for expected in [
        "end_date",
        "description",
        "agenda/0/order",
        "agenda/0/related_entities/0/name",
        "participants/0/type",
        "sources",
    ]:
        assert any(message.startswith(expected) for message in messages), (expected, messages)
    vote = pupa_validator("vote_event")
    assert errors(
        vote, {"motion_text": "", "result": "adopted", "start_date": None, "sources": [{"url": "x"}]}
    )
    assert not errors(
        vote,
        {
            "motion_text": "Noted.",
            "result": "pass",
            "start_date": "2019-12-05",
            "sources": [{"url": f"{SITE}/"}],
        },
    )


def test_the_field_table_in_the_docs_names_every_field_of_events_and_resolutions(client):
    """docs/api.md's table of Popolo and OCD names matches the code: every
    field the OpenAPI description gives events, their parts and resolutions
    is in its last column (as `field`, `part[].field` or `extras.field`)."""
    text = (ROOT / "docs" / "api.md").read_text()
    table = text.split("### Popolo and Open Civic Data", 1)[1].split("###", 1)[0]
    served = set()
    for row in table.splitlines():
        if row.startswith("| ") and not row.startswith("| ---"):
            ours = row.rstrip(" |").rsplit(" | ", 1)[1]
            for token in re.findall(r"`([^`]+)`", ours):
                served.update(token.replace("[]", "").split("."))
    # Names a table cell gives after "those four/five": said once per row.
    served |= {"name", "entity_type", "entity_id", "entity_name", "note", "url", "media_type", "date"}
    schemas = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    ours_only = {"id", "url", "html_url", "sources", "extras", "organization_id", "classification"}
    for component in ["Event", "AgendaItem", "Participant", "RelatedEntity", "Document", "Resolution"]:
        missing = set(schemas[component]["properties"]) - served - ours_only
        assert not missing, (component, missing)
    for component in ["EventExtras", "AgendaItemExtras", "ResolutionExtras"]:
        missing = set(schemas[component]["properties"]) - served
        assert not missing, (component, missing)
