"""The meeting's lifecycle, driven as a clerk drives it (the admin's actions
and its change form), asserting what the public then sees: the page served
through the page cache, the search results, the Atom feeds, the queued email
alerts and the history row."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from follow.models import OutgoingEmail, Subscription
from meetings.models import Meeting, TransitionRefused
from publishing import operations
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DeclarationFactory,
    DocumentFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.roles import client_for, form_data, staff_user

pytestmark = pytest.mark.django_db


class Commits:
    """Each clerk's request and each transition is committed as in
    production: the effects registered for after the commit run when it
    ends (the test itself is one transaction, rolled back at its end)."""

    capture = None


@pytest.fixture(autouse=True)
def commits(django_capture_on_commit_callbacks):
    Commits.capture = django_capture_on_commit_callbacks


def apply(meeting, transition, *args, **kwargs):
    with Commits.capture(execute=True):
        return operations.transition(meeting, transition, *args, **kwargs)


Status, MinutesStatus = Meeting.Status, Meeting.MinutesStatus
# Held weeks ago, not months: publishing it is news (an older meeting would
# be the clerk's backlog, entered without alerts: meetings.models.is_backlog).
PAST = timezone.localdate() - datetime.timedelta(days=21)


@pytest.fixture
def subscribers(sefton):
    """A resident following the partnership's meetings and minutes."""
    now = timezone.now()
    return [
        Subscription.objects.create(
            email="resident@example.org", kind=kind, partnership=sefton, confirmed_at=now
        )
        for kind in (Subscription.Kind.MEETINGS, Subscription.Kind.MINUTES)
    ]


def draft_meeting(partnership, day=PAST):
    meeting = MeetingFactory(
        partnership=partnership, date=day, status=Status.DRAFT, minutes_status=MinutesStatus.NONE
    )
    item = AgendaItemFactory(
        meeting=meeting,
        minute_number=7,
        title="Quokka patrols",
        agenda_text="A report on quokka patrols.",
        minutes="Members welcomed the zebrafish scheme.",
    )
    ResolutionFactory(item=item, number=1, text="That the zebrafish scheme be approved.")
    return meeting


class Public:
    """What an anonymous visitor sees, every page through the page cache."""

    def __init__(self, client, meeting):
        self.client, self.meeting = client, meeting

    def get(self, url):
        return self.client.get(url)

    def page(self):
        response = self.get(self.meeting.get_absolute_url())
        return response.status_code, response.content.decode()

    def search(self, words):
        return self.get(f"/search/?q={words}").content.decode()

    def feed(self, name):
        return self.get(f"/meetings/{name}.atom").content.decode()

    def lists(self):
        """The lists of meetings that show this one: the meetings list, its
        partnership's meetings and the home page's next meetings."""
        slug = self.meeting.partnership.slug
        return ["/meetings/", f"/partnerships/{slug}/meetings/", "/"]

    def card(self, url):
        """This meeting's card on the list at `url`, or None."""
        address = f'href="{self.meeting.get_absolute_url()}"'
        page = self.get(url).content.decode()
        return next((card for card in page.split("app-card-list__item")[1:] if address in card), None)

    def warm(self):
        """Fill the cache with every surface, so that a stale page would show."""
        for _ in range(2):
            (
                self.page(),
                self.search("zebrafish"),
                self.search("quokka"),
                self.feed("minutes"),
                self.feed("new"),
                [self.get(url) for url in self.lists()],
            )


def new_alerts():
    before = set(OutgoingEmail.objects.values_list("pk", flat=True))
    call_command("queue_alerts", stdout=io.StringIO())
    return list(OutgoingEmail.objects.exclude(pk__in=before))


def post_action(client, action, meetings):
    with Commits.capture(execute=True):
        response = client.post(
            "/admin/meetings/meeting/", {"action": action, "_selected_action": [m.pk for m in meetings]}
        )
    return client.get(response["Location"]) if response.status_code == 302 else response


def post_form(client, meeting, **changes):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(client.get(url))
    data.update(changes)
    with Commits.capture(execute=True):
        response = client.post(url, data)
    return client.get(response["Location"]) if response.status_code == 302 else response


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_publish_the_minutes_action_updates_page_search_feed_alert_and_history(
    caching, sefton, clerk, subscribers
):
    meeting = draft_meeting(sefton)
    apply(meeting, "publish_agenda")
    new_alerts()  # the new meeting's alert, already sent
    public = Public(client_for_anonymous(), meeting)
    public.warm()
    status, page = public.page()
    assert status == 200 and "zebrafish" not in page and "Minutes to follow" in page
    assert meeting.get_absolute_url() not in public.search("zebrafish")

    response = post_action(client_for(clerk), "publish_minutes", [meeting])
    assert "Publish the minutes (subject to confirmation): done for 1 meeting(s)." in messages_of(response)

    status, page = public.page()
    assert "Agenda and draft minutes" in page and "Members welcomed the zebrafish scheme." in page
    assert meeting.get_absolute_url() in public.search("zebrafish")
    assert meeting.get_absolute_url() in public.feed("minutes")
    (alert,) = new_alerts()
    assert "Minutes published" in alert.body and meeting.get_absolute_url() in alert.body
    assert "(agenda and draft minutes)" in alert.body
    latest = meeting.change_history.latest()
    assert latest.minutes_status == MinutesStatus.PUBLISHED and latest.history_user == clerk


def client_for_anonymous():
    from django.test import Client

    return Client()


# Each step of the walk: how the clerk takes it, and what the public sees after.
# (transition, by, form fields, page says, found by "zebrafish", found by
# "quokka", in the minutes feed, in the new-meetings feed, alerts queued)
WALK = [
    ("publish_agenda", "Minutes to follow", False, True, False, True, 1),
    ("mark_held", "Minutes to follow", False, True, False, True, 0),
    ("publish_minutes", "Agenda and draft minutes", True, True, True, True, 1),
    ("confirm_minutes", "Agenda and minutes", True, True, True, True, 0),
]


@pytest.mark.parametrize("by", ["action", "form"])
def test_every_transition_shows_at_once_everywhere(caching, sefton, clerk, subscribers, by):
    meeting = draft_meeting(sefton)
    later = MeetingFactory(partnership=sefton, date=PAST + datetime.timedelta(days=90))
    confirming = AgendaItemFactory(
        meeting=later,
        minute_number=20,
        title="Minutes of the previous meeting",
        minutes=f"That the Minutes of the meeting held on {PAST:%-d %B %Y} be confirmed as a correct record.",
    )
    public = Public(client_for_anonymous(), meeting)
    clerk_client = client_for(clerk)
    public.warm()
    assert public.page()[0] == 404  # a draft is not public
    assert meeting.get_absolute_url() not in public.search("quokka")

    for transition, label, minutes_found, agenda_found, in_minutes_feed, in_meetings_feed, alerts in WALK:
        if by == "action":
            action = "mark_confirmed" if transition == "confirm_minutes" else transition
            response = post_action(clerk_client, action, [meeting])
        else:
            extra = {"confirming_minute": str(confirming.pk)} if transition == "confirm_minutes" else {}
            response = post_form(clerk_client, meeting, next_step=transition, **extra)
        assert response.status_code == 200
        assert not [m for m in response.context["messages"] if m.level_tag == "error"], transition

        status, page = public.page()
        assert status == 200 and f"{label}, " in page, transition
        assert ("Members welcomed the zebrafish scheme." in page) == minutes_found, transition
        assert (meeting.get_absolute_url() in public.search("zebrafish")) == minutes_found, transition
        assert (meeting.get_absolute_url() in public.search("quokka")) == agenda_found, transition
        assert (meeting.get_absolute_url() in public.feed("minutes")) == in_minutes_feed, transition
        assert (meeting.get_absolute_url() in public.feed("new")) == in_meetings_feed, transition
        assert len(new_alerts()) == alerts, transition
        latest = meeting.change_history.latest()
        assert latest.history_user == clerk, transition
        meeting.refresh_from_db()
        assert (latest.status, latest.minutes_status) == (meeting.status, meeting.minutes_status)
    assert meeting.confirmed_by == confirming


@pytest.mark.parametrize("transition", ["cancel", "postpone"])
def test_cancelling_or_postponing_through_the_form_says_why_and_when(caching, sefton, clerk, transition):
    meeting = draft_meeting(sefton, day=timezone.localdate() + datetime.timedelta(days=20))
    apply(meeting, "publish_agenda")
    new_date = meeting.date + datetime.timedelta(days=14)
    replacement = MeetingFactory(partnership=sefton, date=new_date)
    public = Public(client_for_anonymous(), meeting)
    public.warm()
    clerk_client = client_for(clerk)

    response = post_form(clerk_client, meeting, next_step=transition, reason="")
    assert "say why, for the public page." in response.content.decode()  # beside the field
    meeting.refresh_from_db()
    assert meeting.status == Status.AGENDA_PUBLISHED  # nothing changed

    response = post_form(
        clerk_client,
        meeting,
        next_step=transition,
        reason="The chair is unwell.",
        new_meeting=str(replacement.pk),
    )
    assert response.status_code == 200
    status, page = public.page()
    expected = "Cancelled" if transition == "cancel" else f"Postponed to {new_date:%-d %B %Y}"
    assert f"{expected}, " in page and "The chair is unwell." in page
    title = "(cancelled)" if transition == "cancel" else "(postponed)"
    assert title in public.search("Bootle")
    # Each list of meetings, read through the page cache, says so on its card.
    tag = "Cancelled" if transition == "cancel" else "Postponed"
    for url in public.lists():
        card = public.card(url)
        assert f'app-meta">{expected}</span>' in card and f">{tag}</strong>" in card, url
    latest = meeting.change_history.latest()
    assert latest.history_user == clerk and latest.status == transition.replace(
        "cancel", "cancelled"
    ).replace("postpone", "postponed")


def test_minutes_not_online_and_withdrawing(caching, sefton, clerk):
    archive = draft_meeting(sefton)
    public = Public(client_for_anonymous(), archive)
    public.warm()
    post_action(client_for(clerk), "mark_minutes_not_online", [archive])
    status, page = public.page()
    assert "Agenda (minutes not available online), " in page
    assert "The minutes of this meeting are not available online." in page
    assert archive.get_absolute_url() not in public.feed("minutes")

    mistaken = draft_meeting(sefton, day=PAST + datetime.timedelta(days=1))
    apply(mistaken, "publish_agenda")
    public = Public(client_for_anonymous(), mistaken)
    public.warm()
    assert mistaken.get_absolute_url() in public.feed("new")
    post_action(client_for(clerk), "withdraw", [mistaken])
    assert public.page()[0] == 404
    assert mistaken.get_absolute_url() not in public.search("quokka")
    assert mistaken.get_absolute_url() not in public.feed("new")
    assert mistaken.change_history.latest().status == Status.DRAFT


def test_impossible_states_are_refused_with_a_message_and_nothing_changes(sefton, clerk):
    clerk_client = client_for(clerk)
    future = draft_meeting(sefton, day=timezone.localdate() + datetime.timedelta(days=30))
    apply(future, "publish_agenda")

    response = post_action(clerk_client, "publish_minutes", [future])
    assert any("minutes cannot be published before the meeting's date" in m for m in messages_of(response))
    response = post_action(clerk_client, "mark_held", [future])
    assert any("cannot be held before its date" in m for m in messages_of(response))
    response = post_form(clerk_client, future, next_step="publish_minutes")
    assert "minutes cannot be published before the meeting" in response.content.decode()
    future.refresh_from_db()
    assert (future.status, future.minutes_status) == (Status.AGENDA_PUBLISHED, MinutesStatus.NONE)

    cancelled = draft_meeting(sefton, day=PAST)
    apply(cancelled, "cancel", "No quorum.")
    response = post_action(clerk_client, "publish_minutes", [cancelled])
    assert any("a cancelled meeting has no minutes" in m for m in messages_of(response))

    meeting = draft_meeting(sefton, day=PAST + datetime.timedelta(days=2))
    apply(meeting, "publish_minutes")
    earlier = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=PAST - datetime.timedelta(days=30))
    )
    other = AgendaItemFactory(meeting=MeetingFactory(date=PAST + datetime.timedelta(days=60)))
    for item, message in [
        (earlier, "minutes are confirmed by a later meeting"),
        (other, "minutes are confirmed by a minute of the same partnership"),
    ]:
        with pytest.raises(TransitionRefused, match=message):
            apply(meeting, "confirm_minutes", item)
    # The form offers only later minutes of the same partnership.
    response = post_form(
        clerk_client, meeting, next_step="confirm_minutes", confirming_minute=str(earlier.pk)
    )
    assert "Select a valid choice" in response.content.decode()
    response = post_form(clerk_client, meeting, next_step="confirm_minutes")
    assert "choose the minute of a later meeting that confirmed these minutes." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.PUBLISHED and meeting.confirmed_by is None


def test_a_draft_meeting_is_absent_from_every_public_surface(client, settings, tmp_path, sefton):
    settings.MEDIA_ROOT = tmp_path
    public = draft_meeting(sefton, day=PAST)
    apply(public, "publish_minutes")
    draft = draft_meeting(sefton, day=PAST + datetime.timedelta(days=7))
    AttendanceFactory(meeting=draft, name="Wilhelmina Draftperson")
    DeclarationFactory(meeting=draft, name="Wilhelmina Draftperson", interest="Draftinterest")
    document = DocumentFactory(meeting=draft, title="Secret draft paper")
    document.file.save("draft-paper.txt", ContentFile(b"Draftpaper words"), save=True)
    assert draft.minutes_status == MinutesStatus.NONE
    urls = [
        "/",
        "/meetings/",
        "/partnerships/sefton/",
        "/partnerships/sefton/meetings/",
        "/meetings/calendar.ics",
        "/partnerships/sefton/meetings/calendar.ics",
        "/meetings/minutes.atom",
        "/meetings/new.atom",
        "/partnerships/sefton/minutes.atom",
        "/partnerships/sefton/meetings.atom",
        "/sitemap-meetings.xml",
        "/sitemap-minutes.xml",
        "/api/events/",
        "/api/partnerships/sefton/resolutions.csv",
        "/api/partnerships/sefton/attendance.csv",
        "/search/?q=quokka",
        "/search/?q=zebrafish",
        "/search/?q=Secret",
    ]
    hidden = [draft.date.isoformat(), f"{draft.date:%-d %B %Y}", "Wilhelmina", "Secret draft paper"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for words in hidden:
            assert words not in text, (url, words)
    # The public meeting is there, so the pages were not simply empty.
    assert public.get_absolute_url() in client.get("/search/?q=quokka").content.decode()
    assert public.date.isoformat() in client.get("/api/events/").content.decode()
    for url in [
        draft.get_absolute_url(),
        f"{draft.get_absolute_url()}minute-7/",
        f"/meetings/sefton/{draft.date.isoformat()}/calendar.ics",
        document.get_absolute_url(),
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("model", ["Attendance", "AgendaItem"])
def test_the_public_rule_read_without_the_meeting_keeps_the_same_rows(sefton, model):
    """public(without_meeting=True) looks up the drafts by id instead of
    joining every meeting: the same rows either way, in every state."""
    from meetings import models

    for offset, status in enumerate(Status):
        meeting = MeetingFactory(
            partnership=sefton, date=PAST - datetime.timedelta(days=offset), status=status
        )
        AttendanceFactory(meeting=meeting)
        AgendaItemFactory(meeting=meeting, minute_number=offset + 1)
    rows = getattr(models, model).objects
    kept = set(rows.public().values_list("pk", flat=True))
    assert kept == set(rows.public(without_meeting=True).values_list("pk", flat=True))
    assert kept == set(rows.exclude(meeting__status=Status.DRAFT).values_list("pk", flat=True))
    assert len(kept) == len(Status) - 1


def test_a_public_meeting_cannot_be_deleted_and_the_admin_says_why(sefton, clerk):
    meeting = draft_meeting(sefton)
    clerk_client = client_for(clerk)
    assert clerk_client.get(f"/admin/meetings/meeting/{meeting.pk}/delete/").status_code == 200
    apply(meeting, "publish_agenda")
    page = clerk_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert "This meeting is public, so it cannot be deleted." in page
    assert clerk_client.get(f"/admin/meetings/meeting/{meeting.pk}/delete/").status_code == 403
    changelist = clerk_client.get("/admin/meetings/meeting/").content.decode()
    assert "delete_selected" not in changelist
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def meeting_with_items(partnership, count, day=PAST):
    meeting = MeetingFactory(
        partnership=partnership, date=day, status=Status.DRAFT, minutes_status=MinutesStatus.NONE
    )
    for number in range(1, count + 1):
        item = AgendaItemFactory(meeting=meeting, minute_number=number, presenter=None)
        ResolutionFactory(item=item, number=1)
    return meeting


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 40])
def test_saving_a_meeting_runs_a_fixed_number_of_queries(size, sefton, django_assert_num_queries):
    meeting = Meeting.objects.get(pk=meeting_with_items(sefton, size).pk)
    meeting.venue = "Bootle Town Hall"
    with django_assert_num_queries(2):  # the meeting, and its history row
        meeting.save()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 40])
@pytest.mark.parametrize(
    "transition, budget",
    # Counted with the database cache, whose every write is five queries: the
    # page cache's versions (the partnership's and the lists') are written
    # twice, once for the saved row and once by the transition's effects; and
    # (publishing) the agenda pack's job, which runs in the process here, its
    # paper a change within the meeting (its pages', its bodies' and the
    # partnership's overview's versions).
    # Publishing the minutes adds their resolutions to the partnership's
    # count of them (search.ResolutionCount), one statement.
    # Withdrawing first asks which public pages link to the meeting (three
    # queries: postponed to it, confirmed by it, citing its minutes).
    [("publish_agenda", 81), ("mark_held", 81), ("publish_minutes", 86), ("withdraw", 40)],
)
def test_each_transition_runs_a_fixed_number_of_queries(
    size, transition, budget, sefton, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    meeting = meeting_with_items(sefton, size)
    if transition == "withdraw":
        operations.transition(meeting, "publish_agenda")
    with django_assert_max_num_queries(budget), django_capture_on_commit_callbacks(execute=True):
        operations.transition(meeting, transition)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 40])
def test_confirming_minutes_runs_a_fixed_number_of_queries(
    size, sefton, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    meeting = meeting_with_items(sefton, size)
    operations.transition(meeting, "publish_minutes")
    later = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=PAST + datetime.timedelta(days=30))
    )
    with django_assert_max_num_queries(32), django_capture_on_commit_callbacks(execute=True):
        operations.transition(meeting, "confirm_minutes", later)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 40])
def test_changing_a_partnerships_order_in_the_admin_runs_a_fixed_number_of_queries(
    size, sefton, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for n in range(size):
        meeting = meeting_with_items(sefton, 1, day=PAST + datetime.timedelta(days=n))
        operations.transition(meeting, "publish_agenda")
    admin = staff_user("administrator", "Site administrator")
    client = client_for(admin)
    data = form_data(client.get("/admin/partnerships/partnership/"), form_id="changelist-form")
    order_field = next(name for name in data if name.endswith("-order"))
    data[order_field] = "7"
    data["_save"] = "Save"
    with django_assert_max_num_queries(33), django_capture_on_commit_callbacks(execute=True):
        assert client.post("/admin/partnerships/partnership/", data).status_code == 302
    sefton.refresh_from_db()
    assert sefton.order == 7


@pytest.mark.django_db
def test_the_seed_meetings_are_labelled_as_their_pages_support(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_initial_content", stdout=io.StringIO())
    smp, sefton = "safer-merseyside-partnership", "sefton-safer-communities-partnership"
    expected = {
        (smp, "2019-06-14"): "Agenda (minutes not available online)",
        (smp, "2020-09-04"): "Agenda (minutes not available online)",
        (sefton, "2019-09-12"): "Agenda (minutes not available online)",
        (sefton, "2019-12-05"): "Agenda and minutes",
        (sefton, "2020-03-12"): "Agenda and draft minutes",
        (sefton, "2020-06-11"): "Minutes to follow",
    }
    for (slug, day), label in expected.items():
        page = client.get(f"/meetings/{slug}/{day}/").content.decode()
        assert f'<h1 class="govuk-heading-xl">{label}, ' in page, (slug, day)
        assert "Agenda and draft minutes" not in page or label == "Agenda and draft minutes"
    september = client.get(f"/meetings/{sefton}/2019-09-12/").content.decode()
    assert "The minutes of this meeting are not available online." in september
    assert "These minutes were confirmed as a correct record by" in september
    # Only minutes the site holds are news in the minutes feed.
    feed = client.get("/meetings/minutes.atom").content.decode()
    assert f"/meetings/{sefton}/2020-03-12/" in feed and f"/meetings/{sefton}/2019-12-05/" in feed
    assert f"/meetings/{smp}/" not in feed and "2019-09-12" not in feed


@pytest.mark.django_db
def test_a_partnership_with_public_meetings_cannot_be_deleted(sefton, transition):
    administrator = client_for(staff_user("administrator", "Site administrator"))
    meeting = draft_meeting(sefton)
    assert administrator.get(f"/admin/partnerships/partnership/{sefton.pk}/delete/").status_code == 200
    transition(meeting, "publish_minutes")
    page = administrator.get(f"/admin/partnerships/partnership/{sefton.pk}/change/").content.decode()
    assert "This partnership has public meetings, so it cannot be deleted." in page
    assert administrator.get(f"/admin/partnerships/partnership/{sefton.pk}/delete/").status_code == 403
    assert "delete_selected" not in administrator.get("/admin/partnerships/partnership/").content.decode()
    # The bulk action that once deleted a partnership with all its minutes in one POST.
    administrator.post(
        "/admin/partnerships/partnership/",
        {"action": "delete_selected", "_selected_action": [sefton.pk], "post": "yes"},
    )
    assert Meeting.objects.filter(pk=meeting.pk).exists()
