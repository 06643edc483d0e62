import io

import pytest
from django.core.management import CommandError, call_command

from meetings.models import AgendaItem, Attendance, Meeting, Resolution
from partnerships.models import Partnership


@pytest.mark.django_db
def test_generates_meetings_with_minute_numbers_running_on_through_each_municipal_year():
    call_command(
        "generate_national_dataset",
        "--partnerships=2",
        "--years=2",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    partnerships = Partnership.objects.filter(slug__startswith="synthetic-")
    assert partnerships.count() == 2
    assert Meeting.objects.filter(partnership__in=partnerships).count() >= 2 * 2 * 5
    assert Resolution.objects.exists() and Attendance.objects.exists()
    for partnership in partnerships:
        held = Meeting.objects.filter(partnership=partnership, status="held").order_by("date")
        by_year = {}
        for meeting in held:
            year = partnership.municipal_year_of(meeting.date)
            numbers = list(
                AgendaItem.objects.filter(meeting=meeting)
                .order_by("minute_number")
                .values_list("minute_number", flat=True)
            )
            expected_first = by_year.get(year, 0) + 1
            assert numbers == list(range(expected_first, expected_first + len(numbers)))
            by_year[year] = numbers[-1]


@pytest.mark.django_db
def test_refuses_to_run_twice():
    call_command(
        "generate_national_dataset",
        "--partnerships=1",
        "--years=1",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    with pytest.raises(CommandError):
        call_command("generate_national_dataset", "--partnerships=1", "--years=1", stderr=io.StringIO())


@pytest.mark.django_db
def test_the_benchmark_baseline_view_is_off_unless_asked_for(client):
    assert client.get("/bench/baseline").status_code == 404
