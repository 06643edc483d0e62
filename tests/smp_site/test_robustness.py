"""Every public URL pattern and every public form, fed generated junk (long
strings, control characters, invalid UTF-8, SQL and HTML fragments, huge
numbers, impossible dates, the wrong HTTP method), never gives a server
error and never stores a partial consultation response.

The URL patterns and the forms are found, not listed: a new page or form is
covered as soon as it is added to a urls.py or a template."""

import io
import re
from urllib.parse import quote, urlencode

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultation.models import Consultation, Response
from meetings.models import AgendaItem, Meeting
from partnerships.models import Organisation, Partnership, Person
from tests.consultation.factories import survey
from tests.meetings.factories import DocumentFactory

pytestmark = pytest.mark.django_db

SURVEY = "community-safety-survey"

FRAGMENTS = [
    "' OR 1=1 --",
    "'; DROP TABLE partnerships_partnership; --",
    "1 UNION SELECT password FROM auth_user",
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../../../etc/passwd",
    "%00",
    "\x00",
    "\r\nSet-Cookie: x=y",
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
    "2019-02-30",
    "0000-00-00",
    "31/02/2020",
    "9999-99-99",
    "",
]
BAD_BYTES = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80abc"]

# Values as bytes: text of any kind (control characters included), long
# strings, fragments, huge numbers, and byte strings that are not UTF-8.
junk = st.one_of(
    st.text(max_size=40).map(str.encode),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20).map(str.encode),
    st.sampled_from(FRAGMENTS).map(str.encode),
    st.integers(min_value=-(10**40), max_value=10**40).map(lambda n: str(n).encode()),
    st.builds(lambda n: b"A" * n, st.sampled_from([1000, 10_000, 100_000])),
    st.sampled_from(BAD_BYTES),
    st.binary(max_size=30),
)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# Query parameters the site's pages read, and some they do not.
QUERY_NAMES = [
    "page",
    "q",
    "partnership",
    "change",
    "year",
    "term",
    "from",
    "to",
    "kind",
    "next",
    "format",
    "x",
]


def public_routes():
    """Every URL pattern outside the staff admin, as route strings."""
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern)
            if not isinstance(pattern.pattern, RoutePattern):
                # A re_path: its named groups become <path:name> parameters.
                route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<path:\1>", route.strip("^$"))
            route = prefix + route
            if route.startswith("admin/"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                routes.append(route)

    walk(get_resolver().url_patterns, "")
    return routes


ROUTES = public_routes()


@pytest.fixture
def site(initial_content, settings, tmp_path):
    """The seeded site, with a consultation and a downloadable document,
    and the real values each kind of URL parameter can take."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    consultation = survey(slug=SURVEY)
    document = DocumentFactory(meeting=Meeting.objects.first())
    document.file.save("agenda.pdf", io.BytesIO(b"%PDF-1.7"), save=True)
    slugs = [
        *Partnership.objects.values_list("slug", flat=True),
        *Person.objects.values_list("slug", flat=True)[:3],
        *Organisation.objects.values_list("slug", flat=True)[:3],
        consultation.slug,
    ]
    return {
        "slug": slugs,
        "int": [
            1,
            2,
            3,
            5,
            28,
            40,
            54,
            document.pk,
            *AgendaItem.objects.values_list("minute_number", flat=True)[:5],
        ],
        "isodate": [day.isoformat() for day in Meeting.objects.values_list("date", flat=True)],
        "str": [document.filename, "token"],
        "path": ["x/", "1/2/"],
    }


def junk_for(converter):
    """Junk that still matches the converter's pattern (anything else is a
    404 before any view runs)."""
    return {
        "int": st.integers(min_value=0, max_value=10**30).map(str),
        "slug": st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z"),
        "isodate": st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    }.get(converter, st.binary(min_size=1, max_size=60).map(lambda raw: quote(raw, safe="")))


def fill(route, values, draw):
    def parameter(match):
        converter = match["converter"] or "str"
        real = values.get(converter, [])
        chosen = draw(st.one_of(st.sampled_from(real), junk_for(converter)) if real else junk_for(converter))
        return str(chosen)

    return "/" + PARAMETER.sub(parameter, route)


def real_url(route, values):
    return "/" + PARAMETER.sub(lambda m: str(values.get(m["converter"] or "str", ["x"])[0]), route)


def request(client, method, url, query=b"", body=b""):
    response = client.generic(
        method,
        f"{url}?{query.decode('latin-1')}" if query else url,
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500, (method, url, response.status_code)
    return response


def assert_no_partial_responses():
    """Every stored response answers every required question it was asked."""
    for response in Response.objects.prefetch_related("answers", "consultation__questions"):
        answered = {answer.question_id for answer in response.answers.all()}
        required = {q.pk for q in response.consultation.questions.all() if q.required}
        assert required <= answered, response.reference


def forms_on(client, url):
    """(action, field names) of each POST form on the page at `url`."""
    response = client.get(url, follow=True)
    if not response["Content-Type"].startswith("text/html"):
        return []
    soup = BeautifulSoup(response.content, "html.parser")
    found = []
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        names = sorted(
            {field["name"] for field in form.find_all(["input", "select", "textarea"]) if field.get("name")}
        )
        found.append((form.get("action") or response.request["PATH_INFO"], names))
    return found


def test_every_public_url_pattern_answers_its_real_values(site):
    client = Client(raise_request_exception=True)
    assert len(ROUTES) > 20
    for route in ROUTES:
        request(client, "GET", real_url(route, site))


@settings(max_examples=250, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_public_url_pattern_survives_junk(site, data):
    client = Client(raise_request_exception=True)
    route = data.draw(st.sampled_from(ROUTES))
    url = fill(route, site, data.draw)
    method = data.draw(st.sampled_from(METHODS))
    query = urlencode(data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), junk, max_size=3))).encode()
    body = urlencode(data.draw(st.dictionaries(st.text(max_size=10), junk, max_size=4))).encode()
    request(client, method, url, query, body if method != "GET" else b"")
    assert_no_partial_responses()


def answered_client():
    """A resident who has answered every question (with the first option
    each page offers), at check your answers."""
    client = Client(raise_request_exception=True)
    consultation = Consultation.objects.get(slug=SURVEY)
    questions = [q for q in consultation.questions.all() if not q.equality_monitoring]
    for number in range(1, len(questions) + 1):
        url = f"/have-your-say/{SURVEY}/questions/{number}/"
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        option = soup.select_one(
            "main input[type=radio], main input[type=checkbox], main option[value]:not([value=''])"
        )
        field = soup.select_one("main [name$='-answer']")
        client.post(url, {field["name"]: option["value"] if option else ""})
    return client


@pytest.fixture
def forms(site):
    """Every POST form a visitor can reach on a public page, a resident
    part-way through the survey included (check your answers and the
    equality questions show only once every question is answered)."""
    found = {}
    for client, urls in [
        (
            Client(raise_request_exception=True),
            [
                *(real_url(route, site) for route in ROUTES),
                *(f"/have-your-say/{SURVEY}/questions/{number}/" for number in range(1, 9)),
            ],
        ),
        (
            answered_client(),
            [f"/have-your-say/{SURVEY}/check-your-answers/", f"/have-your-say/{SURVEY}/equality/"],
        ),
    ]:
        for url in urls:
            for action, names in forms_on(client, url):
                if not action.startswith("/admin/"):  # the staff sign-in, not a public form
                    found[action] = names
    return found


def test_the_public_forms_are_found(forms):
    actions = set(forms)
    assert f"/have-your-say/{SURVEY}/questions/1/" in actions
    assert f"/have-your-say/{SURVEY}/send/" in actions  # the check-your-answers page's form
    # Check your answers and the equality questions both post to "send".
    assert "website" in forms[f"/have-your-say/{SURVEY}/send/"]  # the honeypot too


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_public_form_survives_junk(site, forms, data):
    client = answered_client() if data.draw(st.booleans()) else Client(raise_request_exception=True)
    action = data.draw(st.sampled_from(sorted(forms)))
    names = forms[action] or ["x"]
    fields = data.draw(
        st.dictionaries(st.sampled_from(names), st.lists(junk, min_size=1, max_size=3), max_size=len(names))
    )
    body = urlencode(fields, doseq=True).encode()
    request(client, data.draw(st.sampled_from(["POST", "POST", "POST", "PUT", "GET"])), action, body=body)
    assert_no_partial_responses()
