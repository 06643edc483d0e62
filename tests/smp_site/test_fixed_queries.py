"""Queries compiled once (foundation.fixed_queries) return what the ORM
returns, row for row and field for field, on SQLite and PostgreSQL; each
shape is built once; what cannot be compiled safely runs through the ORM."""

import datetime

import pytest
from django.utils import timezone

from foundation.fixed_queries import FIRST_INT, ORM, fixed_query
from meetings import page_content
from meetings.models import AgendaItem, ItemReference, Meeting
from meetings.models.documents import Document
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DeclarationFactory,
    DocumentFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def loaded(instance, depth=0):
    """What an instance holds: its class, the fields loaded (deferred ones
    absent), its annotations, and the same of each related object loaded
    with it; a row of values_list() as itself."""
    if isinstance(instance, tuple):
        return (type(instance).__name__, instance)
    values = {
        name: value
        for name, value in vars(instance).items()
        if not name.startswith("_") and not name.startswith("page_")
    }
    related = {}
    if depth < 4:
        for name, other in instance._state.fields_cache.items():
            related[name] = loaded(other, depth + 1) if other is not None else None
    return (type(instance).__name__, values, related)


def assert_same_as_the_orm(query, *args):
    got = query(*args)
    expected = list(query.build(*args))
    assert [loaded(row) for row in got] == [loaded(row) for row in expected]
    return got


@pytest.fixture
def two_meetings():
    """Two meetings of one partnership, with everything their pages show:
    resolutions with actions, references both ways, papers, attendance,
    declarations, a confirmation and reports on actions."""
    earlier = MeetingFactory(date=datetime.date(2020, 1, 9))
    later = MeetingFactory(partnership=earlier.partnership, date=datetime.date(2020, 3, 12))
    first = [AgendaItemFactory(meeting=earlier, minute_number=n, order=n) for n in (1, 2, 3)]
    second = [AgendaItemFactory(meeting=later, minute_number=n, order=n) for n in (10, 11)]
    for item in first:
        for number in (1, 2):
            resolution = ResolutionFactory(item=item, number=number)
            ActionFactory(resolution=resolution, due_on=datetime.date(2020, 2, 1))
    ActionFactory(resolution=first[0].resolutions.first(), owner=None, owner_name="The clerk")
    ItemReference.objects.create(
        from_item=second[0], to_item=first[1], text="Minute No. 2", minute_number=2, meeting_date=earlier.date
    )
    ItemReference.objects.create(
        from_item=first[2],
        to_item=first[0],
        text="Minute No. 1 above",
        minute_number=1,
        meeting_date=earlier.date,
    )
    earlier.confirmed_by = second[1]
    earlier.save()
    DocumentFactory(meeting=earlier, item=first[0])
    DocumentFactory(meeting=earlier, item=None, title="Agenda pack")
    AttendanceFactory(meeting=earlier)
    AttendanceFactory(meeting=earlier, person=None, name="Cllr Ian Moncur", role="apologies")
    DeclarationFactory(meeting=earlier, item=first[1])
    action = first[0].resolutions.first().actions.first()
    action.updates.create(item=second[0], status="done", note="Letters sent.")
    return earlier, later, first, second


def test_the_pages_queries_return_what_the_orm_returns(two_meetings):
    earlier, later, first, second = two_meetings
    ids = [item.pk for item in first]
    for shape in (ids, ids[:2], [first[0].pk, second[0].pk]):
        resolutions = assert_same_as_the_orm(page_content.resolutions_of, shape)
        actions = assert_same_as_the_orm(page_content.actions_of, [row.pk for row in resolutions])
        assert_same_as_the_orm(page_content.references_of, shape)
        assert_same_as_the_orm(page_content.meetings_confirmed_by, shape)
        assert_same_as_the_orm(page_content.reports_at, shape)
        assert_same_as_the_orm(page_content.reports_on, shape, [row.pk for row in actions])
        assert_same_as_the_orm(page_content.papers_of_items, shape)
    for meeting in (earlier, later):
        assert_same_as_the_orm(page_content.items_of, meeting.pk)
        assert_same_as_the_orm(page_content.papers_of_meeting, meeting.pk)
        assert_same_as_the_orm(page_content.attendance_at, meeting.pk)
        assert_same_as_the_orm(page_content.declarations_at, meeting.pk)
    slug = earlier.partnership.slug
    (found,) = assert_same_as_the_orm(page_content.meeting_at, slug, earlier.date)
    assert found == earlier
    assert assert_same_as_the_orm(page_content.meeting_at, slug, datetime.date(2020, 1, 10)) == []
    assert assert_same_as_the_orm(page_content.meeting_at, "no-such-partnership", earlier.date) == []
    (minute,) = assert_same_as_the_orm(page_content.minute_at, slug, later.date, 11)
    assert minute == second[1]
    assert assert_same_as_the_orm(page_content.minute_at, slug, later.date, 12) == []
    assert assert_same_as_the_orm(page_content.meeting_after, earlier.partnership_id, earlier.date) == [later]
    assert assert_same_as_the_orm(page_content.meeting_after, earlier.partnership_id, later.date) == []
    # Each was run from SQL compiled once, none by the ORM call after call.
    for query in PAGE_QUERIES:
        assert query.compiled and ORM not in query.compiled.values(), query.__name__


PAGE_QUERIES = [
    page_content.resolutions_of,
    page_content.actions_of,
    page_content.references_of,
    page_content.meetings_confirmed_by,
    page_content.reports_at,
    page_content.reports_on,
    page_content.papers_of_items,
    page_content.items_of,
    page_content.papers_of_meeting,
    page_content.attendance_at,
    page_content.declarations_at,
    page_content.meeting_at,
    page_content.minute_at,
    page_content.meeting_after,
]


def test_an_annotation_and_deferred_fields_are_loaded_as_the_orm_loads_them(two_meetings):
    earlier, _later, first, _second = two_meetings
    (paper,) = page_content.papers_of_items([first[0].pk])
    assert paper.has_reading_copy is False
    (declaration,) = page_content.declarations_at(earlier.pk)
    assert declaration.item.get_deferred_fields() == {"agenda_text", "minutes"}
    assert declaration.item.title == first[1].title


def test_each_shape_is_built_once_and_run_with_new_values(django_assert_num_queries):
    meetings = [MeetingFactory() for _ in range(3)]
    builds = []

    @fixed_query
    def meetings_in(ids, venue):
        builds.append(ids)
        return Meeting.objects.filter(pk__in=ids, venue=venue).order_by("pk")

    venue = meetings[0].venue
    assert meetings_in([meetings[0].pk, meetings[1].pk], venue) == meetings[:2]
    built = len(builds)
    assert built  # the shape of two ids and a text, compiled
    with django_assert_num_queries(2):  # one a call, nothing built
        assert meetings_in([meetings[2].pk, meetings[0].pk], venue) == [meetings[0], meetings[2]]
        assert meetings_in([meetings[2].pk, meetings[1].pk], "Elsewhere") == []
    assert len(builds) == built
    assert meetings_in([meetings[2].pk], venue) == [meetings[2]]
    assert len(builds) > built  # a list of another length is another shape


def test_what_the_sql_does_not_take_as_it_was_given_runs_through_the_orm():
    meeting = MeetingFactory(venue="Town Hall, Bootle")
    builds = []

    @fixed_query
    def meetings_at(venue_word):
        builds.append(venue_word)
        # The word is sent wrapped in %...%: not a stand-in the SQL takes as is.
        return Meeting.objects.filter(venue__icontains=venue_word)

    assert meetings_at("bootle") == [meeting]
    assert meetings_at("Southport") == []
    assert builds[-1] == "Southport"  # built again: run by the ORM

    @fixed_query
    def items_of(meeting_ids):
        return AgendaItem.objects.filter(meeting_id__in=meeting_ids)

    assert items_of([]) == []  # an empty list: the ORM runs no query


def test_a_constant_equal_to_a_stand_in_is_not_taken_for_an_argument():
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, order=FIRST_INT)
    other = AgendaItemFactory(meeting=meeting, order=3)

    @fixed_query
    def items_at(meeting_id):
        return AgendaItem.objects.filter(meeting_id=meeting_id).exclude(order=FIRST_INT)

    assert items_at(meeting.pk) == [other]
    assert items_at(meeting.pk + 1000) == []


def test_a_query_built_from_the_time_is_refused():
    @fixed_query
    def published_before_now(partnership_id):
        return Meeting.objects.filter(partnership_id=partnership_id, agenda_published_at__lte=timezone.now())

    with pytest.raises(ValueError, match="builds another query"):
        published_before_now(1)


def test_documents_are_the_ones_the_orm_would_list_in_order(two_meetings):
    earlier, _later, _first, _second = two_meetings
    expected = list(Document.objects.filter(meeting_id=earlier.pk).order_by("order", "pk"))
    assert page_content.papers_of_meeting(earlier.pk) == expected


def test_values_lists_give_the_tuples_and_values_the_orm_gives(two_meetings):
    earlier, later, _first, _second = two_meetings

    @fixed_query
    def dates_and_venues(partnership_id):
        return (
            Meeting.objects.filter(partnership_id=partnership_id)
            .values_list("date", "venue")
            .order_by("-date")
        )

    @fixed_query
    def dates(partnership_id):
        return (
            Meeting.objects.filter(partnership_id=partnership_id)
            .values_list("date", flat=True)
            .order_by("date")
        )

    assert dates_and_venues(earlier.partnership_id) == [
        (later.date, later.venue),
        (earlier.date, earlier.venue),
    ]
    assert dates(earlier.partnership_id) == [earlier.date, later.date]
    assert dates(earlier.partnership_id + 1000) == []
    # Run from SQL compiled once, not by the ORM.
    assert dates.compiled and ORM not in dates.compiled.values()


def test_named_rows_are_the_orms_and_the_partnership_choices_too(two_meetings):
    """values_list(named=True): the same named tuples, as the list pages'
    partnership filters read them (partnership_choices)."""
    from partnerships.models import Partnership, partnership_choices

    PartnershipFactory(name="Aardvark Safer Communities Partnership")
    expected = list(Partnership.objects.choices())
    chosen = partnership_choices()
    assert chosen == expected and len(chosen) == 2
    assert [(p.pk, p.name, p.slug, p.municipal_year_start_month) for p in chosen] == [
        (p.pk, p.name, p.slug, p.municipal_year_start_month) for p in expected
    ]
    assert chosen[0].name == "Aardvark Safer Communities Partnership"
    assert partnership_choices.compiled and ORM not in partnership_choices.compiled.values()


def test_the_meetings_lists_digest_is_the_orms_on_either_side_of_a_day():
    """The soonest meetings to come and the latest held, as lists show them
    (the partnership, and the new date of a postponed meeting, loaded with
    each): the same as the ORM's, whatever day it is asked on."""
    from meetings.listing import recent_meetings, upcoming_meetings

    partnership = PartnershipFactory()
    held = [MeetingFactory(partnership=partnership, date=datetime.date(2020, 1, n)) for n in range(1, 13)]
    new_date = MeetingFactory(partnership=partnership, date=datetime.date(2020, 2, 20))
    postponed = MeetingFactory(
        partnership=partnership,
        date=datetime.date(2020, 2, 6),
        status=Meeting.Status.POSTPONED,
        postponed_to=new_date,
    )
    MeetingFactory(partnership=partnership, date=datetime.date(2020, 2, 13), status=Meeting.Status.DRAFT)
    for day in (datetime.date(2020, 1, 7), datetime.date(2020, 2, 10), datetime.date(2021, 1, 1)):
        assert_same_as_the_orm(upcoming_meetings, day)
        assert_same_as_the_orm(recent_meetings, day)
    soon = upcoming_meetings(datetime.date(2020, 2, 1))
    assert [m.pk for m in soon] == [postponed.pk, new_date.pk]  # no draft
    assert soon[0].postponed_to__date == datetime.date(2020, 2, 20)
    assert [m.pk for m in recent_meetings(datetime.date(2020, 2, 1))] == [m.pk for m in held[::-1][:10]]
    assert ORM not in upcoming_meetings.compiled.values() and ORM not in recent_meetings.compiled.values()


def test_past_the_shapes_it_keeps_a_query_runs_through_the_orm(monkeypatch):
    from foundation import fixed_queries

    monkeypatch.setattr(fixed_queries, "MOST_SHAPES", 1)
    meetings = [MeetingFactory() for _ in range(3)]
    builds = []

    @fixed_query
    def meetings_in(ids):
        builds.append(ids)
        return Meeting.objects.filter(pk__in=ids).order_by("pk")

    assert meetings_in([meetings[0].pk]) == meetings[:1]  # kept
    builds.clear()
    assert meetings_in([meetings[0].pk, meetings[2].pk]) == [meetings[0], meetings[2]]
    assert len(builds) == 1  # built once, for the ORM: nothing compiled, nothing kept
    assert len(meetings_in.compiled) == 1


def test_the_partnership_person_and_home_pages_queries_are_the_orms():
    """A partnership's page, a person's page and the home page read their
    records through compiled queries: the same rows as the ORM's for a
    partnership with everything its page lists, a person with attendance
    and items presented (a draft meeting's attendance left out), the home
    page's partnerships and next meetings, and the work programme ahead."""
    from meetings import people, work_programme
    from meetings.work_programme import WorkProgrammeItem
    from partnerships import page_content as partnership_content
    from partnerships.models import Achievement, HistoryEvent
    from smp_site import views
    from tests.partnerships.factories import (
        MembershipFactory,
        ObjectiveFactory,
        PersonFactory,
        PriorityFactory,
        RelatedBodyFactory,
        SeatFactory,
    )

    old = PartnershipFactory(status="ended", ended_on=datetime.date(2019, 6, 1))
    partnership = PartnershipFactory(predecessor=old, order=5)
    PartnershipFactory(predecessor=old, order=1)
    for n in (2, 1):
        PriorityFactory(partnership=partnership, order=n)
        ObjectiveFactory(partnership=partnership, order=n)
        RelatedBodyFactory(partnership=partnership, order=n)
    HistoryEvent.objects.create(partnership=partnership, kind="formed", happened_on=datetime.date(2012, 4, 1))
    Achievement.objects.create(partnership=partnership, year="2017/18", text="Done.")
    Achievement.objects.create(partnership=partnership, year="2018/19", text="More.")
    seats = [SeatFactory(partnership=partnership, role=role) for role in ("chair", "member", "member")]
    SeatFactory(partnership=partnership, ended_on=datetime.date(2019, 1, 1))
    person = PersonFactory()
    MembershipFactory(seat=seats[0], person=person, started_on=datetime.date(2020, 1, 1))
    MembershipFactory(
        seat=seats[0], started_on=datetime.date(2018, 1, 1), ended_on=datetime.date(2019, 12, 31)
    )
    MembershipFactory(seat=seats[1])
    today = timezone.localdate()
    for n, status in enumerate([Meeting.Status.HELD, Meeting.Status.HELD, Meeting.Status.DRAFT]):
        meeting = MeetingFactory(partnership=partnership, date=datetime.date(2020, 1 + n, 9), status=status)
        AttendanceFactory(meeting=meeting, person=person, name="Cllr X" if n else "")
        AgendaItemFactory(meeting=meeting, presenter=person, presenter_name=f"Councillor {n}")
    coming = MeetingFactory(partnership=partnership, date=today + datetime.timedelta(days=20))
    for n in range(7):
        WorkProgrammeItem.objects.create(
            partnership=partnership, title=f"Subject {n}", planned_meeting=coming
        )
    WorkProgrammeItem.objects.create(
        partnership=partnership, title="By month", planned_month=today.replace(day=1)
    )

    (found,) = assert_same_as_the_orm(partnership_content.partnership_at, partnership.slug)
    assert found.predecessor == old
    assert assert_same_as_the_orm(partnership_content.partnership_at, "no-such-partnership") == []
    of_one_partnership = (
        partnership_content.priorities_of,
        partnership_content.objectives_of,
        partnership_content.related_bodies_of,
        partnership_content.history_of,
        partnership_content.achievements_of,
        partnership_content.current_seats_of,
    )
    for query in of_one_partnership:
        assert assert_same_as_the_orm(query, partnership.pk)
    assert len(partnership_content.current_seats_of(partnership.pk)) == 3  # not the abolished one
    assert len(assert_same_as_the_orm(partnership_content.memberships_of, [seat.pk for seat in seats])) == 3
    assert len(assert_same_as_the_orm(partnership_content.successors_of_ids, [old.pk, partnership.pk])) == 2
    (person_found,) = assert_same_as_the_orm(people.person_at, person.slug)
    assert len(assert_same_as_the_orm(people.attendance_record_of, person.pk)) == 2  # not the draft's
    names = people.names_presented_as(person.pk)
    assert names == list(people.names_presented_as.build(person.pk))
    assert sorted(names) == ["Councillor 0", "Councillor 1", "Councillor 2"]
    month = today.replace(day=1)
    assert len(assert_same_as_the_orm(work_programme.work_programme_ahead, partnership.pk, today, month)) == 8
    assert len(assert_same_as_the_orm(work_programme.work_programme_next, partnership.pk, today, month)) == 5
    assert len(assert_same_as_the_orm(views.partnerships_on_home)) == 3
    assert assert_same_as_the_orm(views.next_meetings, today) != []
    for query in (
        *of_one_partnership,
        partnership_content.partnership_at,
        partnership_content.memberships_of,
        partnership_content.successors_of_ids,
        people.person_at,
        people.attendance_record_of,
        people.names_presented_as,
        work_programme.work_programme_ahead,
        work_programme.work_programme_next,
        views.partnerships_on_home,
        views.next_meetings,
    ):
        assert query.compiled and ORM not in query.compiled.values(), query.__name__
