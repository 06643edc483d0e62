"""The rules of meetings: minute numbering, confirmation, cross-references,
notice of the agenda and what uploads are accepted."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from meetings.documents import size_display, validate_document
from meetings.models import AgendaItem, ItemReference, Meeting, clear_days_between
from tests.documents import docx_bytes, ole2_bytes, pdf_bytes
from tests.meetings.factories import AgendaItemFactory, DocumentFactory, MeetingFactory
from tests.partnerships.factories import PartnershipFactory

PDF = pdf_bytes()
DOCX = docx_bytes()
OLE2 = ole2_bytes()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.mark.django_db
def test_municipal_year_follows_the_partnerships_start_month():
    sefton = PartnershipFactory(municipal_year_start_month=6)
    assert sefton.municipal_year_of(day("2020-03-12")) == day("2019-06-01")
    assert sefton.municipal_year_of(day("2020-06-11")) == day("2020-06-01")
    meeting = MeetingFactory(partnership=sefton, date=day("2019-12-05"))
    assert meeting.municipal_year == "2019/20"
    calendar = PartnershipFactory(municipal_year_start_month=1)
    assert MeetingFactory(partnership=calendar, date=day("2020-03-12")).municipal_year == "2020"


@pytest.mark.django_db
def test_next_minute_number_runs_on_through_the_year_and_restarts_at_one():
    sefton = PartnershipFactory(municipal_year_start_month=5)
    september = MeetingFactory(partnership=sefton, date=day("2019-09-12"))
    for number in (15, 16, 17):
        AgendaItemFactory(meeting=september, minute_number=number)
    december = MeetingFactory(partnership=sefton, date=day("2019-12-05"))
    assert december.next_minute_number() == 18
    for number in range(28, 40):
        AgendaItemFactory(meeting=december, minute_number=number)
    march = MeetingFactory(partnership=sefton, date=day("2020-03-12"))
    assert march.next_minute_number() == 40
    june = MeetingFactory(partnership=sefton, date=day("2020-06-11"))
    assert june.next_minute_number() == 1
    # Another partnership's numbers are its own.
    assert MeetingFactory(date=day("2020-03-12")).next_minute_number() == 1


@pytest.mark.django_db
def test_a_minute_number_used_earlier_in_the_year_is_a_clear_error():
    sefton = PartnershipFactory()
    december = MeetingFactory(partnership=sefton, date=day("2019-12-05"))
    AgendaItemFactory(meeting=december, minute_number=32, title="PREVENT")
    march = MeetingFactory(partnership=sefton, date=day("2020-03-12"))
    clash = AgendaItem(meeting=march, minute_number=32, title="PREVENT Action Plan")
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    message = str(error.value.message_dict["minute_number"])
    assert "Minute No. 32 is already used by the meeting of 5 December 2019 (PREVENT)" in message
    assert "the next free number is 33" in message
    # The same number in the next municipal year is fine.
    AgendaItem(
        meeting=MeetingFactory(partnership=sefton, date=day("2020-06-11")), minute_number=32, title="x"
    ).full_clean()


@pytest.mark.django_db
def test_a_meeting_cannot_be_confirmed_by_itself_or_an_earlier_meeting():
    sefton = PartnershipFactory()
    september = MeetingFactory(partnership=sefton, date=day("2019-09-12"))
    december = MeetingFactory(partnership=sefton, date=day("2019-12-05"))
    own = AgendaItemFactory(meeting=december, minute_number=30)
    earlier = AgendaItemFactory(meeting=september, minute_number=15)
    with pytest.raises(ValidationError, match="cannot confirm its own minutes"):
        december.confirm_minutes(own)
    with pytest.raises(ValidationError, match="confirmed by a later meeting"):
        december.confirm_minutes(earlier)
    other = AgendaItemFactory(meeting=MeetingFactory(date=day("2020-01-01")))
    with pytest.raises(ValidationError, match="same partnership"):
        september.confirm_minutes(other)
    assert september.minutes_status == Meeting.MinutesStatus.PUBLISHED  # refused: nothing changed
    september.confirm_minutes(own)
    assert september.minutes_status == Meeting.MinutesStatus.CONFIRMED and september.confirmed_by == own


@pytest.mark.django_db
def test_the_label_follows_the_state_alone():
    past = MeetingFactory(status="agenda_published", minutes_status="none", date=day("2019-06-01"))
    assert past.label == "Minutes to follow" and not past.minutes_are_public
    future = MeetingFactory(status="agenda_published", minutes_status="none", date=day("2999-06-01"))
    assert future.label == "Agenda"
    past.minutes_status = "published"
    assert past.label == "Agenda and draft minutes"
    past.minutes_status = "confirmed"
    assert past.label == "Agenda and minutes"
    past.minutes_status = "not_online"
    assert past.label == "Agenda (minutes not available online)"
    future.status = "cancelled"
    assert future.label == "Cancelled"
    future.status = "postponed"
    assert future.label == "Postponed"
    future.postponed_to = MeetingFactory(date=day("2999-07-01"))
    assert future.label == "Postponed to 1 July 2999"


@pytest.mark.django_db
def test_references_link_to_minutes_the_site_holds_whichever_is_entered_first():
    sefton = PartnershipFactory()
    march = MeetingFactory(partnership=sefton, date=day("2020-03-12"))
    citing = AgendaItemFactory(
        meeting=march,
        minute_number=49,
        minutes="Further to Minute No. 32 of the meeting held on 5 December 2019 Chris White updated\n"
        "the Partnership. Further to Minute No. 43 of the meeting held on 14 March 2019 a report.",
    )
    references = list(citing.references.order_by("pk"))
    assert [(r.minute_number, r.meeting_date) for r in references] == [
        (32, day("2019-12-05")),
        (43, day("2019-03-14")),
    ]
    assert references[0].to_item is None  # not entered yet
    # Entering the cited minute afterwards links the reference to it.
    december = MeetingFactory(partnership=sefton, date=day("2019-12-05"))
    prevent = AgendaItemFactory(meeting=december, minute_number=32, title="PREVENT")
    assert list(prevent.cited_by.values_list("from_item", flat=True)) == [citing.pk]
    # Renumbering it unlinks it again, and the minute still saves.
    prevent.minute_number = 33
    prevent.save()
    assert not prevent.cited_by.exists()
    # Editing the citing text re-reads its references.
    citing.minutes = "Nothing cited now."
    citing.save()
    assert not ItemReference.objects.filter(from_item=citing).exists()


@pytest.mark.django_db
def test_references_stay_within_the_partnership():
    MeetingFactory(date=day("2019-12-05"))
    AgendaItemFactory(meeting=Meeting.objects.get(), minute_number=32)
    citing = AgendaItemFactory(minutes="Further to Minute No. 32 of the meeting held on 5th December, 2019.")
    assert citing.references.get().to_item is None


def test_clear_days_exclude_the_day_of_publication_the_meeting_and_weekends():
    # Published Thursday 28 November 2019 for Thursday 5 December: Fri, Mon,
    # Tue, Wed are clear working days.
    assert clear_days_between(day("2019-11-28"), day("2019-12-05")) == 4
    assert clear_days_between(day("2019-11-27"), day("2019-12-05")) == 5


@pytest.mark.django_db
def test_late_agenda_is_flagged():
    meeting = MeetingFactory(date=day("2019-12-05"))
    assert meeting.agenda_clear_days is None and not meeting.agenda_was_late
    meeting.agenda_published_at = timezone.make_aware(datetime.datetime(2019, 11, 28, 16, 0))
    assert meeting.agenda_was_late
    meeting.agenda_published_at = timezone.make_aware(datetime.datetime(2019, 11, 26, 9, 0))
    assert not meeting.agenda_was_late


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", PDF), ("report.docx", DOCX), ("report.doc", OLE2), ("chart.png", PNG)],
)
def test_documents_of_accepted_types_pass(name, content):
    validate_document(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html><script>alert(1)</script>", "not a document type the site publishes"),
        ("script.svg", b"<svg onload=alert(1)>", "not a document type the site publishes"),
        ("noextension", PDF, "not a document type the site publishes"),
        ("report.pdf", b"<html><script>alert(1)</script>", "contents are not"),
        ("report.docx", PDF, "contents are not"),
    ],
)
def test_other_uploads_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_document(SimpleUploadedFile(name, content))


@override_settings(MEETINGS_DOCUMENT_MAX_BYTES=1024)
def test_oversized_uploads_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("big.pdf", b"%PDF-1.7" + b"0" * 2040))
    assert error.value.messages == [
        "\u201cbig.pdf\u201d is 2.0\xa0KB; documents must be 1.0\xa0KB or smaller."
    ]


def test_sizes_display_as_council_sites_print_them():
    assert size_display(76 * 1024) == "76 KB"
    assert size_display(300) == "1 KB"
    assert size_display(int(1.25 * 1024 * 1024)) == "1.2 MB"


@pytest.mark.django_db
def test_an_upload_records_its_own_type_and_size(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(file_type="", size_bytes=None)
    document.file.save("prevent.pdf", io.BytesIO(PDF + b"x" * 2000))
    document.refresh_from_db()
    assert document.format_display == "PDF 2 KB"
    assert document.get_absolute_url() == f"/documents/{document.pk}/prevent.pdf"


@pytest.mark.django_db
def test_minute_addresses_are_those_the_urlconf_gives():
    from django.urls import resolve, reverse

    from tests.meetings.factories import AgendaItemFactory

    item = AgendaItemFactory(minute_number=12)
    meeting = item.meeting
    expected = reverse("meetings:minute", args=[meeting.partnership.slug, meeting.date.isoformat(), 12])
    assert item.get_absolute_url() == expected
    assert resolve(expected).url_name == "minute"
    # A meeting moved to another day links from its new address at once.
    # (A year on by days: the factory's date may be 29 February.)
    meeting.date += datetime.timedelta(days=366)
    assert item.get_absolute_url() == reverse(
        "meetings:minute", args=[meeting.partnership.slug, meeting.date.isoformat(), 12]
    )


@pytest.mark.parametrize("prefix", ["/", "/governance/"])
def test_meeting_addresses_are_those_the_urlconf_gives(prefix):
    """Made from one reverse() per script prefix, a meeting's address is the
    one reverse() gives for every slug and date, under a prefix too."""
    from django.urls import get_script_prefix, reverse, set_script_prefix

    from meetings.models.meetings import meeting_address

    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for slug in ["sefton-safer-communities-partnership", "smp", "a_b-2", "partnership"]:
            for day in [datetime.date(2019, 12, 5), datetime.date(2000, 1, 1), datetime.date(2032, 2, 29)]:
                expected = reverse("meetings:meeting", args=[slug, day.isoformat()])
                assert expected.startswith(prefix)
                assert meeting_address(slug, day) == expected
    finally:
        set_script_prefix(before)
