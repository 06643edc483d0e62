"""The public meeting pages: what they show, that bad addresses are 404s,
how documents are served, and fixed query counts at two sizes of data."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.helpers import text_of
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DeclarationFactory,
    DocumentFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.partnerships.factories import PartnershipFactory, PersonFactory
from tests.partnerships.test_partnership_pages import HOME_QUERIES

# Query budgets: each page's count is fixed, whatever the amount of data.
# Every public page also reads the glossary's terms once (glossary.middleware).
GLOSSARY_QUERIES = 1
# upcoming 1, recent 1, partnerships 1, municipal years of the filter 1
INDEX_QUERIES = 4 + GLOSSARY_QUERIES
# partnership 1, its meetings 1
PARTNERSHIP_MEETINGS_QUERIES = 2 + GLOSSARY_QUERIES
# meeting (with partnership and confirming minute) 1, items 1, resolutions 1,
# actions (with owners) 1, references both ways 1, minutes it confirmed 1,
# reports on actions both ways 1, attendance 1, declarations 1, documents
# (with whether each has a reading copy) 1, next meeting 1
MEETING_QUERIES = 11 + GLOSSARY_QUERIES
# item (with meeting) 1, resolutions 1, actions (with owners) 1, references
# both ways 1, minutes it confirmed 1, reports on actions both ways 1, documents 1
MINUTE_QUERIES = 7 + GLOSSARY_QUERIES
# person 1, seats 1, attendance 1, names as presenter 1 (PERSON_QUERIES in tests/partnerships/test_partnership_pages.py)
PERSON_WITH_ATTENDANCE_QUERIES = 4 + GLOSSARY_QUERIES

SEFTON = "sefton-safer-communities-partnership"
SMP = "safer-merseyside-partnership"
DECEMBER = f"/meetings/{SEFTON}/2019-12-05/"
MARCH = f"/meetings/{SEFTON}/2020-03-12/"


def make_meeting(size):
    """A meeting with `size` of everything its page lists."""
    partnership = PartnershipFactory()
    earlier = MeetingFactory(partnership=partnership, date=datetime.date(2019, 9, 12))
    cited = AgendaItemFactory(meeting=earlier, minute_number=1)
    meeting = MeetingFactory(partnership=partnership, date=datetime.date(2019, 12, 5))
    later = MeetingFactory(partnership=partnership, date=datetime.date(2020, 3, 12))
    confirming = AgendaItemFactory(meeting=later, minute_number=500)
    meeting.confirmed_by = confirming
    meeting.minutes_status = Meeting.MinutesStatus.CONFIRMED
    meeting.save()
    for index in range(size):
        item = AgendaItemFactory(
            meeting=meeting,
            minute_number=100 + index,
            minutes="Further to Minute No. 1 of the meeting held on 12 September 2019 it was noted.",
        )
        AgendaItemFactory(
            meeting=later,
            minute_number=200 + index,
            minutes=f"Further to Minute No. {100 + index} of the meeting held on 5 December 2019 more.",
        )
        for _ in range(2):
            resolution = ResolutionFactory(item=item)
            ActionFactory(resolution=resolution)
        DocumentFactory(meeting=meeting, item=item)
        DocumentFactory(meeting=meeting)
        AttendanceFactory(meeting=meeting, role="present")
        AttendanceFactory(meeting=meeting, role="apologies")
        DeclarationFactory(meeting=meeting, item=item)
    assert cited.cited_by.count() == size
    return meeting


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 10])
def test_meeting_and_minute_pages_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    meeting = make_meeting(size)
    with django_assert_max_num_queries(MEETING_QUERIES):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="app-item"') == size
    assert page.count('class="app-resolutions__item"') == 2 * size
    assert "Later minutes on this" in page
    item = meeting.items.first()
    with django_assert_max_num_queries(MINUTE_QUERIES):
        response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="app-resolutions__item"') == 2


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 10])
def test_lists_and_person_page_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    partnership = PartnershipFactory()
    person = PersonFactory()
    today = timezone.localdate()
    for index in range(size):
        past = MeetingFactory(partnership=partnership, date=today - datetime.timedelta(days=400 + 30 * index))
        MeetingFactory(partnership=partnership, date=today + datetime.timedelta(days=1 + index))
        AttendanceFactory(meeting=past, person=person, role="apologies" if index % 2 else "present")
    with django_assert_max_num_queries(INDEX_QUERIES):
        response = client.get(reverse("meetings:index"))
    assert response.content.decode().count(partnership.name) >= size
    with django_assert_max_num_queries(PARTNERSHIP_MEETINGS_QUERIES):
        response = client.get(reverse("meetings:partnership", args=[partnership.slug]))
    assert response.content.decode().count('class="app-card-list__item"') == 2 * size
    with django_assert_max_num_queries(PERSON_WITH_ATTENDANCE_QUERIES):
        response = client.get(person.get_absolute_url())
    assert text_of(response).count(f"{partnership.name}, ") == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 10])
def test_lists_of_postponed_meetings_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    """A postponed meeting's card says the date it moved to: read with the
    list, not a query for each card."""
    partnership = PartnershipFactory()
    today = timezone.localdate()
    for index in range(size):
        to = MeetingFactory(partnership=partnership, date=today + datetime.timedelta(days=60 + index))
        MeetingFactory(
            partnership=partnership,
            date=today + datetime.timedelta(days=1 + index),
            status="postponed",
            postponed_to=to,
        )
    # The soonest postponed meeting, listed by every page, the home page too.
    moved_to = f"Postponed to {today + datetime.timedelta(days=60):%-d %B %Y}"
    for address, limit in [
        (reverse("meetings:index"), INDEX_QUERIES),
        (reverse("meetings:partnership", args=[partnership.slug]), PARTNERSHIP_MEETINGS_QUERIES),
        ("/", HOME_QUERIES),
    ]:
        with django_assert_max_num_queries(limit):
            page = client.get(address).content.decode()
        assert moved_to in page, address


@pytest.mark.django_db
def test_a_list_card_says_what_the_meetings_own_page_offers_in_every_state(client):
    """Lists read light rows rather than meetings: each card still links to
    the meeting's page, says what that page offers as the meeting itself
    words it (Meeting.label), and tags a cancelled or postponed meeting."""
    partnership = PartnershipFactory(municipal_year_start_month=1)
    today = timezone.localdate()
    moved_to = MeetingFactory(partnership=partnership, date=today + datetime.timedelta(days=90))
    states = [
        (-40, {"status": "held", "minutes_status": "confirmed"}),
        (-30, {"status": "held", "minutes_status": "published"}),
        (-20, {"status": "held", "minutes_status": "not_online"}),
        (-10, {"status": "held", "minutes_status": "none"}),
        (10, {"status": "agenda_published", "minutes_status": "none"}),
        (20, {"status": "cancelled"}),
        (30, {"status": "postponed", "postponed_to": moved_to}),
        (40, {"status": "postponed"}),
    ]
    meetings = [
        MeetingFactory(partnership=partnership, date=today + datetime.timedelta(days=days), **fields)
        for days, fields in states
    ]
    pages = [
        client.get(reverse("meetings:partnership", args=[partnership.slug])).content.decode(),
        client.get(reverse("meetings:index")).content.decode(),
        client.get(reverse("meetings:index"), {"partnership": partnership.slug}).content.decode(),
    ]
    labels = set()
    for page in pages:
        cards = {
            card.split('href="', 1)[1].split('"', 1)[0]: card
            for card in page.split("app-card-list__item")[1:]
        }
        for meeting in meetings:
            card = cards[meeting.get_absolute_url()]
            assert f'<span class="govuk-!-display-block app-meta">{meeting.label}</span>' in card
            tagged = meeting.status in ("cancelled", "postponed")
            assert (f">{meeting.get_status_display()}</strong>" in card) == tagged
            labels.add(meeting.label)
    assert len(labels) == len(states)  # every wording, once each
    assert f"Postponed to {moved_to.date:%-d %B %Y}" in labels
    # Grouped by the partnership's own municipal year (from January: "2027").
    by_year = pages[0]
    for meeting in meetings:
        assert by_year.index(f">{meeting.municipal_year}</h2>") < by_year.index(meeting.get_absolute_url())


@pytest.mark.django_db
def test_home_page_shows_the_next_meetings(client):
    meeting = MeetingFactory(
        date=timezone.localdate() + datetime.timedelta(days=3), status="agenda_published"
    )
    MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=3))
    page = client.get("/").content.decode()
    assert "Next meetings" in page
    assert meeting.get_absolute_url() in page
    assert page.count('class="app-card-list__item"') >= 1
    assert reverse("meetings:index") in page


@pytest.mark.django_db
def test_the_header_navigation_shows_meetings(client):
    assert 'href="/meetings/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_visitor_from_the_home_page_reaches_every_sefton_meeting(client, initial_content):
    home = client.get("/").content.decode()
    assert 'href="/meetings/"' in home
    index = client.get("/meetings/").content.decode()
    assert f'href="/partnerships/{SEFTON}/meetings/"' in index
    listing = client.get(f"/partnerships/{SEFTON}/meetings/").content.decode()
    assert listing.index("2020/21") < listing.index("2019/20")  # newest year first
    for address in [DECEMBER, MARCH, f"/meetings/{SEFTON}/2019-09-12/", f"/meetings/{SEFTON}/2020-06-11/"]:
        assert f'href="{address}"' in listing
    smp = client.get(f"/partnerships/{SMP}/meetings/").content.decode()
    for iso in ["2019-06-14", "2019-09-06", "2020-01-21", "2020-09-04"]:
        assert f'href="/meetings/{SMP}/{iso}/"' in smp
    partnership_page = client.get(f"/partnerships/{SEFTON}/").content.decode()
    assert f'href="/partnerships/{SEFTON}/meetings/"' in partnership_page


@pytest.mark.django_db
def test_december_2019_meeting_shows_every_fact_of_the_seed(client, initial_content):
    response = client.get(DECEMBER)
    assert response.status_code == 200
    page = text_of(response)
    assert "Agenda and minutes, Thursday 5 December 2019" in page
    for fact in [
        "3pm",
        "Committee Room, Town Hall, Bootle",
        "Paul Fraser, Democratic Services Officer",
        "Apologies Councillor T. Hardy Karen Rooney",
        "The list of those present is not available online.",
        "confirmed as a correct record by Minute No. 42 of the meeting held on 12 March 2020",
        "Minutes of the meeting held on 12 September 2019",
        "With reference to Minutes No. 20",
        "Minutes of Previous Meeting (PDF 76 KB)",
        "PREVENT (PDF 384 KB)",
        "Information Sharing Agreement (PDF 245 KB)",
        "Integrated Youth Services - Update Report (PDF 88 KB)",
        "This document is not available online.",
        "Merseyside Violence Reduction Unit (VRU)",
        "Presented by Mark Wiggins",
        "(2) this item remain on the Agenda for future meetings",
        "Presented by Steve Martlew",
        "Presented by Chief Inspector Matthew Moscrop",
        "Action: Chris White: forward details to CI Moscrop",
        "Presented by Tanya Wilcock",
        "Presented by Rosanna Stanley",
        "Shining Star Award",
        "Complex Safeguarding sub group",
        "That a review and refresh of the membership",
        "That the next meeting be held on Thursday,12 March, 2020 at the Town Hall, Bootle",
        "Next meeting Thursday 12 March 2020, 10am, Town Hall, Bootle",
    ]:
        assert fact in page, fact
    for number in range(28, 40):
        assert f'id="minute-{number}"' in response.content.decode()


@pytest.mark.django_db
def test_march_2020_meeting_shows_every_fact_of_the_seed(client, initial_content):
    response = client.get(MARCH)
    page = text_of(response)
    assert "Agenda and draft minutes, Thursday 12 March 2020" in page
    assert "draft, subject to confirmation" in page
    for fact in [
        "Present Councillor Hardy (in the Chair) Councillor John Sayers Councillor Shaw Jenny Currie",
        "Sue Simmons David Hunter Also present Councillor Maher",
        "Apologies Tony Harland Superintendent Graham Robson Stephen Martlew Nicky Horn",
        "None were declared.",
        "That the Minutes of the meeting held on 5 December 2019 be confirmed as a correct record.",
        "These are the minutes that confirmed the minutes of the meeting held on 5 December 2019",
        "(3) A letter of support for such funding be sent on behalf of the Partnership.",
        "updated data as at 9 January 2020",
        "over 60 representatives",
        "Linacre Methodist Mission, Litherland",
        "Presented by Steven Martlew",
        "Superintendent O\u2019Malley highlighted",
        "(5) A presentation on homeless services be given to a future meeting of the Partnership.",
        "Presented by Ros Stanley",
        "Education and Children\u2019s Social Care be approved",
        "Sue Holden would be the link",
        "That the next meeting be held on Thursday, 11 June, 2020 at Bootle Town Hall",
        "Next meeting Thursday 11 June 2020, 10am, Bootle Town Hall",
    ]:
        assert fact in page, fact
    html = response.content.decode()
    for number in range(40, 55):
        assert f'id="minute-{number}"' in html
    # Minute No. 32 and 38 of 5 December link to those minutes; the 14 March
    # 2019 meeting is not on the site, so its reference is plain text.
    assert (
        f'Further to <a class="govuk-link" href="{DECEMBER}minute-32/">Minute No. 32 of the meeting held on '
        "5 December 2019</a>" in html
    )
    assert f'<a class="govuk-link" href="{DECEMBER}minute-38/">Minute No. 38 of the meeting' in html
    assert "Further to Minute No. 43 of the meeting held on 14 March 2019 David Hunter" in html


@pytest.mark.django_db
def test_a_minute_page_shows_the_later_minutes_that_refer_to_it(client, initial_content):
    response = client.get(f"{DECEMBER}minute-32/")
    page = text_of(response)
    assert "Minute No. 32: PREVENT" in page
    assert "Later minutes on this Minute No. 49, 12 March 2020: PREVENT ACTION PLAN" in page
    assert f'href="{MARCH}minute-49/"' in response.content.decode()
    assert "(1) The revised PREVENT strategy as now submitted be approved" in page
    assert 'id="minute-32-resolution-2"' in response.content.decode()


@pytest.mark.django_db
def test_the_later_minutes_on_an_item_are_listed_oldest_first(client):
    partnership = PartnershipFactory()
    cited = AgendaItemFactory(
        meeting=MeetingFactory(partnership=partnership, date=datetime.date(2019, 9, 12)), minute_number=7
    )
    reference = "Minute No. 7 of the meeting held on 12 September 2019"
    # Saved newest first, so that the rows' order is not the page's.
    for day, number in [
        (datetime.date(2020, 3, 12), 30),
        (datetime.date(2019, 12, 5), None),
        (datetime.date(2019, 12, 5), 21),
    ]:
        meeting = Meeting.objects.filter(partnership=partnership, date=day).first()
        meeting = meeting or MeetingFactory(partnership=partnership, date=day)
        AgendaItemFactory(
            meeting=meeting,
            minute_number=number,
            title=f"Citing {number}",
            minutes=f"Further to {reference}.",
        )
    page = text_of(client.get(cited.get_absolute_url()))
    assert "Later minutes on this" in page
    listed = page[page.index("Later minutes on this") :]
    assert listed.index("Citing 21") < listed.index("Citing None") < listed.index("Citing 30")
    # The same on the meeting page.
    page = text_of(client.get(cited.meeting.get_absolute_url()))
    listed = page[page.index("Later minutes on this") :]
    assert listed.index("Citing 21") < listed.index("Citing None") < listed.index("Citing 30")


@pytest.mark.django_db
def test_meetings_without_minutes_online_say_so(client, initial_content):
    september = text_of(client.get(f"/meetings/{SEFTON}/2019-09-12/"))
    assert "The minutes of this meeting are not available online." in september
    assert (
        "confirmed as a correct record by Minute No. 30 of the meeting held on 5 December 2019" in september
    )
    for iso in ["2019-06-14", "2019-09-06", "2020-01-21"]:
        page = text_of(client.get(f"/meetings/{SMP}/{iso}/"))
        assert "The minutes of this meeting were published on the previous website." in page
        assert "The minutes of this meeting are not available online." in page
        assert "subject to confirmation" not in page
    suspension = text_of(client.get(f"/meetings/{SMP}/2020-09-04/"))
    assert "the chair proposed that due to the coronavirus pandemic" in suspension
    assert "an interim extraordinary meeting could be arranged if required" in suspension


@pytest.mark.django_db
def test_a_minute_page_links_its_whole_meeting_by_what_its_page_offers_in_a_sentence(client, transition):
    """ "The whole meeting: agenda and draft minutes, ..."; a meeting postponed
    (its agenda numbered ahead) keeps its new date's month capitalised."""
    item = AgendaItemFactory(minute_number=4)
    page = text_of(client.get(item.get_absolute_url()))
    assert f"The whole meeting: agenda and draft minutes, {item.meeting.date:%-d %B %Y}" in page

    coming = MeetingFactory(
        date=timezone.localdate() + datetime.timedelta(days=20), status="draft", minutes_status="none"
    )
    numbered = AgendaItemFactory(meeting=coming, minute_number=1)
    transition(coming, "publish_agenda")
    new_date = MeetingFactory(partnership=coming.partnership, date=coming.date + datetime.timedelta(days=60))
    transition(coming, "postpone", "The chair is unwell.", new_date)
    page = text_of(client.get(numbered.get_absolute_url()))
    assert f"The whole meeting: postponed to {new_date.date:%-d %B %Y}, {coming.date:%-d %B %Y}" in page


@pytest.mark.django_db
def test_cancelled_meeting_says_so(client):
    meeting = MeetingFactory(status="cancelled", minutes_status="none")
    assert "This meeting was cancelled." in text_of(client.get(meeting.get_absolute_url()))


@pytest.mark.django_db
def test_unpublished_minutes_are_not_shown(client):
    item = AgendaItemFactory(
        meeting=MeetingFactory(minutes_status="none"), minutes="Secret working draft", title="Budget"
    )
    ResolutionFactory(item=item, text="A draft resolution")
    page = client.get(item.meeting.get_absolute_url()).content.decode()
    assert "Budget" in page
    assert "Secret working draft" not in page and "A draft resolution" not in page


@pytest.mark.django_db
def test_exempt_items_show_title_and_reason_but_not_text(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = AgendaItemFactory(
        title="Contract award",
        minutes="Confidential price details",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="It contains the bidders' commercial information",
    )
    ResolutionFactory(item=item, text="Award to the cheapest bidder")
    document = DocumentFactory(meeting=item.meeting, item=item, title="Tender evaluation")
    document.file.save("tender.pdf", ContentFile(b"%PDF-1.4 secret"))
    page = text_of(client.get(item.get_absolute_url()))
    assert "Contract award" in page
    assert "paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972" in page
    assert "commercial information" in page
    for secret in ["Confidential price details", "Award to the cheapest bidder", "Tender evaluation"]:
        assert secret not in page
    assert client.get(document.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_clerk_text_is_escaped(client):
    item = AgendaItemFactory(minutes='<script>alert("x")</script>', title="<b>Bold</b>")
    page = client.get(item.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page
    assert "<b>Bold</b>" not in page


@pytest.mark.django_db
def test_what_the_meeting_page_makes_in_python_shows_as_typed_escaped(client):
    """The meeting's attendance, declarations, papers, contents and item
    sections are made in Python (meetings.meeting_parts, meetings_tags):
    each value typed by a clerk shows as typed, never as markup."""
    partnership = PartnershipFactory(contact_name="Sue O'Neil & <Co>", contact_email="clerk@example.org")
    meeting = MeetingFactory(partnership=partnership)
    item = AgendaItemFactory(
        meeting=meeting,
        minute_number=7,
        title='Knife crime <b>"update"</b>',
        presenter=None,
        presenter_name="Supt A & B",
    )
    ActionFactory(resolution=ResolutionFactory(item=item), owner=None, owner_name="Clerk <em>& Co</em>")
    AttendanceFactory(meeting=meeting, person=None, name="Cllr <i>Ian</i> Moncur", is_chair=True)
    AttendanceFactory(meeting=meeting, person=None, name="A & B", role="apologies")
    DeclarationFactory(
        meeting=meeting, item=item, person=None, name="Cllr Dan", interest="<script>x</script> governor"
    )
    DocumentFactory(meeting=meeting, item=None, title="Agenda <img src=x>", file_type="", size_bytes=0)
    DocumentFactory(
        meeting=meeting, item=item, title="Report's <u>annex</u>", source_url="https://example.org/a?b=1&c=2"
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    for markup in ["<b>", "<i>", "<script>x", "<img src=x>", "<u>", "<Co>", "<em>", "&amp;amp;"]:
        assert markup not in page
    assert "Cllr &lt;i&gt;Ian&lt;/i&gt; Moncur (in the Chair)" in page
    assert "<li>A &amp; B</li>" in page
    assert "Presented by Supt A &amp; B</p>" in page
    assert "<strong>Action:</strong> Clerk &lt;em&gt;&amp; Co&lt;/em&gt;:" in page
    assert (
        "(Minute No. 7, Knife crime &lt;b&gt;&quot;update&quot;&lt;/b&gt;): &lt;script&gt;x&lt;/script&gt; governor"
        in page
    )
    assert "Agenda &lt;img src=x&gt;" in page
    assert "Email Sue O&#x27;Neil &amp; &lt;Co&gt; to ask for a copy" in page
    assert 'href="https://example.org/a?b=1&amp;c=2">Report&#x27;s &lt;u&gt;annex&lt;/u&gt;' in page
    assert (
        '<span class="app-contents__number">7.</span> Knife crime &lt;b&gt;&quot;update&quot;&lt;/b&gt;</a>'
        in page
    )
    assert '<h3 class="govuk-heading-m" id="minute-7-title">7. Knife crime &lt;b&gt;' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/meetings/{SEFTON}/2019-02-30/",
        f"/meetings/{SEFTON}/2019-13-01/",
        f"/meetings/{SEFTON}/5-december-2019/",
        f"/meetings/{SEFTON}/2019-12-05/minute-99/",
        f"/meetings/{SEFTON}/2019-12-05/minute-x/",
        "/meetings/no-such-partnership/2019-12-05/",
        "/partnerships/no-such-partnership/meetings/",
        "/documents/999/report.pdf",
        "/documents/abc/report.pdf",
    ],
)
def test_bad_addresses_are_styled_404s(client, initial_content, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "govuk-template" in response.content.decode()


@pytest.mark.django_db
def test_documents_download_as_attachments_never_rendered(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(title="PREVENT strategy")
    document.file.save("prevent.pdf", ContentFile(b"%PDF-1.4 the strategy"))
    page = client.get(document.meeting.get_absolute_url()).content.decode()
    assert f'href="{document.get_absolute_url()}"' in page
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="prevent.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the strategy"
    # Another file name for the same document goes to the real one.
    wrong = client.get(f"/documents/{document.pk}/other.pdf")
    assert wrong.status_code == 301 and wrong["Location"] == document.get_absolute_url()


@pytest.mark.django_db
def test_person_page_shows_attendance_record(client, initial_content):
    page = text_of(client.get("/people/chris-white/"))
    assert "Attendance at meetings" in page
    assert "present 1" in page
    assert "Sefton Safer Communities Partnership, 12 March 2020: present" in page
    hardy = text_of(client.get("/people/councillor-t-hardy/"))
    assert "5 December 2019: apologies" in hardy
    # "Councillor Hardy" in the chair on 12 March is not linked until a clerk links it.
    assert "12 March 2020" not in hardy


@pytest.mark.django_db
def test_a_persons_attendance_lists_each_public_meeting_newest_first(client):
    """Newest first; two meetings on one day by the partnership's name; each
    line links to the meeting's attendance and says the role, and the chair;
    a draft meeting's attendance is not shown or counted; every value
    escaped."""
    person = PersonFactory(name="Councillor Jo Bloggs")
    sefton = PartnershipFactory(name="Sefton <Safer> Communities Partnership", slug="sefton")
    knowsley = PartnershipFactory(name="Knowsley Community Safety Partnership", slug="knowsley")
    day = datetime.date(2020, 3, 12)
    for partnership, date, role, chair in [
        (sefton, day, "present", True),
        (knowsley, day, "apologies", False),
        (sefton, datetime.date(2019, 12, 5), "also_present", False),
        (knowsley, datetime.date(2021, 1, 20), "absent", False),
    ]:
        meeting = MeetingFactory(partnership=partnership, date=date)
        AttendanceFactory(meeting=meeting, person=person, role=role, is_chair=chair)
    draft = MeetingFactory(partnership=sefton, date=datetime.date(2022, 6, 1), status=Meeting.Status.DRAFT)
    AttendanceFactory(meeting=draft, person=person)

    response = client.get(person.get_absolute_url())
    record = response.content.decode().split('class="govuk-list app-attendance-record">')[1].split("</ul>")[0]
    assert [line.strip() for line in record.strip().splitlines()] == [
        '<li><a class="govuk-link" href="/meetings/knowsley/2021-01-20/#attendance">'
        "Knowsley Community Safety Partnership, 20 January 2021</a>: absent</li>",
        '<li><a class="govuk-link" href="/meetings/knowsley/2020-03-12/#attendance">'
        "Knowsley Community Safety Partnership, 12 March 2020</a>: apologies</li>",
        '<li><a class="govuk-link" href="/meetings/sefton/2020-03-12/#attendance">'
        "Sefton &lt;Safer&gt; Communities Partnership, 12 March 2020</a>: present (in the Chair)</li>",
        '<li><a class="govuk-link" href="/meetings/sefton/2019-12-05/#attendance">'
        "Sefton &lt;Safer&gt; Communities Partnership, 5 December 2019</a>: also present</li>",
    ]
    assert (
        "As the minutes on this site record it: present 1, also present 1, apologies 1, absent 1."
        in text_of(response)
    )
    assert "2022" not in record


@pytest.mark.django_db
def test_loading_the_initial_content_again_changes_nothing(initial_content):
    from django.core.management import call_command

    from meetings.models import AgendaItem, Resolution

    counts = (Meeting.objects.count(), AgendaItem.objects.count(), Resolution.objects.count())
    assert counts == (8, 27, 35)
    call_command("load_initial_content", verbosity=0)
    assert (Meeting.objects.count(), AgendaItem.objects.count(), Resolution.objects.count()) == counts


@pytest.mark.django_db
def test_meeting_page_lists_each_meetings_rows_in_the_order_the_clerk_set(client):
    """Rows entered out of order (the later one first) show in their set
    order: items, attendees and documents by their order, resolutions by
    number, and a resolution's actions as entered."""
    meeting = MeetingFactory(minutes_status=Meeting.MinutesStatus.CONFIRMED)
    second_item = AgendaItemFactory(meeting=meeting, order=2, minute_number=8, title="Second item")
    first_item = AgendaItemFactory(meeting=meeting, order=1, minute_number=7, title="First item")
    ResolutionFactory(item=first_item, number=2, text="The second resolution.")
    resolution = ResolutionFactory(item=first_item, number=1, text="The first resolution.")
    ActionFactory(resolution=resolution, description="The first action")
    ActionFactory(resolution=resolution, description="The second action")
    AttendanceFactory(meeting=meeting, order=2, person=PersonFactory(name="Second Attendee"))
    AttendanceFactory(meeting=meeting, order=1, person=PersonFactory(name="First Attendee"))
    DocumentFactory(meeting=meeting, order=2, title="Second paper")
    DocumentFactory(meeting=meeting, order=1, title="First paper")
    # A meeting of another partnership listed earlier by date must not
    # change this meeting's order.
    MeetingFactory(date=meeting.date - datetime.timedelta(days=1))

    page = text_of(client.get(meeting.get_absolute_url()))

    def in_order(*texts):
        positions = [page.index(text) for text in texts]
        return positions == sorted(positions)

    assert in_order("First item", "Second item")
    assert in_order("First Attendee", "Second Attendee")
    assert in_order("The first resolution.", "The second resolution.")
    assert in_order("The first action", "The second action")
    assert in_order("First paper", "Second paper")
    assert second_item.title in page


@pytest.mark.django_db
def test_the_meetings_list_links_each_partnerships_meetings_and_shows_a_rename(client):
    """Its links are kept escaped for the same partnerships' slugs and names
    only: a rename or a new partnership shows at once."""
    import re

    sefton = PartnershipFactory(name="Sefton Safer Communities Partnership", slug="sefton")

    def links():
        return re.findall(
            r'<li><a class="govuk-link" href="([^"]*)">Meetings of the ([^<]*)</a></li>',
            client.get(reverse("meetings:index")).text,
        )

    assert links() == [("/partnerships/sefton/meetings/", "Sefton Safer Communities Partnership")]
    sefton.name = "Sefton & Bootle Safer Communities Partnership"
    sefton.save()
    PartnershipFactory(name="Wirral Community Safety Partnership", slug="wirral")
    assert links() == [
        ("/partnerships/sefton/meetings/", "Sefton &amp; Bootle Safer Communities Partnership"),
        ("/partnerships/wirral/meetings/", "Wirral Community Safety Partnership"),
    ]
