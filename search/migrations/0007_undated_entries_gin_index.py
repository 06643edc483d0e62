"""A small GIN index of the entries with no date (partnerships, people,
organisations, glossary terms), so that a search finds its undated matches
without reading each of them: nationally there are about 4,000, and the
candidates walk (search.managers) read them all before the first minute.
PostgreSQL only, as 0002 and 0004, with the same columns as the main GIN
index so that a filtered search reads only the rows that pass the filters;
rebuild_search_index keeps it (it is small to update row by row)."""

from django.db import migrations

INDEX = "search_entry_undated_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry"
            " USING gin (search_vector, partnership_id, municipal_year, kind) WHERE date IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_newest_first_indexes")]

    operations = [migrations.RunPython(create, drop)]
