"""Logs: one JSON object a line, tracebacks as a field of their line, and a
request id on every line of a request, sent back in X-Request-ID and shown
on the error page so that a resident can quote it."""

import io
import json
import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client

from smp_site.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def log_lines():
    """The root logger's output through the site's formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
def test_each_request_gets_an_id_on_its_log_line_and_response(client, log_lines):
    response = client.get("/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = [line for line in log_lines() if line["logger"] == "smp_site.requests"]
    assert line["request_id"] == request_id
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert {"time", "level", "message", "duration_ms"} <= set(line)
    # Another request, another id.
    assert client.get("/")["X-Request-ID"] != request_id


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("4f1c2a9e-77a0-4d1b-9a43-0c6f3e2b1d55", True),
        ("lb-1700000000.123:abc", True),
        ("short", False),
        ('x" injected\n{"level": "ERROR"}', False),
        ("a" * 300, False),
    ],
)
def test_a_request_id_from_the_proxy_is_kept_only_if_sane(client, sent, kept):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert (response["X-Request-ID"] == sent) is kept
    assert response["X-Request-ID"].isprintable()


@pytest.mark.django_db
def test_a_500_logs_its_traceback_as_a_field_and_shows_the_id(settings, log_lines):
    settings.ROOT_URLCONF = "tests.urls_failing"

    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    client = Client(raise_request_exception=False)
    # The error page renders with the database down too.
    with connection.execute_wrapper(database_down):
        response = client.get("/fail", HTTP_X_REQUEST_ID="resident-report-0001")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "resident-report-0001"
    assert b"resident-report-0001" in response.content
    assert b"Sorry, there is a problem with the service" in response.content
    lines = log_lines()
    assert all(line["request_id"] == "resident-report-0001" for line in lines)
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["logger"] == "django.request"
    assert "Traceback" in error["exc_info"] and "RuntimeError: the view broke" in error["exc_info"]
    assert error["status_code"] == 500
    assert [line["status"] for line in lines if line["logger"] == "smp_site.requests"] == [500]


@pytest.mark.django_db
def test_a_body_that_cannot_be_read_is_a_400_and_one_warning_without_a_traceback(client, caplog):
    # A form posted as multipart without the boundary its parts need: the
    # client's mistake, not the site's, so no traceback of Django's parser.
    with caplog.at_level(logging.INFO):
        response = client.post("/alerts/", data=b"kind=meetings", content_type="multipart/form-data")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.levelname, r.getMessage(), r.status_code) for r in records] == [
        ("WARNING", "Bad request (Unable to parse request body): /alerts/", 400)
    ]
    assert records[0].exc_info is None and records[0].exc_text is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "logger"),
    [
        # A lookup the admin does not offer (DisallowedModelAdminLookup).
        ("/admin/meetings/meeting/?partnership__clerks__password__startswith=p", 400, "django.security"),
        # A to_field the admin does not offer (DisallowedModelAdminToField).
        ("/admin/meetings/meeting/?_to_field=notes", 400, "django.security"),
        # A page the clerk's role may not open (PermissionDenied).
        ("/admin/auth/user/", 403, "django.request"),
    ],
)
def test_a_staff_members_4xx_in_the_admin_is_one_warning_line_without_a_traceback(
    log_lines, path, status, logger
):
    from tests.roles import client_for, staff_user

    client = client_for(staff_user("logclerk", "Clerk"))
    response = client.get(path)
    assert response.status_code == status
    lines = [line for line in log_lines() if line["logger"].startswith(logger)]
    assert len(lines) == 1, lines
    assert lines[0]["level"] == "WARNING"
    assert "exc_info" not in lines[0]
