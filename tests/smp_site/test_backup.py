"""A backup made with dumpdata restores every record of the site's content
(docs/backups.md gives the pg_dump procedure production
uses; this proves the content survives a round trip through Django's own,
database-neutral format too)."""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from meetings.models import AgendaItem, Meeting
from partnerships.models import Partnership


def content_apps():
    """Every app of this project that has models (not Django's or a library's)."""
    return [
        app
        for app in apps.get_app_configs()
        if app.path.startswith(str(settings.BASE_DIR))
        and "site-packages" not in app.path
        and list(app.get_models())
    ]


def counts():
    return {
        model._meta.label: model._default_manager.count()
        for app in content_apps()
        for model in app.get_models()
    }


@pytest.mark.django_db
def test_dumpdata_and_loaddata_round_trip_all_content(initial_content, tmp_path):
    smp = Partnership.objects.get(short_name="SMP")
    item = AgendaItem.objects.select_related("meeting").filter(minutes__gt="").order_by("pk").first()
    before = counts()
    assert before["partnerships.Partnership"] and before["meetings.AgendaItem"]
    # The audit trail is content too: the loader's history comes back.
    assert before["meetings.HistoricalAgendaItem"]

    backup = tmp_path / "backup.json"
    with backup.open("w") as out:
        call_command("dumpdata", *[app.label for app in content_apps()], indent=1, stdout=out)
    # PostgreSQL will not TRUNCATE tables with foreign-key checks still
    # deferred to the end of the test's transaction: run them now.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert not Partnership.objects.exists() and not Meeting.objects.exists()

    call_command("loaddata", str(backup), verbosity=0, stdout=io.StringIO())
    assert counts() == before
    restored = Partnership.objects.get(pk=smp.pk)
    assert (restored.name, restored.purpose, restored.slug) == (smp.name, smp.purpose, smp.slug)
    restored_item = AgendaItem.objects.get(pk=item.pk)
    assert (restored_item.minutes, restored_item.meeting.date, restored_item.minute_number) == (
        item.minutes,
        item.meeting.date,
        item.minute_number,
    )
    assert list(restored.seats.values_list("title", flat=True)) == list(
        smp.seats.values_list("title", flat=True)
    )
