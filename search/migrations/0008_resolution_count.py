"""ResolutionCount, counted from the entries already in the index (as
search.indexing.recount_resolutions does), so that a site keeps its count
without rebuilding the index."""

import django.db.models.deletion
from django.db import migrations, models


def count(apps, schema_editor):
    schema_editor.execute(
        "INSERT INTO search_resolutioncount (partnership_id, resolutions)"
        " SELECT partnership_id, count(*) FROM search_searchentry"
        " WHERE kind = 'resolution' AND partnership_id IS NOT NULL GROUP BY partnership_id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0009_person_a_to_z_index"),
        ("search", "0007_undated_entries_gin_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResolutionCount",
            fields=[
                (
                    "partnership",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="partnerships.partnership",
                    ),
                ),
                ("resolutions", models.IntegerField(default=0)),
            ],
            options={"verbose_name": "count of indexed resolutions"},
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
