"""On PostgreSQL each query of a fixed shape (foundation.fixed_queries) is
prepared once per connection and then only executed, so the server plans it
once: the pages give the same HTML and the same rows as when every run is
planned, a failed run or a new connection costs nothing but a new PREPARE,
and the setting turns it off (behind a pooler that moves transactions
between server connections)."""

import datetime

import pytest
from django.db import DataError, connection, transaction
from django.db.models.expressions import RawSQL
from django.test import override_settings

from foundation.fixed_queries import fixed_query
from foundation.postgresql.base import numbered
from meetings.models import AgendaItem, Meeting
from tests.meetings.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory, ResolutionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def prepared_statements():
    """This connection's prepared statements: {name: (generic plans, SQL)}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, generic_plans, statement FROM pg_prepared_statements")
        return {name: (generic, statement) for name, generic, statement in cursor.fetchall()}


def forget_prepared_statements():
    """A new connection's state: none prepared (the test's own transaction
    stays open, so the statements are dropped rather than the connection)."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection._prepared = {}


@pytest.fixture
def meeting_page(client):
    meeting = MeetingFactory(date=datetime.date(2020, 3, 12))
    for number in (45, 46, 47):
        item = AgendaItemFactory(meeting=meeting, minute_number=number, order=number)
        ResolutionFactory(item=item, number=1)
    AttendanceFactory(meeting=meeting)
    return meeting.get_absolute_url()


@override_settings(PAGE_CACHE_SECONDS=0, PAGE_FRAGMENT_SECONDS=0)
def test_a_meeting_page_is_built_from_statements_prepared_once(
    client, meeting_page, django_assert_num_queries
):
    forget_prepared_statements()
    with override_settings(DATABASE_PREPARED_STATEMENTS=False):
        planned_each_time = client.get(meeting_page)
    assert prepared_statements() == {}

    first = client.get(meeting_page)
    statements = prepared_statements()
    assert len(statements) >= 8  # the meeting, its items, resolutions, attendance...
    # PostgreSQL plans a prepared statement for its values five times, then
    # keeps one plan for them all if it costs no more.
    for _ in range(7):
        again = client.get(meeting_page)
    assert prepared_statements().keys() == statements.keys()  # none prepared twice
    assert all(generic for generic, _statement in prepared_statements().values())
    assert first.content == again.content == planned_each_time.content
    assert b"Minute No. 46" in again.content

    # Each fixed query is still one query, EXECUTE alone once it is prepared;
    # every query of the page is one of them.
    with django_assert_num_queries(len(statements)) as captured:
        client.get(meeting_page)
    assert all(query["sql"].startswith("EXECUTE fixed_query_") for query in captured.captured_queries)


def test_each_run_gives_the_rows_of_its_own_values():
    meetings = [MeetingFactory() for _ in range(3)]
    items = {
        meeting.pk: [AgendaItemFactory(meeting=meeting, order=n) for n in (1, 2)] for meeting in meetings
    }

    @fixed_query
    def items_at(meeting_id, venue):
        return AgendaItem.objects.filter(meeting_id=meeting_id, meeting__venue=venue).order_by("order")

    forget_prepared_statements()
    for _ in range(3):  # past PostgreSQL's five custom plans
        for meeting in meetings:
            assert items_at(meeting.pk, meeting.venue) == items[meeting.pk]
            assert items_at(meeting.pk, "Nowhere") == []
    assert len(prepared_statements()) == 1


@fixed_query
def items_of(meeting_id):
    return AgendaItem.objects.filter(meeting_id=meeting_id)


def test_a_run_that_fails_after_its_statement_is_prepared_leaves_the_next_one_working():
    item = AgendaItemFactory()
    meeting = item.meeting
    forget_prepared_statements()
    # Out of range for the bigint it is declared as: PREPARE succeeds, EXECUTE fails.
    with pytest.raises(DataError), transaction.atomic():
        items_of(2**70)
    assert len(prepared_statements()) == 1
    # Prepared again under a new name, not refused as "already exists".
    assert items_of(meeting.pk) == [item]
    assert items_of(meeting.pk) == [item]
    assert len(prepared_statements()) == 2


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_its_statements_again():
    item = AgendaItemFactory()
    meeting = item.meeting
    forget_prepared_statements()
    assert items_of(meeting.pk) == [item]
    assert len(prepared_statements()) == 1
    connection.close()  # as at CONN_MAX_AGE, or after the database went away
    assert items_of(meeting.pk) == [item]
    assert items_of(meeting.pk) == [item]
    assert len(prepared_statements()) == 1


def test_a_percent_sign_in_the_sql_reaches_the_database_as_written():
    meeting = MeetingFactory()

    @fixed_query
    def meeting_with_label(meeting_id):
        return Meeting.objects.filter(pk=meeting_id).annotate(label_text=RawSQL("'100%%, 5%%s'", ()))

    forget_prepared_statements()
    for _ in range(2):
        (found,) = meeting_with_label(meeting.pk)
        assert found.label_text == "100%, 5%s"
    assert len(prepared_statements()) == 1
    assert numbered("a = %s AND b LIKE 'x%%' AND c = %s") == "a = $1 AND b LIKE 'x%%' AND c = $2"


def test_a_value_of_a_kind_it_cannot_declare_is_planned_each_time():
    meeting = MeetingFactory()

    @fixed_query
    def meetings_on(day):
        return Meeting.objects.filter(pk=meeting.pk, date=day)

    forget_prepared_statements()
    assert meetings_on(meeting.date) == [meeting]
    assert len(prepared_statements()) == 1  # a date is declared as one
    connection._prepared.clear()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
        # A value psycopg2 sends but no declared type fits: run as it is.
        connection.execute_prepared(cursor, 'SELECT %s::int[] AS "ids"', [[1, 2]])
        assert cursor.fetchall() == [([1, 2],)]
    assert prepared_statements() == {}


def test_a_connection_keeps_at_most_so_many_statements(monkeypatch):
    monkeypatch.setattr("foundation.postgresql.base.MOST_PREPARED", 2)
    meeting = MeetingFactory()
    items = [AgendaItemFactory(meeting=meeting) for _ in range(4)]

    @fixed_query
    def items_in(ids):
        return AgendaItem.objects.filter(pk__in=ids).order_by("pk")

    forget_prepared_statements()
    for count in (1, 2, 3, 4):  # a shape for each length of list
        assert items_in([item.pk for item in items[:count]]) == items[:count]
        assert items_in([item.pk for item in items[:count]]) == items[:count]
    assert len(prepared_statements()) == 2
