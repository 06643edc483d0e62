"""Every way a clerk writes a meeting, through each kind of change, and what
the public then sees.

The ways (paths): the admin's change form, the admin's list actions, the
minutes editor, the "Import minutes" page with a text file and with a Word
file (both end in the editor, where the clerk saves), the ModernGov import
command and the import_minutes command. The kinds of change: the meeting's
details, an item's wording and title, items added, moved and removed,
attendance, documents, each transition, and the entry of a past meeting
from the archive.

For each pair it drives the path as the clerk does and asserts: the public
page served through the page cache, search, both site-wide Atom feeds, the
alerts queued (none for an archive), and exactly one new history row of the
meeting naming the operation. The test ids are the matrix (`pytest -v`).
"""

import dataclasses
import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from follow.models import Subscription
from meetings.models import AgendaItem, Meeting
from tests.documents import docx_bytes, numbered_report
from tests.helpers import FIXTURES, text_of
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.meetings.test_lifecycle import Commits, client_for_anonymous, new_alerts
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, form_data, staff_user

pytestmark = pytest.mark.django_db
Status, MinutesStatus = Meeting.Status, Meeting.MinutesStatus
RECENT = timezone.localdate() - datetime.timedelta(days=14)
ARCHIVE = datetime.date(2018, 6, 14)
EDITOR = "/admin/meetings/meeting/{}/editor/"


@pytest.fixture(autouse=True)
def commits(django_capture_on_commit_callbacks, settings, tmp_path):
    Commits.capture = django_capture_on_commit_callbacks
    settings.PAGE_CACHE_SECONDS = 300
    settings.SITE_URL = "http://testserver"
    settings.MEDIA_ROOT = tmp_path


@dataclasses.dataclass
class Scene:
    partnership: object
    clerk: object
    browser: object
    public: object
    meeting: Meeting = None

    def page(self, meeting=None):
        meeting = meeting or self.meeting
        return text_of(self.public.get(meeting.get_absolute_url()))

    def search(self, words):
        return self.public.get("/search/", {"q": words}).content.decode()

    def feeds(self):
        return {
            name: self.public.get(f"/meetings/{name}.atom").content.decode() for name in ("minutes", "new")
        }

    def warm(self, *words):
        """Every surface read twice, so that a stale cached copy would show."""
        for _ in range(2):
            if self.meeting is not None:
                self.page()
            self.feeds(), [self.search(word) for word in words]


@pytest.fixture
def scene():
    sefton = PartnershipFactory(
        name="Sefton Safer Communities Partnership", slug="sefton", short_name="Sefton"
    )
    clerk = staff_user("clerk", "Clerk", [sefton])
    now = timezone.now()
    for kind in (Subscription.Kind.MEETINGS, Subscription.Kind.MINUTES):
        Subscription.objects.create(
            email=f"{kind}@example.org", kind=kind, partnership=sefton, confirmed_at=now
        )
    Subscription.objects.create(
        email="search@example.org", kind=Subscription.Kind.SEARCH, query="zebrafish", confirmed_at=now
    )
    return Scene(sefton, clerk, client_for(clerk), client_for_anonymous())


def meeting_of(scene, day=RECENT, status=Status.DRAFT, minutes=MinutesStatus.NONE):
    meeting = MeetingFactory(
        partnership=scene.partnership,
        date=day,
        status=status,
        minutes_status=minutes,
        venue="Bootle Town Hall",
    )
    first = AgendaItemFactory(
        meeting=meeting,
        minute_number=7,
        order=1,
        title="Quokka patrols",
        agenda_text="A report on quokka patrols.",
        minutes="Members welcomed the zebrafish scheme.",
        presenter=None,
        presenter_name="",
    )
    ResolutionFactory(item=first, number=1, text="That the zebrafish scheme be approved.")
    AgendaItemFactory(
        meeting=meeting,
        minute_number=8,
        order=2,
        title="Heron watch",
        agenda_text="",
        minutes="The heron watch continues.",
        presenter=None,
        presenter_name="",
    )
    scene.meeting = meeting
    return meeting


def published(scene, day=RECENT):
    """A meeting whose minutes are public, its news already sent."""
    meeting = meeting_of(scene, day)
    from publishing import operations

    with Commits.capture(execute=True):
        operations.transition(meeting, "publish_minutes", archive=False)
    new_alerts()
    return meeting


# --- The paths ------------------------------------------------------------


def admin_form(scene, **changes):
    url = f"/admin/meetings/meeting/{scene.meeting.pk}/change/"
    data = form_data(scene.browser.get(url))
    files = {key: changes.pop(key) for key in list(changes) if hasattr(changes[key], "read")}
    data.update(changes)
    with Commits.capture(execute=True):
        response = scene.browser.post(url, {**data, **files})
    assert response.status_code == 302, form_errors(response)


def admin_action(scene, action):
    with Commits.capture(execute=True):
        response = scene.browser.post(
            "/admin/meetings/meeting/", {"action": action, "_selected_action": [scene.meeting.pk]}
        )
    assert response.status_code == 302


def editor(scene, action="save", files=None, page=None, **changes):
    page = page or scene.browser.get(EDITOR.format(scene.meeting.pk))
    data = form_data(page, "minutes-editor")
    data.update(changes)
    data["action"] = action
    form = BeautifulSoup(page.content, "html.parser").find("form", id="minutes-editor")
    with Commits.capture(execute=True):
        response = scene.browser.post(form["action"], {**data, **(files or {})})
    assert response.status_code == 302, form_errors(response)
    if scene.meeting is None:
        scene.meeting = Meeting.objects.get(partnership=scene.partnership)


def form_errors(response):
    return re.sub(r"\s+", " ", text_of(response))[:2000] if response.status_code == 200 else response


def import_page(scene, upload, action="save"):
    """The clerk uploads the minutes on the "Import minutes" page, reviews
    the draft in the editor and saves it (or saves and publishes)."""
    read = scene.browser.post(
        "/admin/import-minutes/", {"partnership": scene.partnership.pk, "document": upload, "review": "1"}
    )
    assert "What was read from the minutes" in text_of(read), form_errors(read)
    data = form_data(read, "import_minutes_form")
    page = scene.browser.post("/admin/import-minutes/", {**data, "edit": "1"})
    assert page.status_code == 200 and "Minutes editor" in text_of(page), form_errors(page)
    editor(scene, action, page=page)


def minutes_text(day, wording="Members welcomed the zebrafish scheme.", title="Quokka patrols"):
    return (
        "Sefton Safer Communities Partnership\n\n"
        f"Minutes of the meeting held on {day:%-d %B %Y}\n\n"
        "Venue: Bootle Town Hall\n\n"
        f"7. {title}\n\n{wording}\n\nResolved: That the zebrafish scheme be approved.\n\n"
        "8. Heron watch\n\nThe heron watch continues.\n"
    )


def text_upload(day, **words):
    return SimpleUploadedFile("minutes.txt", minutes_text(day, **words).encode(), content_type="text/plain")


def word_upload(day, **words):
    return SimpleUploadedFile("minutes.docx", docx_bytes(minutes_text(day, **words)))


def command(scene, day, publish=True, **words):
    path = scene.tmp / "minutes.txt"
    path.write_text(minutes_text(day, **words))
    with Commits.capture(execute=True):
        call_command(
            "import_minutes",
            str(path),
            partnership="sefton",
            stdout=io.StringIO(),
            **({"publish": True} if publish else {}),
        )
    scene.meeting = Meeting.objects.get(partnership=scene.partnership, date=day)


def moderngov(scene, day, **replacements):
    xml = (FIXTURES / "moderngov" / "getmeeting_4021.xml").read_text()
    xml = xml.replace("<meetingdate>14/10/2024</meetingdate>", f"<meetingdate>{day:%d/%m/%Y}</meetingdate>")
    for old, new in replacements.items():
        xml = xml.replace(old, new)
    path = scene.tmp / "getmeeting.xml"
    path.write_text(xml)
    with Commits.capture(execute=True):
        call_command("import_moderngov", str(path), partnership="sefton", stdout=io.StringIO())
    scene.meeting = Meeting.objects.get(partnership=scene.partnership, date=day)


# --- What each change must show ------------------------------------------


class Expect:
    """What the public sees after a change, checked on every surface."""

    def __init__(self, scene):
        self.scene = scene
        self.history = Meeting.change_history.count()

    def check(
        self, *, page=(), not_page=(), search=None, not_search=None, feeds=None, alerts=0, history=None
    ):
        scene = self.scene
        scene.meeting.refresh_from_db()
        url = scene.meeting.get_absolute_url()
        text = scene.page()
        for words in page:
            assert words in text, words
        for words in not_page:
            assert words not in text, words
        if search is not None:
            words, target = search
            assert target in scene.search(words), (words, target)
        if not_search is not None:
            words, target = not_search
            assert target not in scene.search(words), (words, target)
        if feeds is not None:
            shown = scene.feeds()
            for name, expected in feeds.items():
                assert (url in shown[name]) == expected, (name, expected)
        queued = new_alerts()
        assert len(queued) == alerts, [alert.subject for alert in queued]
        if history is not None:
            assert Meeting.change_history.count() == self.history + 1
            assert scene.meeting.change_history.first().history_change_reason.startswith(history)


def minute_url(scene, number=7):
    return AgendaItem.objects.get(meeting=scene.meeting, minute_number=number).get_absolute_url()


# --- Edits of a public meeting -------------------------------------------


def inline_index(data, prefix, field, value):
    for key, current in data.items():
        if key.startswith(prefix) and key.endswith(f"-{field}") and current == value:
            return key.removesuffix(f"-{field}")
    raise AssertionError(f"no {prefix} row with {field}={value!r}")


def form_of(scene):
    return form_data(scene.browser.get(f"/admin/meetings/meeting/{scene.meeting.pk}/change/"))


EDITS = ["details", "wording", "title", "item added", "item moved", "item removed", "attendance", "document"]


def admin_form_edit(scene, kind):
    data = form_of(scene)
    if kind == "details":
        return admin_form(scene, venue="Southport Town Hall")
    row = inline_index(data, "items-", "title", "Quokka patrols")
    if kind == "wording":
        return admin_form(scene, **{f"{row}-minutes": "Members welcomed the kingfisher scheme."})
    if kind == "title":
        return admin_form(scene, **{f"{row}-title": "Kingfisher patrols"})
    if kind == "item added":
        total = int(data["items-TOTAL_FORMS"])
        return admin_form(
            scene,
            **{
                "items-TOTAL_FORMS": str(total + 1),
                f"items-{total}-title": "Osprey nesting",
                f"items-{total}-minute_number": "9",
                f"items-{total}-order": "3",
                f"items-{total}-minutes": "The osprey nest was noted.",
            },
        )
    if kind == "item moved":
        other = inline_index(data, "items-", "title", "Heron watch")
        return admin_form(scene, **{f"{row}-order": "2", f"{other}-order": "1"})
    if kind == "item removed":
        other = inline_index(data, "items-", "title", "Heron watch")
        return admin_form(scene, **{f"{other}-DELETE": "on"})
    if kind == "attendance":
        total = int(data["attendances-TOTAL_FORMS"])
        return admin_form(
            scene,
            **{
                "attendances-TOTAL_FORMS": str(total + 1),
                f"attendances-{total}-name": "Councillor Hardy",
                f"attendances-{total}-role": "apologies",
                f"attendances-{total}-order": "1",
            },
        )
    if kind == "document":
        total = int(data["documents-TOTAL_FORMS"])
        return admin_form(
            scene,
            **{
                "documents-TOTAL_FORMS": str(total + 1),
                f"documents-{total}-title": "Osprey report",
                f"documents-{total}-order": "1",
                f"documents-{total}-file": numbered_report("osprey", 1),
            },
        )
    raise AssertionError(kind)


def editor_item_index(page, title):
    data = form_data(page, "minutes-editor")
    return inline_index(data, "items-", "title", title), data


def editor_edit(scene, kind):
    url = EDITOR.format(scene.meeting.pk)
    page = scene.browser.get(url)
    row, data = editor_item_index(page, "Quokka patrols")
    if kind == "details":
        return editor(scene, page=page, venue="Southport Town Hall")
    if kind == "wording":
        return editor(scene, page=page, **{f"{row}-minutes": "Members welcomed the kingfisher scheme."})
    if kind == "title":
        return editor(scene, page=page, **{f"{row}-title": "Kingfisher patrols"})
    if kind == "item added":
        total = int(data["items-TOTAL_FORMS"])
        return editor(
            scene,
            page=page,
            **{
                "items-TOTAL_FORMS": str(total + 1),
                f"items-{total}-title": "Osprey nesting",
                f"items-{total}-minute_number": "9",
                f"items-{total}-minutes": "The osprey nest was noted.",
            },
        )
    if kind == "item moved":
        # "Move down" shows the form rearranged; "Save" writes it.
        index = row.removeprefix("items-")
        rearranged = scene.browser.post(url, {**data, "action": f"down:{index}"})
        return editor(scene, page=rearranged)
    if kind == "item removed":
        other, _ = editor_item_index(page, "Heron watch")
        rearranged = scene.browser.post(url, {**data, "action": f"remove:{other.removeprefix('items-')}"})
        return editor(scene, page=rearranged)
    if kind == "attendance":
        return editor(scene, page=page, **{"others-0-name": "Councillor Hardy", "others-0-role": "apologies"})
    if kind == "document":
        return editor(
            scene,
            page=page,
            files={f"{row}-document_file": numbered_report("osprey", 1)},
            **{f"{row}-document_title": "Osprey report"},
        )
    raise AssertionError(kind)


def reimport_edit(path):
    def edit(scene, kind):
        if kind == "wording":
            words = {"wording": "Members welcomed the kingfisher scheme."}
        else:
            words = {"title": "Kingfisher patrols"}
        if path == "command":
            return command(scene, RECENT, **words)
        upload = text_upload if path == "text import" else word_upload
        return import_page(scene, upload(RECENT, **words))

    return edit


EDIT_PATHS = {
    "admin form": (admin_form_edit, EDITS, "Edited"),
    "editor": (editor_edit, EDITS, "Edited in the minutes editor"),
    "text import": (reimport_edit("text import"), ["wording", "title"], "Edited in the minutes editor"),
    "Word import": (reimport_edit("Word import"), ["wording", "title"], "Edited in the minutes editor"),
    "command": (reimport_edit("command"), ["wording", "title"], "Imported"),
}

# kind: (page shows, page no longer shows, (search words, minute number))
EDIT_SHOWS = {
    "details": (["Southport Town Hall"], ["Bootle Town Hall"], None),
    "wording": (["kingfisher scheme"], ["zebrafish scheme."], ("kingfisher", 7)),
    "title": (["Kingfisher patrols"], ["Quokka patrols"], ("kingfisher", 7)),
    "item added": (["Osprey nesting", "The osprey nest was noted."], [], ("osprey", 9)),
    "item moved": ([], [], None),
    "item removed": (["Quokka patrols"], ["Heron watch"], None),
    "attendance": (["Councillor Hardy"], [], None),
    "document": (["Osprey report"], [], None),
}


@pytest.mark.parametrize(
    "path, kind",
    [(path, kind) for path, (_, kinds, _) in EDIT_PATHS.items() for kind in kinds],
    ids=lambda value: value,
)
def test_an_edit_of_public_minutes_shows_everywhere_once_and_is_not_news(scene, path, kind, tmp_path):
    scene.tmp = tmp_path
    published(scene)
    scene.warm("zebrafish", "kingfisher", "osprey", "heron")
    expect = Expect(scene)
    drive, _, operation = EDIT_PATHS[path]
    drive(scene, kind)
    shows, gone, searched = EDIT_SHOWS[kind]
    page = scene.page()
    if kind == "item moved":
        assert page.index("Heron watch") < page.index("Quokka patrols")
    if kind == "item removed":
        assert scene.meeting.get_absolute_url() + "minute-8/" not in scene.search("heron")
    expect.check(
        page=[*shows, "These minutes were amended on"],
        not_page=gone,
        search=(searched[0], minute_url(scene, searched[1])) if searched else None,
        # Still listed as first published; an edit is not news.
        feeds={"minutes": True, "new": True},
        alerts=0,
        history=operation,
    )


# --- Transitions ----------------------------------------------------------

# transition: (starting state, arguments, label on the page, in the minutes
# feed, in the new-meetings feed, alerts queued)
LATER = RECENT + datetime.timedelta(days=60)
TRANSITIONS = {
    "publish_agenda": ((Status.DRAFT, MinutesStatus.NONE), "Minutes to follow", False, True, 1),
    "mark_held": ((Status.DRAFT, MinutesStatus.NONE), "Minutes to follow", False, True, 1),
    # New meeting, minutes published, and the saved search for "zebrafish".
    "publish_minutes": ((Status.DRAFT, MinutesStatus.NONE), "Agenda and draft minutes", True, True, 3),
    "confirm_minutes": ((Status.HELD, MinutesStatus.PUBLISHED), "Agenda and minutes", True, True, 0),
    "mark_minutes_not_online": (
        (Status.DRAFT, MinutesStatus.NONE),
        "Agenda (minutes not available online)",
        False,
        True,
        1,
    ),
    "cancel": ((Status.AGENDA_PUBLISHED, MinutesStatus.NONE), "Cancelled", False, True, 0),
    "postpone": ((Status.AGENDA_PUBLISHED, MinutesStatus.NONE), "Postponed", False, True, 0),
    "withdraw": ((Status.AGENDA_PUBLISHED, MinutesStatus.NONE), None, False, False, 0),
}
ACTIONS = {
    "publish_agenda": "publish_agenda",
    "mark_held": "mark_held",
    "publish_minutes": "publish_minutes",
    "confirm_minutes": "mark_confirmed",
    "mark_minutes_not_online": "mark_minutes_not_online",
    "withdraw": "withdraw",
}
EDITOR_BUTTONS = {"publish_agenda", "mark_held", "publish_minutes", "withdraw"}


def start(scene, transition):
    (status, minutes), *_ = TRANSITIONS[transition]
    meeting = meeting_of(scene)
    from publishing import operations

    with Commits.capture(execute=True):
        if status != Status.DRAFT:
            operations.transition(meeting, "publish_agenda", archive=False)
        if status == Status.HELD:
            operations.transition(meeting, "publish_minutes", archive=False)
    new_alerts()
    if transition == "confirm_minutes":
        later = MeetingFactory(partnership=scene.partnership, date=LATER, status=Status.AGENDA_PUBLISHED)
        AgendaItemFactory(
            meeting=later,
            minute_number=1,
            title="Minutes of the Previous Meeting",
            minutes=f"That the minutes of the meeting held on {RECENT:%-d %B %Y} be confirmed as a correct record.",
        )
    return meeting


def by_form(scene, transition):
    fields = {"next_step": transition}
    if transition == "confirm_minutes":
        fields["confirming_minute"] = str(AgendaItem.objects.get(meeting__date=LATER).pk)
    if transition in ("cancel", "postpone"):
        fields["reason"] = "The chair is unwell."
    admin_form(scene, **fields)


def by_action(scene, transition):
    admin_action(scene, ACTIONS[transition])


def by_editor(scene, transition):
    editor(scene, action=f"save-and-{transition}")


TRANSITION_PATHS = {
    "admin form": (by_form, list(TRANSITIONS)),
    "admin action": (by_action, list(ACTIONS)),
    "editor": (by_editor, sorted(EDITOR_BUTTONS)),
}


@pytest.mark.parametrize(
    "path, transition",
    [(path, name) for path, (_, names) in TRANSITION_PATHS.items() for name in names],
    ids=lambda value: value,
)
def test_each_transition_by_each_path_shows_everywhere_with_its_news(scene, path, transition):
    meeting = start(scene, transition)
    scene.warm("zebrafish", "quokka")
    expect = Expect(scene)
    TRANSITION_PATHS[path][0](scene, transition)
    _, label, in_minutes_feed, in_new_feed, alerts = TRANSITIONS[transition]
    if label is None:  # withdrawn: gone from the public site
        assert scene.public.get(meeting.get_absolute_url()).status_code == 404
        assert meeting.get_absolute_url() not in scene.search("quokka")
        assert new_alerts() == []
        assert Meeting.change_history.count() == expect.history + 1
        return
    minutes_public = transition in ("publish_minutes", "confirm_minutes")
    expect.check(
        page=[label],
        search=("quokka", meeting.get_absolute_url()),
        not_search=None if minutes_public else ("zebrafish", meeting.get_absolute_url()),
        feeds={"minutes": in_minutes_feed, "new": in_new_feed},
        alerts=alerts,
        history=Meeting.TRANSITIONS[transition]
        if path != "editor"
        else f"Edited in the minutes editor; {Meeting.TRANSITIONS[transition]}",
    )


# --- Entering a meeting, as news and from the archive --------------------


def enter_by_editor(scene, day):
    archive_box = BeautifulSoup(
        scene.browser.get(EDITOR.format(scene.meeting.pk)).content, "html.parser"
    ).find(id="id_archive")
    assert archive_box.has_attr("checked") == (day == ARCHIVE)  # proposed by the meeting's date
    editor(scene, action="save-and-publish_minutes")


def enter_by_form(scene, day):
    admin_form(scene, next_step="publish_minutes")


def enter_by_action(scene, day):
    admin_action(scene, "publish_minutes")


def enter_by_upload(upload):
    def enter(scene, day):
        import_page(scene, upload(day), action="save-and-publish_minutes")

    return enter


# path: (drive, whether the meeting is there as a draft first, its history row)
ENTRY_PATHS = {
    "admin form": (enter_by_form, True, "Publish the minutes"),
    "admin action": (enter_by_action, True, "Publish the minutes"),
    "editor": (enter_by_editor, True, "Edited in the minutes editor; Publish the minutes"),
    "text import": (enter_by_upload(text_upload), False, "Entered; Publish the minutes"),
    "Word import": (enter_by_upload(word_upload), False, "Entered; Publish the minutes"),
    "ModernGov import": (moderngov, False, "Imported; Publish the minutes"),
    "command": (command, False, "Imported; Publish the minutes"),
}


@pytest.mark.parametrize("news", [True, False], ids=["recent meeting (news)", "archive entry"])
@pytest.mark.parametrize("path", list(ENTRY_PATHS), ids=lambda value: value)
def test_entering_minutes_by_each_path_is_news_only_when_recent(scene, path, news, tmp_path):
    scene.tmp = tmp_path
    day = RECENT if news else ARCHIVE
    drive, drafted, history = ENTRY_PATHS[path]
    if drafted:
        meeting_of(scene, day)
    scene.warm("zebrafish", "knife")
    expect = Expect(scene)
    drive(scene, day)
    moderngov_meeting = path == "ModernGov import"
    title = "Knife Crime Prevention Programme" if moderngov_meeting else "Quokka patrols"
    words = "knife" if moderngov_meeting else "zebrafish"
    expect.check(
        page=["Agenda and draft minutes", title],
        search=(words, scene.meeting.get_absolute_url()),
        feeds={"minutes": news, "new": news},
        # The partnership's two followers (meetings, minutes) and the saved
        # search for "zebrafish", for news; nobody for the archive.
        alerts=(2 + (words == "zebrafish")) if news else 0,
        history=history,
    )
