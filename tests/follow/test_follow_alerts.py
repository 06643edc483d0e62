"""Email alerts: the whole journey (subscribe, confirm, receive,
unsubscribe) through the queue and Django's test outbox, privacy, bad links
and a mail server that is down."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from follow.models import OutgoingEmail, Subscription
from meetings.models import Meeting
from tests.govuk_errors import assert_error_shown
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def run(command):
    call_command(command, stdout=__import__("io").StringIO())


def send():
    mail.outbox.clear()
    run("send_queued_email")
    return list(mail.outbox)


def link(message, path):
    return (
        re.search(rf"https?://[^\s]+{path}[^\s]+/", message.body)
        .group(0)
        .split("testserver")[-1]
        .replace("http://127.0.0.1:8000", "")
    )


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def subscribe(client, **data):
    return client.post("/alerts/", {"email": "resident@example.org", **data})


def test_the_whole_journey(client, site_url, transition):
    partnership = PartnershipFactory()
    MeetingFactory(partnership=partnership, minutes_status="none")  # before subscribing: never alerted
    response = subscribe(client, kind="minutes", partnership=partnership.slug)
    assert response.status_code == 302 and response["Location"] == "/alerts/check-your-email/"
    assert mail.outbox == []  # queued, not sent during the page view

    (confirmation,) = send()
    assert confirmation.to == ["resident@example.org"]
    assert "Confirm" in confirmation.subject
    confirm = link(confirmation, "/alerts/confirm/")
    # Nothing is sent before confirming.
    meeting = Meeting.objects.get()
    transition(meeting, "publish_minutes")
    run("queue_alerts")
    assert send() == []

    assert client.get(confirm).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    later = MeetingFactory(partnership=partnership, minutes_status="none")
    AgendaItemFactory(meeting=later)
    transition(later, "publish_minutes")
    # Another partnership's: not for this subscriber.
    transition(MeetingFactory(minutes_status="none"), "publish_minutes")
    run("queue_alerts")
    (alert,) = send()
    assert later.get_absolute_url() in alert.body
    assert "1 update" in alert.subject
    unsubscribe = link(alert, "/alerts/unsubscribe/")
    assert alert.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Nothing new: no email.
    run("queue_alerts")
    assert send() == []

    page = client.get(unsubscribe)
    assert page.status_code == 200 and b"Stop these emails" in page.content
    assert client.post(unsubscribe).status_code == 200
    assert not Subscription.objects.exists()  # the address is deleted
    MeetingFactory(partnership=partnership, minutes_status="published")
    run("queue_alerts")
    assert send() == []
    assert b"already stopped" in client.get(unsubscribe).content


def test_one_click_unsubscribe_from_a_mail_app_needs_no_csrf_token(site_url):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    subscribe(client, kind="meeting")  # a form post without a token is refused...
    assert not Subscription.objects.exists()
    subscription = Subscription.objects.create(email="a@example.org", kind="meeting")
    from follow.alerts import unsubscribe_url

    url = unsubscribe_url(subscription).removeprefix("http://testserver")
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.exists()


def recent_meeting(**fields):
    """A meeting held last week: its minutes are news (an older one is the
    clerk's backlog, never announced)."""
    return MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=7), **fields)


def test_saved_search_alerts_new_results(client, site_url):
    subscribe(client, kind="search", query="knife crime")
    (confirmation,) = send()
    client.get(link(confirmation, "/alerts/confirm/"))
    AgendaItemFactory(title="Road safety", meeting=recent_meeting())
    item = AgendaItemFactory(title="Knife crime action plan", meeting=recent_meeting())
    run("queue_alerts")
    (alert,) = send()
    assert item.get_absolute_url() in alert.body
    assert "Road safety" not in alert.body
    assert "/search/?q=knife+crime" in alert.body


def test_a_saved_search_alerts_an_edited_result_once_and_new_resolutions(client, site_url, transition):
    subscribe(client, kind="search", query="knife crime")
    client.get(link(send()[0], "/alerts/confirm/"))
    item = AgendaItemFactory(title="Knife crime action plan", meeting=recent_meeting(minutes_status="none"))
    run("queue_alerts")
    assert len(send()) == 1
    # A clerk corrects the title: the same result, not a new one.
    item.title = "Knife crime action plan 2020"
    item.save()
    run("queue_alerts")
    assert send() == []
    # The minutes are published with a resolution on knife crime: new.
    resolution = ResolutionFactory(item=item, text="That the knife crime plan be approved.")
    transition(item.meeting, "publish_minutes")
    run("queue_alerts")
    (alert,) = send()
    assert resolution.get_absolute_url() in alert.body


def test_new_meetings_of_all_partnerships(client, site_url, transition):
    subscribe(client, kind="meeting")
    client.get(link(send()[0], "/alerts/confirm/"))
    first, second = MeetingFactory(status="draft"), MeetingFactory(status="draft")
    transition(first, "publish_agenda")
    transition(second, "publish_agenda")
    run("queue_alerts")
    (alert,) = send()
    assert first.get_absolute_url() in alert.body and second.get_absolute_url() in alert.body


# The subscriptions due 1, then for the one: read again 1, a savepoint and its
# release 2, its new publications with their meetings 1, the email 1, its mark 1.
ALERT_QUERIES = 7


@pytest.mark.parametrize("size", [2, 10])
def test_an_alert_of_new_meetings_says_where_postponed_ones_moved_in_a_fixed_number_of_queries(
    client, site_url, transition, django_assert_max_num_queries, size
):
    subscribe(client, kind="meeting")
    client.get(link(send()[0], "/alerts/confirm/"))
    postponed = {}
    for n in range(size):
        meeting = MeetingFactory(
            date=timezone.localdate() + datetime.timedelta(days=n + 1), status="draft", minutes_status="none"
        )
        transition(meeting, "publish_agenda")
        if n % 2:
            new_date = MeetingFactory(
                partnership=meeting.partnership, date=meeting.date + datetime.timedelta(days=60)
            )
            transition(meeting, "postpone", "The chair is unwell.", new_date)
            postponed[meeting.get_absolute_url()] = new_date.date
    with django_assert_max_num_queries(ALERT_QUERIES):
        run("queue_alerts")
    (alert,) = send()
    for address, new_date in postponed.items():
        assert f"(postponed to {new_date:%-d %B %Y})\nhttp://testserver{address}" in alert.body


def test_asking_twice_does_not_duplicate_or_reveal_anything(client, site_url):
    subscribe(client, kind="meeting")
    client.get(link(send()[0], "/alerts/confirm/"))
    response = subscribe(client, kind="meeting")
    assert response["Location"] == "/alerts/check-your-email/"
    assert Subscription.objects.count() == 1
    assert send() == []  # already confirmed: no second confirmation


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "kind": "meeting"}, b"Enter your email address"),
        ({"email": "not-an-address", "kind": "meeting"}, b"Enter an email address in the correct format"),
        ({"email": "a@example.org"}, b"Select what you want emails about"),
        ({"email": "a@example.org", "kind": "junk"}, b"Select what you want emails about"),
        ({"email": "a@example.org", "kind": "search"}, b"Enter the words to search for"),
        ({"email": "a@example.org", "kind": "meeting", "partnership": "no-such"}, b"Choose a partnership"),
        ({"email": "a@example.org", "kind": "search", "query": "x" * 201}, b"200 characters or fewer"),
    ],
)
def test_form_errors_are_shown_in_a_summary_and_beside_the_field(client, data, message):
    response = client.post("/alerts/", data)
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert response.content.count(message) == 2  # the summary and the field
    assert not OutgoingEmail.objects.exists()


def test_a_refused_subscription_keeps_what_was_typed_with_errors_linked_to_the_fields(client):
    partnership = PartnershipFactory()
    response = client.post(
        "/alerts/",
        {"kind": "search", "partnership": partnership.slug, "query": "", "email": "not-an-address"},
    )
    page = response.content.decode()
    assert_error_shown(page, "query", "Enter the words to search for")
    soup = assert_error_shown(
        page, "email", "Enter an email address in the correct format, like name@example.com"
    )
    # The summary lists the errors in the order of the page.
    assert [a["href"] for a in soup.select(".govuk-error-summary a")] == ["#query", "#email"]
    email = soup.find(id="email")
    assert email["value"] == "not-an-address" and email["autocomplete"] == "email"
    assert email["aria-describedby"].split() == ["email-hint", "email-error"]
    assert soup.find("input", attrs={"name": "kind", "checked": True})["value"] == "search"
    assert soup.find(id="partnership").find("option", selected=True)["value"] == partnership.slug

    page = client.post("/alerts/", {"email": "a@example.org"}).content.decode()
    soup = assert_error_shown(page, "kind", "Select what you want emails about")
    assert soup.find("legend").get_text(strip=True) == "What do you want emails about?"
    assert soup.find(id="email")["value"] == "a@example.org"


@pytest.mark.parametrize(
    "path", ["/alerts/confirm/junk/", "/alerts/confirm/%00/", "/alerts/unsubscribe/1:abc:def/"]
)
def test_bad_links_are_helpful_pages_not_errors(client, path):
    assert client.get(path).status_code in (200, 404)


def test_the_subscribe_page_is_prefilled_from_links(client):
    partnership = PartnershipFactory()
    response = client.get(f"/alerts/?partnership={partnership.slug}")
    assert f'value="{partnership.slug}" selected'.encode() in response.content
    response = client.get("/alerts/?q=knife+crime&partnership=%00")
    assert b'value="knife crime"' in response.content
    assert b'value="search" checked' in response.content


def test_a_mail_server_that_is_down_leaves_the_email_queued(settings, client, site_url):
    subscribe(client, kind="meeting")
    settings.EMAIL_BACKEND = "tests.helpers.BrokenBackend"
    run("send_queued_email")
    email = OutgoingEmail.objects.get()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert "ConnectionRefusedError" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(send()) == 1
    assert OutgoingEmail.objects.get().sent_at is not None


@pytest.mark.parametrize("field", ["email", "partnership", "query", "kind"])
def test_nul_bytes_in_the_form_are_errors_not_500s(client, field):
    data = {"email": "a@example.org", "kind": "search", "query": "crime", field: "a\x00b"}
    assert client.post("/alerts/", data).status_code == 400


def test_rebuilding_the_search_index_does_not_alert_everything_again(client, site_url):
    AgendaItemFactory(title="Knife crime before")
    subscribe(client, kind="search", query="knife crime")
    client.get(link(send()[0], "/alerts/confirm/"))
    call_command(
        "rebuild_search_index", stdout=__import__("io").StringIO(), stderr=__import__("io").StringIO()
    )
    run("queue_alerts")
    assert send() == []


def test_a_second_request_seconds_later_gets_no_second_confirmation(client, site_url, monkeypatch):
    """Signed links carry the second they were made in; the hourly limit for
    one subscription must hold across seconds, not only within one."""
    import time

    from django.core import signing

    subscribe(client, kind="meeting")
    later = time.time() + 2
    monkeypatch.setattr(signing.time, "time", lambda: later)
    subscribe(client, kind="meeting")
    assert len(send()) == 1


def test_the_form_cannot_flood_an_inbox_with_confirmations(client, site_url, settings):
    settings.ALERTS_RATE_LIMIT = 0  # the limit per address, not per client, is tested here
    for _ in range(3):
        subscribe(client, kind="meeting")
    assert len(send()) == 1  # the same subscription: one link an hour
    for n in range(10):
        subscribe(client, kind="search", query=f"words {n}")
    assert len(send()) == 4  # at most five confirmations an hour for one address
