"""The clerk's "Import minutes" page: upload or paste, see what was read, then
review and save the draft in the minutes editor."""

import datetime
import io

import docx
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from partnerships.models import Partnership
from tests.helpers import FIXTURES
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, form_data, staff_user

SEED = FIXTURES / "seeds" / "004_0be5d7e260bb771b.txt"
MARCH = datetime.date(2020, 3, 12)
URL = reverse("import_minutes")


@pytest.fixture
def sefton(initial_content):
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    Meeting.objects.filter(partnership=sefton, date=MARCH).delete()
    return sefton


@pytest.fixture
def clerk(sefton):
    return staff_user("sefton-clerk", "Clerk", [sefton])


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def test_the_meetings_list_links_to_the_import_page(clerk):
    response = client_for(clerk).get(reverse("admin:meetings_meeting_changelist"))
    assert f'href="{URL}"' in response.content.decode()


def test_a_clerk_reviews_pasted_minutes_then_saves_a_draft(clerk, sefton, client):
    browser = client_for(clerk)
    response = browser.get(URL)
    assert response.status_code == 200
    # A clerk of one partnership finds it chosen.
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one('select[name="partnership"] option[selected]')["value"] == str(sefton.pk)

    text = SEED.read_text(encoding="utf-8")
    response = browser.post(URL, {"partnership": sefton.pk, "text": text, "review": "1"})
    assert response.status_code == 200
    shown = page_text(response)
    assert "Thursday 12 March 2020" in shown
    assert "43. FEMALE OUT OF COURT DISPOSAL PROJECT" in shown
    assert "(2) That it be placed on record and reported back to Merseyside Police" in shown
    assert "Councillor Hardy" in shown
    assert "Everything was placed." in shown
    assert not Meeting.objects.filter(partnership=sefton, date=MARCH).exists()

    page = browser.post(URL, {"partnership": sefton.pk, "text": text, "edit": "1"})
    assert "Not placed by the import" not in page_text(page)
    data = form_data(page, "minutes-editor")
    data["action"] = "save"
    response = browser.post("/admin/meetings/meeting/editor/", data)
    meeting = Meeting.objects.get(partnership=sefton, date=MARCH)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:meetings_meeting_editor", args=[meeting.pk])
    assert meeting.minutes_status == Meeting.MinutesStatus.NONE
    assert meeting.items.count() == 15
    assert meeting.change_history.get().history_user == clerk
    # Draft minutes are not public yet.
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_a_word_file_is_read_and_shown_as_text_to_correct(clerk, sefton):
    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)

    data = io.BytesIO()
    document.save(data)
    upload = SimpleUploadedFile("minutes.docx", data.getvalue())
    response = client_for(clerk).post(URL, {"partnership": sefton.pk, "document": upload, "review": "1"})
    assert "44. MERSEYSIDE COMMUNITY REHABILITATION COMPANY STRATEGIC NEEDS ANALYSIS" in page_text(response)
    textarea = BeautifulSoup(response.content, "html.parser").find("textarea", attrs={"name": "text"})
    assert "FEMALE OUT OF COURT DISPOSAL PROJECT" in textarea.get_text()


def test_text_that_cannot_be_read_is_kept_with_a_clear_message(clerk, sefton):
    browser = client_for(clerk)
    response = browser.post(
        URL, {"partnership": sefton.pk, "text": "Notes of a chat\n\nNothing dated here.", "edit": "1"}
    )
    assert response.status_code == 200
    shown = page_text(response)
    assert "No date of the meeting was found" in shown
    assert "Nothing dated here." in BeautifulSoup(response.content, "html.parser").find("textarea").get_text()
    assert not AgendaItem.objects.filter(meeting__partnership=sefton, meeting__date=MARCH).exists()

    response = browser.post(URL, {"partnership": sefton.pk, "text": "", "review": "1"})
    assert "Upload the minutes or paste their text." in page_text(response)

    upload = SimpleUploadedFile("minutes.rtf", b"{\\rtf1 minutes}")
    response = browser.post(URL, {"partnership": sefton.pk, "document": upload, "review": "1"})
    assert "Upload a Word document (.docx), a PDF, a ModernGov page saved as HTML (.html)" in page_text(
        response
    )

    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4")
    response = browser.post(URL, {"partnership": sefton.pk, "document": upload, "review": "1"})
    assert "could not be read; paste" in page_text(response)

    upload = SimpleUploadedFile("minutes.docx", b"not a zip")
    response = browser.post(URL, {"partnership": sefton.pk, "document": upload, "review": "1"})
    assert "This Word file could not be read" in page_text(response)


def test_a_clerk_cannot_import_into_another_partnership(sefton, db):
    other = PartnershipFactory()
    outsider = staff_user("other-clerk", "Clerk", [other])
    response = client_for(outsider).post(
        URL, {"partnership": sefton.pk, "text": SEED.read_text(encoding="utf-8"), "edit": "1"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in page_text(response)
    assert not Meeting.objects.filter(partnership=sefton, date=MARCH).exists()


def test_confirmed_minutes_are_not_overwritten_by_a_clerk(initial_content):
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    clerk = staff_user("sefton-clerk", "Clerk", [sefton])
    december = FIXTURES / "seeds" / "003_6371fdcc7127ccfa.txt"
    response = client_for(clerk).post(
        URL, {"partnership": sefton.pk, "text": december.read_text(encoding="utf-8"), "edit": "1"}
    )
    assert "are confirmed; only a site administrator may change them" in page_text(response)


def test_only_staff_who_may_add_meetings_reach_the_page(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    officer = staff_user("officer", "Consultation officer")
    assert client_for(officer).get(URL).status_code == 403


def test_minute_numbers_used_by_another_meeting_save_nothing_and_say_why(initial_content):
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    clerk = staff_user("sefton-clerk", "Clerk", [sefton])
    # The March minutes again, dated a month earlier: their numbers are taken.
    text = SEED.read_text(encoding="utf-8").replace("12 MARCH 2020", "12 FEBRUARY 2020")
    browser = client_for(clerk)
    page = browser.post(URL, {"partnership": sefton.pk, "text": text, "edit": "1"})
    data = form_data(page, "minutes-editor")
    data["action"] = "save"
    response = browser.post("/admin/meetings/meeting/editor/", data)
    assert response.status_code == 200
    shown = page_text(response)
    assert "Minute No. 40 is already used by the meeting of 12 March 2020" in shown
    assert not Meeting.objects.filter(partnership=sefton, date=datetime.date(2020, 2, 12)).exists()
    # Everything typed is kept.
    assert form_data(response, "minutes-editor")["items-0-title"] == data["items-0-title"]
