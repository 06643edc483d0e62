"""The alert tables in the admin: site administrators only (they hold
residents' email addresses), read-only, and a way to put emails the queue
gave up on back in it once the mail server is mended."""

import pytest
from django.core.management import call_command

from follow.management.commands.send_queued_email import MAX_ATTEMPTS
from follow.models import OutgoingEmail, Subscription
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, staff_user

pytestmark = pytest.mark.django_db

# Session, user, permissions, the partnership filter, date hierarchy, counts
# and the page: fixed, whatever the number of rows.
ADMIN_LIST_QUERIES = 13


@pytest.fixture
def administrator():
    return client_for(staff_user("ada", "Site administrator"))


def subscription(**fields):
    return Subscription.objects.create(
        **{"email": "resident@example.org", "kind": "meeting", "partnership": PartnershipFactory(), **fields}
    )


@pytest.mark.parametrize("role", ["Clerk", "Consultation officer"])
def test_other_roles_never_see_the_addresses(role):
    subscription()
    client = client_for(staff_user("someone", role))
    assert client.get("/admin/follow/subscription/").status_code == 403
    assert client.get("/admin/follow/outgoingemail/").status_code == 403
    assert b"resident@example.org" not in client.get("/admin/").content


@pytest.mark.parametrize("size", [1, 15])
def test_administrators_list_subscriptions_in_fixed_queries(
    administrator, size, django_assert_max_num_queries
):
    for n in range(size):
        subscription(email=f"resident{n}@example.org")
    with django_assert_max_num_queries(ADMIN_LIST_QUERIES):
        response = administrator.get("/admin/follow/subscription/")
    assert response.status_code == 200
    assert b"resident0@example.org" in response.content


def test_subscriptions_are_read_only_but_can_be_deleted_on_request(administrator):
    row = subscription()
    assert administrator.get("/admin/follow/subscription/add/").status_code == 403
    page = administrator.get(f"/admin/follow/subscription/{row.pk}/change/")
    assert page.status_code == 200 and b'name="email"' not in page.content
    administrator.post(f"/admin/follow/subscription/{row.pk}/delete/", {"post": "yes"})
    assert not Subscription.objects.exists()


def test_emails_given_up_on_can_be_queued_again(administrator, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    failed = OutgoingEmail.objects.create(
        to="a@example.org", subject="Alert", body="Text", attempts=MAX_ATTEMPTS, last_error="Refused"
    )
    listing = administrator.get("/admin/follow/outgoingemail/?status=given-up")
    assert b"Given up" in listing.content and b"Refused" in listing.content
    administrator.post(
        "/admin/follow/outgoingemail/", {"action": "try_again", "_selected_action": [failed.pk]}
    )
    failed.refresh_from_db()
    assert (failed.attempts, failed.last_error) == (0, "")
    call_command("send_queued_email", stdout=__import__("io").StringIO())
    failed.refresh_from_db()
    assert failed.sent_at is not None
