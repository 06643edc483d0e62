"""
A national-scale synthetic dataset for `make bench` (bench/run.py): by
default about 300 partnerships, 15 years of meetings (about 25,000), 400,000
minutes with resolutions, and attendance. Rows are made in memory and written
with bulk_create in large batches, so it takes minutes, not hours.

    .venv/bin/python bench/national_dataset.py [--scale=0.1] [--years=15] ...

It writes to the database of DATABASE_URL. Synthetic partnerships are marked
by their slug prefix, and it refuses to run twice into one database. Never
run it against production. bulk_create sends no signals: index the new
content with `manage.py rebuild_search_index` afterwards.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    # Run as a script: the project on the path and Django set up before the
    # models are imported.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")
    import django

    django.setup()

from django.db import connection, transaction
from django.utils import timezone

from foundation.page_cache import content_changed
from meetings.models import AgendaItem, Attendance, Meeting, Resolution
from partnerships.models import Partnership, Person

PREFIX = "synthetic-"
BATCH = 5000

TOPICS = [
    "Knife crime action plan",
    "PREVENT strategy update",
    "Domestic and sexual abuse",
    "Target hardening scheme",
    "Anti-social behaviour hotspots",
    "Serious and organised crime",
    "Youth offending and diversion",
    "Violence reduction partnership",
    "County lines and child criminal exploitation",
    "Homelessness and rough sleeping",
    "Fraud and cyber-crime",
    "Road safety",
    "Hate crime",
    "Community cohesion",
    "Night-time economy",
    "Integrated youth services",
]
SENTENCES = [
    "The Partnership considered a report on {topic}.",
    "{name} gave a presentation on {topic} across the borough.",
    "Reference was made to funding for {topic} in the year ahead.",
    "Members asked about knife crime, burglary and anti-social behaviour in the area.",
    "An update was given on target hardening for victims of domestic abuse.",
    "The action plan following approval of the revised PREVENT strategy was noted.",
    "Partners agreed to share data on serious violence and exploitation.",
    "It was reported that additional funding had been agreed for a further 12 months.",
]
RESOLUTIONS = [
    "That the report be noted.",
    "That the update be noted and a further report be submitted to a future meeting.",
    "That the recommendations set out in the report be supported.",
    "That a letter of support be sent on behalf of the Partnership.",
]
FIRST = ["Alex", "Sam", "Chris", "Jo", "Pat", "Lee", "Kim", "Ash", "Robin", "Jamie", "Tanya", "Mark", "Sue"]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "White",
    "Hall",
]


class AlreadyGenerated(Exception):
    """The database already holds the synthetic dataset."""


def generate(
    scale=1.0,
    partnerships=300,
    years=15,
    meetings_per_year=5.6,
    items_per_meeting=16,
    seed=2026,
    progress=sys.stderr,
):
    """Write the dataset (about `partnerships` x `scale` partnerships) and
    return how many seconds it took. `progress` receives a progress bar."""
    if Partnership.objects.filter(slug__startswith=PREFIX).exists():
        raise AlreadyGenerated("This database already holds the synthetic dataset.")
    rng = random.Random(seed)
    count = max(1, round(partnerships * scale))
    started = time.monotonic()
    writer = Writer(progress)
    with transaction.atomic():
        made = make_partnerships(count)
        people = make_people(rng, count * 12)
        make_meetings(rng, made, people, writer, years, meetings_per_year, items_per_meeting)
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would gather them in
        # time: without them PostgreSQL plans the new tables as empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    content_changed(everywhere=True)  # pages cached before this must not be served
    return time.monotonic() - started


def make_partnerships(count):
    Partnership.objects.bulk_create(
        Partnership(
            name=f"Synthetic Community Safety Partnership {n:03d}",
            short_name=f"SCSP{n:03d}",
            slug=f"{PREFIX}partnership-{n:03d}",
            kind=Partnership.Kind.COUNCIL,
            summary="A synthetic partnership for benchmarks.",
            purpose="To measure the website at national scale.",
            municipal_year_start_month=6,
            order=1000 + n,
        )
        for n in range(count)
    )
    return list(Partnership.objects.filter(slug__startswith=PREFIX).order_by("pk"))


def make_people(rng, count):
    Person.objects.bulk_create(
        Person(
            title=rng.choice(["Councillor", "", "", "Superintendent", "Chief Inspector"]),
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            slug=f"{PREFIX}person-{n:05d}",
        )
        for n in range(count)
    )
    return list(Person.objects.filter(slug__startswith=PREFIX).order_by("pk"))


def make_meetings(rng, partnerships, people, writer, years, per_year, items_per_meeting):
    today = timezone.localdate()
    first_year = today.year - years + 1
    meetings = []
    for partnership in partnerships:
        for year in range(first_year, today.year + 1):
            # Meetings spread through the year; a few are still to come.
            n = int(per_year) + (1 if rng.random() < per_year % 1 else 0)
            days = sorted(rng.sample(range(0, 360, 7), n))
            for offset in days:
                day = datetime.date(year, 1, 6) + datetime.timedelta(days=offset)
                past = day < today
                meetings.append(
                    Meeting(
                        partnership=partnership,
                        date=day,
                        start_time=datetime.time(10, 0),
                        venue="Town Hall",
                        status=Meeting.Status.HELD if past else Meeting.Status.AGENDA_PUBLISHED,
                        minutes_status=(
                            Meeting.MinutesStatus.CONFIRMED if past else Meeting.MinutesStatus.NONE
                        ),
                    )
                )
    writer.bulk("meetings", Meeting, meetings)
    saved = list(
        Meeting.objects.filter(partnership__in=partnerships)
        .select_related("partnership")
        .order_by("partnership_id", "date")
    )

    items, numbers = [], {}
    for meeting in saved:
        if meeting.status != Meeting.Status.HELD:
            continue
        year = (meeting.partnership_id, meeting.partnership.municipal_year_of(meeting.date))
        for order in range(items_per_meeting + rng.randint(-4, 4)):
            numbers[year] = numbers.get(year, 0) + 1
            topic = rng.choice(TOPICS)
            person = rng.choice(people)
            text = " ".join(
                rng.choice(SENTENCES).format(topic=topic.lower(), name=person.full_name) for _ in range(4)
            )
            items.append(
                AgendaItem(
                    meeting=meeting,
                    minute_number=numbers[year],
                    order=order,
                    title=topic,
                    presenter=person,
                    minutes=text,
                )
            )
    writer.bulk("minutes", AgendaItem, items)

    resolutions = []
    for item_id in AgendaItem.objects.filter(meeting__partnership__in=partnerships).values_list(
        "pk", flat=True
    ):
        for number in range(1, rng.choice([1, 1, 2, 3]) + 1):
            resolutions.append(Resolution(item_id=item_id, number=number, text=rng.choice(RESOLUTIONS)))
    writer.bulk("resolutions", Resolution, resolutions)

    attendances = []
    for meeting in saved:
        if meeting.status != Meeting.Status.HELD:
            continue
        for order, person in enumerate(rng.sample(people, 12)):
            role = rng.choices(
                [Attendance.Role.PRESENT, Attendance.Role.APOLOGIES, Attendance.Role.ABSENT], [8, 2, 1]
            )[0]
            attendances.append(
                Attendance(
                    meeting=meeting,
                    person=person,
                    role=role,
                    is_chair=order == 0 and role == Attendance.Role.PRESENT,
                    order=order,
                )
            )
    writer.bulk("attendance records", Attendance, attendances)


class Writer:
    """bulk_create in batches, with a progress bar."""

    def __init__(self, out):
        self.out = out

    def bulk(self, label, model, rows):
        total = len(rows)
        for start in range(0, total, BATCH):
            model.objects.bulk_create(rows[start : start + BATCH])
            self.progress(label, min(start + BATCH, total), total)
        self.progress(label, total, total, done=True)

    def progress(self, label, written, total, done=False):
        width = 30
        filled = width * written // max(total, 1)
        self.out.write(f"\r{label:<20} [{'#' * filled}{'.' * (width - filled)}] {written:>7}/{total}")
        if done:
            self.out.write("\n")
        self.out.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is about 300 partnerships.")
    parser.add_argument("--partnerships", type=int, default=300)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--meetings-per-year", type=float, default=5.6)
    parser.add_argument("--items-per-meeting", type=int, default=16)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    try:
        seconds = generate(**vars(args))
    except AlreadyGenerated as error:
        sys.exit(str(error))
    print(f"Generated in {seconds:.0f}s.")


if __name__ == "__main__":
    main()
