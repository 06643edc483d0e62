# ruff: noqa: F811
"""Each agenda item's rendered body is a fragment of the page cache
(meetings.page_content.load_item_bodies): a page rebuilt after a change
reuses the bodies the change did not touch, and never one it did.

Each test warms the meeting page and the minute pages (storing the bodies),
then marks every stored body so that a reused one shows on the public page,
drives a clerk's change through the admin or the minutes editor
(tests/meetings/test_every_write_path.py), and reads the pages again through
the page cache."""

import pytest
from bs4 import BeautifulSoup

from foundation import page_cache
from glossary.models import Term
from meetings.models import AgendaItem

# The fixtures of the write paths' tests, by their names: pytest finds them
# here (a test's `scene` argument is the fixture, not a redefinition).
from tests.meetings.test_every_write_path import (  # noqa: F401
    EDIT_SHOWS,
    EDITS,
    Commits,
    admin_form,
    admin_form_edit,
    commits,
    editor,
    editor_edit,
    editor_item_index,
    form_of,
    inline_index,
    published,
    scene,
)
from tests.roles import form_data

pytestmark = pytest.mark.django_db

REUSED = "REUSED-BODY"


def warm(scene):
    for _ in range(2):
        scene.page()
        for item in scene.meeting.items.exclude(minute_number=None):
            scene.public.get(item.get_absolute_url())


def mark_stored_bodies(scene):
    """Every body stored for the meeting, marked: a page that reuses one shows it."""
    cache = page_cache.pages()
    key = page_cache.fragment_key(f"item-bodies:{scene.meeting.pk}")
    versions, bodies = cache.get(key)
    meeting_parts = bodies.pop("meeting")
    assert set(bodies) == set(scene.meeting.items.values_list("pk", flat=True))
    marked = {pk: (digest, body + REUSED) for pk, (digest, body) in bodies.items()}
    digest, parts = meeting_parts
    marked["meeting"] = (digest, {**parts, "attendance": parts["attendance"] + REUSED})
    cache.set(key, (versions, marked))


def sections(scene):
    """{title: the text of its section} on the meeting page, and the minute pages' text by number."""
    html = scene.public.get(scene.meeting.get_absolute_url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    found = {
        section.h3.get_text(" ", strip=True): str(section) for section in soup.select("section.app-item")
    }
    minutes = {
        item.minute_number: scene.public.get(item.get_absolute_url()).content.decode()
        for item in AgendaItem.objects.filter(meeting=scene.meeting).exclude(minute_number=None)
    }
    return found, minutes


def person_renamed(scene, admin_client):
    """A person the clerk names as an item's presenter (in the admin), renamed
    by a site administrator once the pages are cached."""
    from partnerships.models import Person

    person = Person.objects.create(name="Alex Smith", slug="alex-smith")
    data = form_of(scene)
    row = inline_index(data, "items-", "title", "Heron watch")
    admin_form(scene, **{f"{row}-presenter": str(person.pk)})
    warm(scene)
    mark_stored_bodies(scene)
    url = f"/admin/partnerships/person/{person.pk}/change/"
    with Commits.capture(execute=True):
        response = admin_client.post(url, {**form_data(admin_client.get(url)), "name": "Alex Jones"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "path, kind",
    [(path, kind) for path in ("admin form", "editor") for kind in EDITS],
    ids=lambda value: value,
)
def test_a_clerks_change_never_shows_a_stale_body(scene, path, kind, tmp_path):
    scene.tmp = tmp_path
    published(scene)
    warm(scene)
    mark_stored_bodies(scene)
    with Commits.capture(execute=True):
        (admin_form_edit if path == "admin form" else editor_edit)(scene, kind)
    shows, gone, _ = EDIT_SHOWS[kind]
    found, minutes = sections(scene)
    whole = scene.page()
    assert all(words in whole for words in shows) and not any(words in whole for words in gone)
    if kind == "wording":
        # Only the corrected item's body is built again; the other's is
        # reused, and so are the meeting's attendance, declarations and papers.
        assert "kingfisher scheme" in found["7. Quokka patrols"]
        assert REUSED not in found["7. Quokka patrols"] and REUSED not in minutes[7]
        assert whole.count(REUSED) == 2
    else:
        # Anything else the bodies may show: all built again, and the
        # meeting's own parts too.
        assert REUSED not in whole
        assert not any(REUSED in html for html in minutes.values())


def test_a_wording_correction_in_the_admin_rebuilds_that_body_alone(scene):
    published(scene)
    warm(scene)
    mark_stored_bodies(scene)
    admin_form_edit(scene, "wording")
    found, minutes = sections(scene)
    assert "kingfisher scheme" in found["7. Quokka patrols"] and REUSED not in found["7. Quokka patrols"]
    assert REUSED in found["8. Heron watch"] and REUSED in minutes[8]
    assert "kingfisher scheme" in minutes[7] and REUSED not in minutes[7]


def test_a_resolution_corrected_in_the_editor_shows(scene):
    published(scene)
    warm(scene)
    mark_stored_bodies(scene)
    page = scene.browser.get(f"/admin/meetings/meeting/{scene.meeting.pk}/editor/")
    row, _ = editor_item_index(page, "Quokka patrols")
    editor(scene, page=page, **{f"{row}-resolutions": "That the kingfisher scheme be approved."})
    found, minutes = sections(scene)
    assert "That the kingfisher scheme be approved." in found["7. Quokka patrols"]
    assert "That the kingfisher scheme be approved." in minutes[7]
    assert REUSED not in "".join(found.values())


def test_a_person_renamed_in_the_admin_shows_in_the_bodies_that_name_them(scene, admin_client):
    published(scene)
    person_renamed(scene, admin_client)
    found, minutes = sections(scene)
    assert "Alex Jones" in found["8. Heron watch"] and "Alex Smith" not in found["8. Heron watch"]
    assert "Alex Jones" in minutes[8]
    assert REUSED not in "".join(found.values())


def test_a_glossary_term_added_is_marked_at_its_first_use_on_each_page(scene):
    published(scene)
    warm(scene)
    mark_stored_bodies(scene)
    with Commits.capture(execute=True):
        Term.objects.create(abbreviation="ZFS", expansion="Zebrafish scheme")
    page = scene.browser.get(f"/admin/meetings/meeting/{scene.meeting.pk}/editor/")
    quokka, _ = editor_item_index(page, "Quokka patrols")
    heron, _ = editor_item_index(page, "Heron watch")
    editor(
        scene,
        page=page,
        **{f"{quokka}-minutes": "The ZFS was welcomed.", f"{heron}-minutes": "The ZFS continues."},
    )
    found, minutes = sections(scene)
    marked = '<abbr title="Zebrafish scheme">ZFS</abbr>'
    # Marked once on the meeting page (in the first item), once on each minute page.
    assert marked in found["7. Quokka patrols"] and marked not in found["8. Heron watch"]
    assert "The ZFS continues." in found["8. Heron watch"]
    assert minutes[7].count(marked) == 1 and minutes[8].count(marked) == 1
    assert REUSED not in "".join(found.values())
