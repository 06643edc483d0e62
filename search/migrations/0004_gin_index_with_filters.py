"""The GIN index also holds the columns searches filter on (partnership,
municipal year, kind), through PostgreSQL's btree_gin extension, so that a
filtered search of a rare phrase reads only the rows that pass the filters
rather than every match nationally. PostgreSQL only, as in 0002; the name is
kept, and rebuild_search_index recreates the index with the same definition."""

from django.db import migrations

INDEX = "search_entry_vector_gin"
COLUMNS = "search_vector, partnership_id, municipal_year, kind"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # btree_gin is a trusted extension: the database's owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"CREATE INDEX {INDEX} ON search_searchentry USING gin ({COLUMNS})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"CREATE INDEX {INDEX} ON search_searchentry USING gin (search_vector)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_filter_date_indexes")]

    operations = [migrations.RunPython(create, drop)]
