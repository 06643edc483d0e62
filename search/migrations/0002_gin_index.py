"""The GIN index over the generated tsvector, on PostgreSQL only (SQLite has
no GIN indexes; the development search there does not use the column).
Kept out of the model's Meta for that reason; rebuild_search_index drops and
recreates it by the same name around bulk loads."""

from django.db import migrations

INDEX = "search_entry_vector_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry USING gin (search_vector)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
