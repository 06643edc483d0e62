"""Every response of every API operation validates against the OpenAPI
description the site serves at /api/schema/, checked by openapi-core (a
validator no one here wrote): every page of every list, with every filter,
every item, and the 400, 404 and 405 each operation describes. The data is
the initial content plus one of everything the seeds lack (an exempt item,
a document, confirmed minutes, a consultation with published results)."""

import datetime
import json

import pytest
from django.conf import settings
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest, MockResponse

from api.resources import RESOURCES
from meetings.models import WorkProgrammeItem
from partnerships.models import Partnership
from tests.api.test_api_popolo import make_everything
from tests.consultation.factories import survey

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL


@pytest.fixture
def openapi(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    spec = response.json()
    assert spec["openapi"] == "3.1.0"
    return OpenAPI.from_dict(spec)


class Checker:
    """Fetches API addresses with the test client and validates each
    response against the description, counting what it checked."""

    def __init__(self, client, openapi):
        self.client = client
        self.openapi = openapi
        self.checked = {}

    def validate(self, method, path, query, response):
        # Only GET is an operation; the 405 any other method gets is
        # described among GET's responses, so it is checked against that.
        request = MockRequest(SITE, "get", path, args=query)
        content_type = response["Content-Type"].split(";")[0]
        self.openapi.validate_response(
            request,
            MockResponse(response.content, status_code=response.status_code, content_type=content_type),
        )

    def fetch(self, path, query=None, method="GET"):
        query = query or {}
        response = self.client.generic(
            method, path, QUERY_STRING="&".join(f"{k}={v}" for k, v in query.items())
        )
        try:
            self.validate(method, path, query, response)
        except OpenAPIError as error:
            details = getattr(error, "__cause__", None)
            pytest.fail(
                f"{method} {path} {query}: {response.status_code} does not match: {error!r} {details!r}"
            )
        self.checked[response.status_code] = self.checked.get(response.status_code, 0) + 1
        return response

    def every_page(self, path, query=None):
        items, page = [], 1
        while True:
            response = self.fetch(path, {**(query or {}), **({"page": page} if page > 1 else {})})
            assert response.status_code == 200
            data = response.json()
            items += data["results"]
            if data["next"] is None:
                return items
            page += 1


def filter_values(api_filter):
    return api_filter.choices or [api_filter.example]


@pytest.fixture
def everything(initial_content, tmp_path, settings):
    make_everything(tmp_path, settings)
    now = timezone.now()
    # The initial content plans nothing (the source says nothing of it).
    WorkProgrammeItem.objects.create(
        partnership=Partnership.objects.first(),
        title="Serious Violence Duty: annual review",
        planned_month=timezone.localdate().replace(day=1) + datetime.timedelta(days=62),
    )
    survey(
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
        results_published=True,
    )


def test_every_response_of_every_operation_matches_the_description(client, openapi, everything):
    checker = Checker(client, openapi)
    results_seen = False
    for resource in RESOURCES:
        path = f"/api/{resource.collection}/"
        items = checker.every_page(path)
        assert items, resource.collection
        for name, api_filter in resource.filters.items():
            for value in filter_values(api_filter):
                checker.every_page(path, {name: value})
        for item in items:
            detail = checker.fetch(f"{path}{item['id']}/").json()
            results_seen = results_seen or bool(detail.get("results"))
        # The errors each operation describes.
        assert checker.fetch(path, {"nonsense": "1"}).status_code == 400
        assert checker.fetch(path, {"page": "0"}).status_code == 400
        assert checker.fetch(path, {"page": "999"}).status_code == 404
        assert checker.fetch(f"{path}{resource.type}-999999/").status_code == 404
        assert checker.fetch(path, method="POST").status_code == 405
        assert checker.fetch(f"{path}{items[0]['id']}/", method="DELETE").status_code == 405
    # Every status described was met, and hundreds of responses were checked.
    assert set(checker.checked) == {200, 400, 404, 405}
    assert checker.checked[200] > 50
    # A consultation's own response with its published results was among them.
    assert results_seen


def test_the_check_fails_on_a_response_that_breaks_the_description(client, openapi, everything):
    """What the description forbids is caught: a null minute_number is
    allowed, but a null `order` or an integer one (OCD's is a string) is not."""
    checker = Checker(client, openapi)
    event = next(e for e in checker.every_page("/api/events/") if e["agenda"])
    path = f"/api/events/{event['id']}/"

    class Response(dict):
        def __init__(self, body):
            super().__init__({"Content-Type": "application/json"})
            self.content = json.dumps(body).encode()
            self.status_code = 200

    checker.validate("GET", path, {}, Response(event))
    for bad in (None, 1):
        broken = json.loads(json.dumps(event))
        broken["agenda"][0]["order"] = bad
        with pytest.raises(OpenAPIError):
            checker.validate("GET", path, {}, Response(broken))
    broken = json.loads(json.dumps(event))
    broken["extras"]["minutes_confirmed_by"] = {"event_id": None}
    with pytest.raises(OpenAPIError):
        checker.validate("GET", path, {}, Response(broken))


def test_the_description_is_served_as_plain_json_and_yaml_on_request(client):
    for accept, expected in [
        ("application/json", "application/json"),
        ("application/vnd.oai.openapi+json", "application/vnd.oai.openapi+json"),
        ("text/html", "application/vnd.oai.openapi+json"),
        ("*/*", "application/vnd.oai.openapi+json"),
    ]:
        response = client.get("/api/schema/", HTTP_ACCEPT=accept)
        assert (response.status_code, response["Content-Type"]) == (200, expected), accept
        assert response.json()["openapi"] == "3.1.0"
    response = client.get("/api/schema/?format=yaml", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.content.startswith(b"openapi: 3.1.0")


# --- the JSON itself ---


def drf_json(data):
    """What Django REST framework's own JSONRenderer writes, indented by two."""
    from rest_framework.renderers import JSONRenderer

    return JSONRenderer().render(data, renderer_context={"indent": 2})


def test_the_api_writes_its_json_byte_for_byte_as_django_rest_framework_would():
    """ReadableJSONRenderer writes with orjson what DRF's JSONRenderer writes
    with the standard library: the same bytes for every kind of value an
    answer holds, those orjson writes otherwise (dates and times) or not at
    all (lazy text, a key that is not a string) included."""
    import decimal
    import uuid

    from django.utils.translation import gettext_lazy

    from api.renderers import ReadableJSONRenderer
    from meetings.models import Meeting

    london = datetime.timezone(datetime.timedelta(hours=1))
    data = {
        "text": 'Sefton’s “Safer Communities” – Bootle\\Southport "quoted" <b>&</b>',
        "line breaks JavaScript refused": "a\u2028b\u2029c",
        "control characters": "tab\there\nnew line\r\x01\x1f\x7f",
        "empty": ["", [], {}],
        "flags": [True, False, None],
        "numbers": [0, -7, 2**62, 0.0, 100.0, 33.3, 12.5, 0.1],
        "dates": [datetime.date(2019, 6, 30), datetime.time(18, 30)],
        "date-times": [
            datetime.datetime(2024, 7, 1, 23, 30, 5, 123456, tzinfo=datetime.UTC),
            datetime.datetime(2024, 7, 1, 18, 30, tzinfo=london),
            datetime.datetime(2024, 7, 1, 18, 30),
        ],
        "others": [decimal.Decimal("12.50"), uuid.UUID(int=7), gettext_lazy("Page not found")],
        "a choice": Meeting.Status.HELD,
        "nested": {"a": [{"b": {"c": [1, [2, [3]]]}}]},
    }
    renderer = ReadableJSONRenderer()
    assert renderer.render(data) == drf_json(data)
    assert b"\\u2028" in renderer.render(data)
    # Keys that are not strings: orjson refuses them, DRF writes them.
    assert renderer.render({1: "one", None: [2]}) == drf_json({1: "one", None: [2]})
    assert renderer.render(None) == b""


def test_every_answer_is_the_json_django_rest_framework_would_write(client, everything):
    """Through the views: every list page's and item's body is DRF's own
    JSON of the data it answered with."""
    checked = 0
    for resource in RESOURCES:
        listed = client.get(f"/api/{resource.collection}/")
        assert listed.content == drf_json(listed.data)
        for item in listed.data["results"][:3]:
            detail = client.get(f"/api/{resource.collection}/{item['id']}/")
            assert detail.content == drf_json(detail.data)
            checked += 1
    assert checked > 10
