"""Two app servers, one site: two gunicorn instances on their own ports, with
production settings, sharing PostgreSQL, Redis (cache and broker) and an
S3-compatible store (moto's server). A visitor, a clerk and a resident move
between them as a load balancer would send them."""

import time

import pytest
import requests
from django.db import connection

from consultation.models import Response
from meetings.models import Document, Meeting
from publishing import operations
from tests import services
from tests.consultation.factories import survey
from tests.documents import text_pdf_bytes
from tests.helpers import ADD_URL, meeting_form
from tests.partnerships.factories import PartnershipFactory
from tests.roles import form_data

RATE_LIMIT = 2
PASSWORD = "a-long-test-password"


@pytest.fixture
def site(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("app servers share the database only on PostgreSQL (the suite's SQLite is in memory)")
    started = time.monotonic()
    redis = services.start_redis()
    moto = services.start_moto()
    bucket = "documents"
    services.s3_client(moto.url).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    env = services.production_environment(
        REDIS_URL=redis.url,
        PAGE_CACHE_SECONDS="300",
        CONSULTATION_RATE_LIMIT=str(RATE_LIMIT),
        WEB_CONCURRENCY="1",
        MEDIA_ROOT=str(tmp_path / "media"),
        **services.s3_environment(moto.url, bucket),
    )
    servers = []
    try:
        for name in ["a", "b"]:
            log = open(tmp_path / f"gunicorn-{name}.log", "w+")  # noqa: SIM115 (closed with the server)
            server = services.start_gunicorn(env, log)
            server.store = moto.url
            servers.append(server)
        yield servers
    finally:
        for server in [*servers, moto, redis]:
            server.stop()
        # Kept under about 90 seconds in all (setup to teardown).
        print(f"two-server site up and down in {time.monotonic() - started:.1f}s")


def csrf(session):
    return session.cookies.get("csrftoken")


def sign_in(server, user):
    session = requests.Session()
    session.get(f"{server.url}/admin/login/", timeout=30)
    response = session.post(
        f"{server.url}/admin/login/?next=/admin/",
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(session)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/", response.text[:500]
    return session


def answer(session, server, consultation, number, value):
    question = [q for q in consultation.questions.all() if not q.equality_monitoring][number - 1]
    path = f"{server.url}{consultation.get_absolute_url()}questions/{number}/"
    if csrf(session) is None:
        session.get(path, timeout=30)  # the form's page sets the CSRF cookie
    data = {f"q{question.pk}-answer": value, "csrfmiddlewaretoken": csrf(session)}
    response = session.post(path, data, allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:1000]


ANSWERS = ["yes", ["burglary"], "sefton", "", ""]


def send(session, server, consultation):
    return session.post(
        f"{server.url}{consultation.get_absolute_url()}send/",
        {"csrfmiddlewaretoken": csrf(session), "skip": "1"},
        allow_redirects=False,
        timeout=30,
    )


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_serve_one_site(site, django_user_model):
    a, b = site
    partnership = PartnershipFactory()
    consultation = survey()
    clerk = django_user_model.objects.create_superuser("clerk", "clerk@example.org", PASSWORD)

    # A document a clerk uploads through one server downloads through the other.
    admin = sign_in(a, clerk)
    content = text_pdf_bytes("Target hardening for victims")
    data = meeting_form(partnership, **{"documents-0-title": "Agenda pack"})
    data["csrfmiddlewaretoken"] = csrf(admin)
    response = admin.post(
        f"{a.url}{ADD_URL}",
        data,
        files={"documents-0-file": ("agenda.pdf", content, "application/pdf")},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]
    document = Document.objects.get()
    # A new meeting is a draft: its papers are public once its agenda is.
    operations.transition(document.meeting, "publish_agenda")
    download = requests.get(f"{b.url}{document.get_absolute_url()}", allow_redirects=False, timeout=30)
    assert download.status_code == 302 and download.headers["Location"].startswith(f"{a.store}/documents/")
    stored = requests.get(download.headers["Location"], timeout=30)
    assert stored.status_code == 200 and stored.content == content

    # A clerk's change on one server is on the other's cached pages at once.
    meeting = Meeting.objects.get()
    page = f"{b.url}{meeting.get_absolute_url()}"
    assert requests.get(page, timeout=30).headers["X-Page-Cache"] == "miss"
    cached = requests.get(page, timeout=30)
    assert cached.headers["X-Page-Cache"] == "hit"
    assert "Town Hall, Bootle" in cached.text
    change = f"{a.url}/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(admin.get(change, timeout=30))
    data["venue"] = "Committee Room 2, Bootle Town Hall"
    response = admin.post(change, data, allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:2000]
    fresh = requests.get(page, timeout=30)
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert "Committee Room 2, Bootle Town Hall" in fresh.text

    # A resident's journey switches server at every step; the rate limit
    # counts the submissions of both servers together.
    pages = []
    for journey in range(RATE_LIMIT):
        resident = requests.Session()
        for number, value in enumerate(ANSWERS, start=1):
            answer(resident, site[(number + journey) % 2], consultation, number, value)
        response = send(resident, site[journey % 2], consultation)
        assert response.status_code == 302, response.text[:1000]
        sent = resident.get(f"{site[(journey + 1) % 2].url}{response.headers['Location']}", timeout=30)
        pages.append(sent.text)
    references = list(Response.objects.filter(consultation=consultation).values_list("reference", flat=True))
    assert len(references) == RATE_LIMIT
    # Each resident's confirmation, shown by the other server, has their reference.
    assert all(sum(reference in page for page in pages) == 1 for reference in references)
    resident = requests.Session()
    for number, value in enumerate(ANSWERS, start=1):
        answer(resident, a, consultation, number, value)
    assert send(resident, b, consultation).status_code == 429
    assert send(resident, a, consultation).status_code == 429
    assert Response.objects.filter(consultation=consultation).count() == RATE_LIMIT
