"""Meetings that existed before the feeds: recorded as published when their
agenda was (or on the day of the meeting), so that the feeds start full."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def backfill(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Publication = apps.get_model("follow", "Publication")
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = []
    for meeting in Meeting.objects.all().iterator():
        day = datetime.datetime.combine(meeting.date, datetime.time(0), tzinfo=zone)
        rows.append(
            Publication(kind="meeting", meeting_id=meeting.pk, partnership_id=meeting.partnership_id,
                        published_at=meeting.agenda_published_at or day)
        )
        if meeting.minutes_status in ("published", "confirmed"):
            rows.append(
                Publication(kind="minutes", meeting_id=meeting.pk, partnership_id=meeting.partnership_id,
                            published_at=day)
            )
    Publication.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("follow", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
