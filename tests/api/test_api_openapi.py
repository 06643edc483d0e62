"""The API on Django REST framework: its OpenAPI 3 description, the filters
on meetings and resolutions, the resolutions endpoint, JSON 405s, and fixed
query counts for the new lists."""

import datetime

import pytest
from django.conf import settings
from drf_spectacular.validation import validate_schema

from api.resources import RESOURCES
from meetings.models import Meeting
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
# count, page
RESOLUTIONS_QUERIES = 2
# count, page, items, resolutions, attendance, documents
EVENTS_QUERIES = 6


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_openapi_description_is_valid_and_has_every_operation(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    operations = {(path, method) for path, methods in schema["paths"].items() for method in methods}
    for resource in RESOURCES:
        assert (f"/api/{resource.collection}/", "get") in operations
        assert (f"/api/{resource.collection}/{{item_id}}/", "get") in operations
    assert len(operations) == 2 * len(RESOURCES)
    events = schema["paths"]["/api/events/"]["get"]
    params = {p["name"]: p for p in events["parameters"]}
    assert set(params) == {"page", "status", "organization_id", "start_date_from", "start_date_to"}
    assert sorted(params["status"]["schema"]["enum"]) == ["cancelled", "confirmed", "passed", "tentative"]
    assert set(events["responses"]) == {"200", "400", "404", "405", "414"}
    # An address longer than gunicorn reads is refused by it, with its page.
    assert set(events["responses"]["414"]["content"]) == {"text/html"}
    assert client.get("/api/schema/?format=yaml").content.startswith(b"openapi: 3.")


def test_the_documentation_page_lists_the_operations_without_any_third_party_script(client):
    html = client.get("/api/").content.decode()
    for resource in RESOURCES:
        assert f"GET /api/<wbr>{resource.collection}/<wbr>{{item_id}}/<wbr>" in html
    assert f'href="{SITE}/api/schema/"' in html
    assert "start_date_from" in html and "Extension fields" in html
    assert '<script src="http' not in html and "swagger" not in html.lower()


def test_events_filter_by_partnership_date_range_and_ocd_status(client):
    mine, other = PartnershipFactory(), PartnershipFactory()
    early = MeetingFactory(partnership=mine, date=datetime.date(2019, 1, 10))
    late = MeetingFactory(partnership=mine, date=datetime.date(2019, 12, 10), status=Meeting.Status.POSTPONED)
    middle = MeetingFactory(partnership=other, date=datetime.date(2019, 6, 10))

    def ids(query):
        return [item["id"] for item in get_json(client, f"/api/events/?{query}")["results"]]

    assert ids(f"organization_id=partnership-{mine.pk}") == [f"event-{late.pk}", f"event-{early.pk}"]
    assert ids("start_date_from=2019-06-01&start_date_to=2019-12-31") == [
        f"event-{late.pk}",
        f"event-{middle.pk}",
    ]
    assert ids(f"organization_id=partnership-{mine.pk}&start_date_to=2019-06-01") == [f"event-{early.pk}"]
    assert ids("status=tentative") == [f"event-{late.pk}"]
    data = get_json(client, f"/api/events/?organization_id=partnership-{mine.pk}&status=passed")
    assert data["count"] == 1
    for query in [
        "organization_id=organisation-1",
        "organization_id=partnership-x",
        "start_date_from=2019-13-01",
        "start_date_to=yesterday",
        "status=held",
        "status=scheduled",
    ]:
        assert get_json(client, f"/api/events/?{query}", status=400)["error"]["status"] == 400


def test_resolutions_are_public_ones_only_and_filter_by_meeting_and_text(client):
    meeting = MeetingFactory(minutes_status="published", start_time=datetime.time(15, 0))
    item = AgendaItemFactory(meeting=meeting, minute_number=43)
    first = ResolutionFactory(item=item, number=1, text="That the report be noted.")
    second = ResolutionFactory(item=item, number=2, text="That the plan be approved.")
    ResolutionFactory(
        item=AgendaItemFactory(meeting=MeetingFactory(minutes_status="draft")), text="Draft one."
    )
    exempt = AgendaItemFactory(meeting=meeting, is_exempt=True, exempt_paragraph=1, exempt_reason="personal")
    ResolutionFactory(item=exempt, text="Secret one.")
    other = ResolutionFactory(item=AgendaItemFactory(meeting=MeetingFactory()), text="Another noted one.")
    body = client.get("/api/resolutions/").content.decode()
    assert "Draft one" not in body and "Secret one" not in body
    data = get_json(client, f"/api/resolutions/?event_id=event-{meeting.pk}")
    assert [r["id"] for r in data["results"]] == [f"resolution-{first.pk}", f"resolution-{second.pk}"]
    one = data["results"][1]
    assert one["identifier"] == "Minute No. 43 (Resolution 2)"
    assert (one["result"], one["classification"]) == ("pass", "resolution")
    assert one["legislative_session_id"] == f"event-{meeting.pk}"
    assert one["extras"]["resolution_number"] == 2 and one["extras"]["minute_number"] == 43
    assert one["html_url"] == f"{SITE}{second.get_absolute_url()}"
    noted = get_json(client, "/api/resolutions/?q=NOTED")["results"]
    assert {r["id"] for r in noted} == {f"resolution-{first.pk}", f"resolution-{other.pk}"}
    assert get_json(client, "/api/resolutions/?q=%20", status=400)["error"]["status"] == 400
    assert get_json(client, "/api/resolutions/?event_id=7", status=400)["error"]["status"] == 400
    assert get_json(client, f"/api/resolutions/resolution-{first.pk}/") == data["results"][0]
    draft_id = ResolutionFactory(item=AgendaItemFactory(meeting=MeetingFactory(minutes_status="draft"))).pk
    get_json(client, f"/api/resolutions/resolution-{draft_id}/", status=404)


@pytest.mark.parametrize("size", [1, 8])
def test_filtered_lists_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    partnership = PartnershipFactory()
    for _ in range(size):
        meeting = MeetingFactory(partnership=partnership)
        ResolutionFactory(item=AgendaItemFactory(meeting=meeting), text="Noted.")
    with django_assert_max_num_queries(RESOLUTIONS_QUERIES):
        assert get_json(client, "/api/resolutions/?q=noted")["count"] == size
    # Unfiltered, the count is the search index's count of its resolutions.
    with django_assert_max_num_queries(RESOLUTIONS_QUERIES):
        assert get_json(client, "/api/resolutions/")["count"] == size
    with django_assert_max_num_queries(EVENTS_QUERIES):
        query = f"organization_id=partnership-{partnership.pk}&start_date_from=2000-01-01&status=passed"
        assert get_json(client, f"/api/events/?{query}")["count"] == size


def test_a_control_character_in_the_text_filter_is_a_400_not_an_error(client):
    """Found by schemathesis: PostgreSQL refuses a NUL in a query."""
    response = client.get("/api/resolutions/", {"q": "noted\x00"})
    assert response.status_code == 400
    assert "control characters" in response.json()["error"]["message"]


def query_parameters(client):
    """(path, parameter) for every query parameter of every list but `page`."""
    schema = client.get("/api/schema/").json()
    for path, methods in schema["paths"].items():
        for parameter in methods["get"].get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] != "page":
                yield path, parameter


def test_every_filter_states_what_it_accepts_and_the_api_follows_it(client):
    """The description's pattern, enum or format is the filter's rule: the
    values the issue found refused although the description allowed them
    are now refused by the description too, and values it allows are
    answered."""
    import jsonschema_rs  # the validator schemathesis uses: "$" is the end of the text

    found = list(query_parameters(client))
    assert found
    for _path, parameter in found:
        schema = parameter["schema"]
        assert {"enum", "pattern", "format"} & set(schema), parameter
    schemas = {(path, p["name"]): p["schema"] for path, p in found}
    for path, name, value, status in [
        ("/api/events/", "organization_id", "organisation-2", 400),
        ("/api/events/", "organization_id", "partnership-1\n", 400),
        ("/api/events/", "organization_id", "partnership-2", 200),
        ("/api/events/", "start_date_from", "20190601", 400),
        ("/api/events/", "start_date_from", "2019-06-01", 200),
        ("/api/events/", "start_date_from", "0000-01-01", 400),
        ("/api/resolutions/", "q", "", 400),
        ("/api/resolutions/", "q", "   ", 400),
        ("/api/resolutions/", "q", "a\tb", 400),
        ("/api/resolutions/", "q", " noted ", 200),
        ("/api/resolutions/", "q", "\x85\u3000", 400),
        ("/api/resolutions/", "q", "\x7f", 200),
    ]:
        allowed = jsonschema_rs.validator_for(schemas[path, name], validate_formats=True).is_valid(value)
        assert allowed == (status == 200), (name, value)
        response = client.get(path, {name: value})
        assert response.status_code == status, (name, value, response.content)


def test_every_value_a_pattern_allows_is_answered(client):
    """Values generated from each parameter's pattern (as schemathesis does):
    every one answered 200 (an empty page) or 404, never refused."""
    import jsonschema_rs
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    patterned = [
        (path, p["name"], p["schema"]) for path, p in query_parameters(client) if "pattern" in p["schema"]
    ]
    assert len(patterned) >= 3

    def check(path, name, values):
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        @given(values)
        def answered(value):
            status = client.get(path, {name: value}).status_code
            assert status in (200, 404), (name, value, status)

        answered()

    for path, name, schema in patterned:
        # What the pattern generates, kept if the whole schema (its length
        # and format too) allows it.
        allowed = jsonschema_rs.validator_for(schema, validate_formats=True).is_valid
        values = st.from_regex(schema["pattern"].removesuffix("$") + r"\Z", fullmatch=True).filter(allowed)
        check(path, name, values)
