"""Documents in an S3-compatible object store (django-storages), against a
real server: moto's standalone server, started for these tests. Uploads go
to the bucket, public downloads are redirected to short-lived signed
addresses, exempt papers get none, and text extraction reads from the
bucket."""

import urllib.request
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Document
from publishing import operations
from search.models import SearchEntry
from tests import services
from tests.documents import text_pdf_bytes
from tests.helpers import ADD_URL, meeting_form
from tests.meetings.factories import AgendaItemFactory, DocumentFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_server():
    server = services.start_moto()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    name = f"documents-{uuid.uuid4().hex[:12]}"
    client = services.s3_client(s3_server.url)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    for key, value in services.s3_environment(s3_server.url, name).items():
        setattr(settings, key, value)
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "smp_site.storage.DocumentStorage"}}
    # Nothing may land on the app server's disk.
    settings.MEDIA_ROOT = tmp_path
    client.bucket = name
    return client


def keys(bucket):
    return [item["Key"] for item in bucket.list_objects_v2(Bucket=bucket.bucket).get("Contents", [])]


def test_a_clerks_upload_is_stored_in_the_bucket_and_downloaded_by_a_signed_address(
    staff_client, client, bucket, tmp_path, django_capture_on_commit_callbacks
):
    content = text_pdf_bytes("Target hardening for victims")
    data = meeting_form(
        PartnershipFactory(),
        **{"documents-0-title": "Agenda pack", "documents-0-file": SimpleUploadedFile("agenda.pdf", content)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(ADD_URL, data).status_code == 302
    document = Document.objects.get()
    assert keys(bucket) == ["meetings/2020/03/agenda.pdf"]
    # A new meeting is a draft: the public sees its papers once the agenda is
    # out (which also builds the agenda pack, in the bucket too).
    with django_capture_on_commit_callbacks(execute=True):
        operations.transition(document.meeting, "publish_agenda")
    assert not any(tmp_path.rglob("*.*"))
    assert document.format_display.startswith("PDF")
    # The text was read back from the bucket by the extraction job.
    assert "Target hardening for victims" in SearchEntry.objects.get(kind="document").body

    response = client.get(document.get_absolute_url())
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == bucket.meta.endpoint_url
    assert location.path == f"/{bucket.bucket}/meetings/2020/03/agenda.pdf"
    query = parse_qs(location.query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query

    with urllib.request.urlopen(response["Location"], timeout=10) as download:
        assert download.read() == content
        assert download.headers["Content-Disposition"] == 'attachment; filename="agenda.pdf"'
        assert download.headers["Content-Type"] == "application/pdf"


def test_the_papers_of_an_exempt_item_get_no_address(client, bucket):
    item = AgendaItemFactory(is_exempt=True, exempt_paragraph=3, exempt_reason="commercially sensitive")
    document = DocumentFactory(meeting=item.meeting, item=item, title="Tender scores")
    document.file = SimpleUploadedFile("tender.pdf", b"%PDF-1.4 confidential")
    document.save()
    assert keys(bucket) == [document.file.name]
    response = client.get(document.get_absolute_url())
    assert response.status_code == 404
    assert "Location" not in response
    # The object itself is private: nobody but the site's own key reads it.
    grants = bucket.get_object_acl(Bucket=bucket.bucket, Key=document.file.name)["Grants"]
    assert not [grant for grant in grants if "URI" in grant.get("Grantee", {})]


def test_readyz_checks_the_bucket(client, bucket, settings):
    settings.READINESS_TIMEOUT_SECONDS = 10  # a shared machine may be slow
    assert client.get("/readyz").json()["checks"]["storage"]["ok"] is True
    bucket.delete_bucket(Bucket=bucket.bucket)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False
