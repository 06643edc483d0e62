"""One way to write a meeting: each way a clerk writes one (the admin's change
form and list actions, the minutes editor, the imports) goes through
publishing.operations, so each keeps the same rules and effects. Each test
drives a path as the clerk does and asserts what the public then sees."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from follow.models import Publication, Subscription
from meetings.models import AgendaItem, Meeting
from tests.helpers import text_of
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.meetings.test_lifecycle import (
    PAST,
    Commits,
    Public,
    apply,
    client_for_anonymous,
    draft_meeting,
    messages_of,
    new_alerts,
    post_action,
    post_form,
)
from tests.partnerships.factories import PersonFactory
from tests.roles import client_for, form_data, staff_user

pytestmark = pytest.mark.django_db
Status, MinutesStatus = Meeting.Status, Meeting.MinutesStatus
DRAFT = {"status": Status.DRAFT, "minutes_status": MinutesStatus.NONE}


@pytest.fixture(autouse=True)
def commits(django_capture_on_commit_callbacks):
    Commits.capture = django_capture_on_commit_callbacks


def links_answer(client, url):
    """Every link of the site on the page at `url`, with its answer."""
    page = BeautifulSoup(client.get(url).content, "html.parser")
    found = {}
    for anchor in page.find_all("a", href=True):
        href = anchor["href"].split("#")[0]
        if href.startswith("/") and not href.startswith("//") and href not in found:
            found[href] = client.get(href).status_code
    return found


def test_minutes_cannot_be_confirmed_by_a_draft_meeting(caching, sefton, clerk):
    meeting = draft_meeting(sefton)
    apply(meeting, "publish_minutes")
    later = MeetingFactory(partnership=sefton, date=PAST + datetime.timedelta(days=90), **DRAFT)
    confirming = AgendaItemFactory(meeting=later, minute_number=1, title="Minutes of the Previous Meeting")
    assert not later.is_public

    response = post_form(
        client_for(clerk), meeting, next_step="confirm_minutes", confirming_minute=str(confirming.pk)
    )
    assert "is still a draft" in text_of(response)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.PUBLISHED and meeting.confirmed_by is None
    # Nothing on the public page links where the public cannot go.
    anonymous = client_for_anonymous()
    assert 404 not in links_answer(anonymous, meeting.get_absolute_url()).values()

    # Once the later meeting is public, the same step is done.
    apply(later, "publish_agenda")
    response = post_form(
        client_for(clerk), meeting, next_step="confirm_minutes", confirming_minute=str(confirming.pk)
    )
    meeting.refresh_from_db()
    assert meeting.confirmed_by == confirming
    assert 404 not in links_answer(anonymous, meeting.get_absolute_url()).values()


def test_a_public_meeting_cannot_be_postponed_to_a_draft(caching, sefton, clerk):
    meeting = MeetingFactory(
        partnership=sefton, date=timezone.localdate() + datetime.timedelta(days=20), **DRAFT
    )
    apply(meeting, "publish_agenda")
    later = MeetingFactory(partnership=sefton, date=meeting.date + datetime.timedelta(days=30), **DRAFT)
    response = post_form(
        client_for(clerk),
        meeting,
        next_step="postpone",
        reason="The chair is unwell.",
        new_meeting=str(later.pk),
    )
    assert "is still a draft" in text_of(response)
    meeting.refresh_from_db()
    assert meeting.status == Status.AGENDA_PUBLISHED


def test_a_meeting_other_public_pages_link_to_cannot_be_withdrawn(caching, sefton, clerk):
    new_date = MeetingFactory(
        partnership=sefton, date=timezone.localdate() + datetime.timedelta(days=60), **DRAFT
    )
    apply(new_date, "publish_agenda")
    postponed = MeetingFactory(
        partnership=sefton, date=timezone.localdate() + datetime.timedelta(days=20), **DRAFT
    )
    apply(postponed, "publish_agenda")
    apply(postponed, "postpone", "The chair is unwell.", new_date)

    response = post_action(client_for(clerk), "withdraw", [new_date])
    assert any("other public pages link to it" in message for message in messages_of(response))
    new_date.refresh_from_db()
    assert new_date.is_public
    assert 404 not in links_answer(client_for_anonymous(), postponed.get_absolute_url()).values()


@pytest.mark.parametrize("path", ["editor", "change form"])
def test_editing_a_public_meetings_date_moves_its_search_entries(caching, sefton, clerk, path):
    """Whichever page the clerk changes the date on: the admin's change form
    has set the new date on the meeting before its operation begins, and the
    operation still sees that it moved."""
    meeting = draft_meeting(sefton)
    apply(meeting, "publish_minutes")
    public = Public(client_for_anonymous(), meeting)
    public.warm()
    old_url = meeting.get_absolute_url()
    assert old_url in public.search("zebrafish")

    browser = client_for(clerk)
    if path == "editor":
        url = f"/admin/meetings/meeting/{meeting.pk}/editor/"
        data = form_data(browser.get(url), "minutes-editor")
        data.update({"date": "2024-03-14", "venue": "Bootle Town Hall", "action": "save"})
    else:
        url = f"/admin/meetings/meeting/{meeting.pk}/change/"
        data = form_data(browser.get(url))
        data.update({"date": "14/03/2024", "venue": "Bootle Town Hall"})
    with Commits.capture(execute=True):
        response = browser.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    meeting.refresh_from_db()
    new_url = meeting.get_absolute_url()
    assert new_url != old_url
    results = public.search("zebrafish")
    assert new_url in results and old_url not in results
    assert "14 March 2024" in public.search("quokka")
    assert public.get(old_url).status_code == 404
    assert "Bootle Town Hall" in public.page()[1]


def test_a_public_meeting_moved_to_another_partnership_on_the_change_form_leaves_the_old_ones_pages(
    caching, sefton, django_user_model
):
    """A site administrator moves a meeting to the partnership it belongs
    to: the old partnership's list of meetings (cached) no longer shows it,
    the new one's does, search finds it at its new address, and the count
    of resolutions moves with it."""
    from search.models import ResolutionCount
    from tests.partnerships.factories import PartnershipFactory

    meeting = draft_meeting(sefton)
    apply(meeting, "publish_minutes")
    wirral = PartnershipFactory(name="Wirral Community Safety Partnership", slug="wirral")
    public = Public(client_for_anonymous(), meeting)
    public.warm()
    old_url = meeting.get_absolute_url()
    assert public.card("/partnerships/sefton/meetings/") is not None
    assert dict(ResolutionCount.objects.values_list("partnership_id", "resolutions")) == {sefton.pk: 1}

    admin = client_for(django_user_model.objects.create_superuser("site-admin", "a@example.org", "x" * 20))
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(admin.get(url))
    data["partnership"] = str(wirral.pk)
    with Commits.capture(execute=True):
        response = admin.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    meeting.refresh_from_db()
    new_url = meeting.get_absolute_url()
    assert meeting.partnership == wirral and new_url != old_url
    assert old_url not in public.get("/partnerships/sefton/meetings/").content.decode()
    assert new_url in public.get("/partnerships/wirral/meetings/").content.decode()
    results = public.search("zebrafish")
    assert new_url in results and old_url not in results
    assert public.get(old_url).status_code == 404
    assert dict(ResolutionCount.objects.values_list("partnership_id", "resolutions")) == {
        sefton.pk: 0,
        wirral.pk: 1,
    }


def test_a_transition_from_the_change_form_writes_one_history_row_naming_it(sefton, clerk):
    meeting = draft_meeting(sefton)
    before = meeting.change_history.count()
    post_form(client_for(clerk), meeting, next_step="publish_agenda")
    rows = list(meeting.change_history.all()[: meeting.change_history.count() - before])
    assert len(rows) == 1
    assert rows[0].history_change_reason == "Publish the agenda"
    assert rows[0].history_user == clerk
    # And the list action names its transition too.
    post_action(client_for(clerk), "mark_held", [meeting])
    assert meeting.change_history.first().history_change_reason == "Mark as held"
    # The admin's history list says which operation each row was.
    history = client_for(clerk).get(f"/admin/meetings/meeting/{meeting.pk}/history/")
    assert "Publish the agenda" in text_of(history) and "Mark as held" in text_of(history)


def test_withdrawing_and_publishing_again_is_not_news_again(caching, sefton, clerk):
    recent = timezone.localdate() - datetime.timedelta(days=7)
    meeting = draft_meeting(sefton, day=recent)
    now = timezone.now()
    search = Subscription.objects.create(
        email="resident@example.org", kind=Subscription.Kind.SEARCH, query="quokka", confirmed_at=now
    )
    apply(meeting, "publish_agenda")
    (first,) = new_alerts()
    assert first.subscription == search and "Quokka patrols" in first.body
    post_action(client_for(clerk), "withdraw", [meeting])
    post_action(client_for(clerk), "publish_agenda", [meeting])
    # The same meeting and minute again: nothing new to tell.
    assert new_alerts() == []


def test_a_past_meeting_entered_in_the_editor_is_archive_not_news(caching, sefton, clerk):
    Subscription.objects.create(
        email="resident@example.org",
        kind=Subscription.Kind.MINUTES,
        partnership=sefton,
        confirmed_at=timezone.now(),
    )
    Subscription.objects.create(
        email="searcher@example.org",
        kind=Subscription.Kind.SEARCH,
        query="quokka",
        confirmed_at=timezone.now(),
    )
    meeting = draft_meeting(sefton, day=datetime.date(2018, 6, 14))
    browser = client_for(clerk)
    editor = browser.get(f"/admin/meetings/meeting/{meeting.pk}/editor/")
    archive_box = BeautifulSoup(editor.content, "html.parser").find(id="id_archive")
    assert archive_box.has_attr("checked")  # proposed for a meeting of 2018
    data = form_data(editor, "minutes-editor")
    data["action"] = "save-and-publish_minutes"
    with Commits.capture(execute=True):
        assert browser.post(f"/admin/meetings/meeting/{meeting.pk}/editor/", data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_are_public
    public = Public(client_for_anonymous(), meeting)
    assert "zebrafish" in public.page()[1]  # public, as it was
    assert not Publication.objects.filter(meeting=meeting).exists()
    assert meeting.get_absolute_url() not in public.feed("minutes")
    assert new_alerts() == []
    assert meeting.change_history.first().history_change_reason.startswith("Edited in the minutes editor")


def test_a_person_named_in_confirmed_minutes_cannot_be_deleted(sefton, caching):
    site_admin = staff_user("admin", "Site administrator", [])
    presenter = PersonFactory(name="Sue Holden", title="")
    meeting = draft_meeting(sefton)
    AgendaItem.objects.filter(meeting=meeting).update(presenter=presenter)
    later = MeetingFactory(partnership=sefton, date=PAST + datetime.timedelta(days=90), **DRAFT)
    confirming = AgendaItemFactory(meeting=later, minute_number=1)
    apply(later, "publish_agenda")
    apply(meeting, "publish_minutes")
    apply(meeting, "confirm_minutes", confirming)
    public = Public(client_for_anonymous(), meeting)
    public.warm()

    admin = client_for(site_admin)
    response = admin.post(f"/admin/partnerships/person/{presenter.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "Cannot delete person" in text_of(response)
    presenter.refresh_from_db()  # still there
    assert "Sue Holden" in public.page()[1]


def test_a_clerk_removing_an_item_of_published_minutes_amends_them_and_cannot_touch_confirmed_ones(
    sefton, clerk, caching
):
    meeting = draft_meeting(sefton)
    extra = AgendaItemFactory(meeting=meeting, minute_number=8, title="Any other business")
    apply(meeting, "publish_minutes")
    browser = client_for(clerk)
    with Commits.capture(execute=True):
        response = browser.post(f"/admin/meetings/agendaitem/{extra.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.amended_at is not None
    assert "These minutes were amended on" in Public(client_for_anonymous(), meeting).page()[1]
    assert meeting.change_history.first().history_change_reason == "Removed a record of the minutes"

    later = MeetingFactory(partnership=sefton, date=PAST + datetime.timedelta(days=90), **DRAFT)
    apply(later, "publish_agenda")
    apply(meeting, "confirm_minutes", AgendaItemFactory(meeting=later, minute_number=1))
    item = meeting.items.get(minute_number=7)
    assert browser.post(f"/admin/meetings/agendaitem/{item.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_next_free_minute_number_is_never_one_already_used(sefton, clerk):
    february = MeetingFactory(partnership=sefton, date=datetime.date(2026, 2, 12), **DRAFT)
    AgendaItemFactory(meeting=february, minute_number=1)
    AgendaItemFactory(meeting=february, minute_number=9)
    september = MeetingFactory(partnership=sefton, date=datetime.date(2025, 9, 18), **DRAFT)
    assert september.next_minute_number() == 2
    item = AgendaItem(meeting=september, minute_number=1, title="Apologies")
    with pytest.raises(Exception) as refused:
        item.full_clean()
    message = " ".join(refused.value.messages)
    assert "already used by the meeting of 12 February 2026" in message
    assert "the next free number is 2" in message


def test_import_minutes_without_publish_leaves_a_draft_as_the_import_page_does(sefton, tmp_path):
    source = tmp_path / "minutes.txt"
    source.write_text(
        "SEFTON SAFER COMMUNITIES PARTNERSHIP\n\nMINUTES OF THE MEETING HELD ON 14 MARCH 2024\n\n"
        "1.\nAPOLOGIES\n\nNo apologies were received.\n"
    )
    with Commits.capture(execute=True):
        call_command("import_minutes", str(source), partnership="sefton", stdout=io.StringIO())
    meeting = Meeting.objects.get(partnership=sefton)
    assert meeting.status == Status.DRAFT
    assert client_for_anonymous().get(meeting.get_absolute_url()).status_code == 404
