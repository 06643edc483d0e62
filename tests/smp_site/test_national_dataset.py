import io
import subprocess
import sys

import pytest

from bench.national_dataset import AlreadyGenerated, generate
from meetings.models import AgendaItem, Attendance, Meeting, Resolution
from partnerships.models import Partnership
from tests.helpers import ROOT


@pytest.mark.django_db
def test_generates_meetings_with_minute_numbers_running_on_through_each_municipal_year():
    generate(partnerships=2, years=2, progress=io.StringIO())
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
    generate(partnerships=1, years=1, progress=io.StringIO())
    with pytest.raises(AlreadyGenerated):
        generate(partnerships=1, years=1, progress=io.StringIO())


@pytest.mark.django_db
def test_the_benchmark_baseline_view_is_off_unless_asked_for(client):
    assert client.get("/bench/baseline").status_code == 404


def test_the_script_runs_on_its_own_and_says_how_to():
    """`make bench` runs it as a script (bench/run.py), outside pytest: it
    sets Django up itself before importing the models."""
    script = ROOT / "bench" / "national_dataset.py"
    result = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout and "national-scale synthetic dataset" in result.stdout
