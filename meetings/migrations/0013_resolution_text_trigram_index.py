"""The decisions list's words filter ("text contains each word", Django's
icontains: UPPER(text) LIKE UPPER('%word%')) read every resolution nationally
(700,000, about 180 ms) for a word found in few of them. A trigram GIN index
on the same expression lets PostgreSQL read only the resolutions holding the
word's trigrams, with the same results. PostgreSQL only, as the search
index's (search/migrations/0002); SQLite, for development, scans."""

from django.db import migrations

INDEX = "meetings_resolution_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # pg_trgm is a trusted extension: the database's owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON meetings_resolution USING gin (UPPER(text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0012_history_change_reasons_as_text")]

    operations = [migrations.RunPython(create, drop)]
