"""
The seed content, loaded once per test session and copied back cheaply.

`load_initial_content` reads the seed pages, saves every object through the
models and indexes them: about 1.5 seconds and 1,400 queries, which more than
eighty tests used to pay each. The first test that asks for the seeds runs the
real command and records the rows it inserted; later tests get the same rows
with one INSERT per table. Where a copy could differ from a real load (rows of
the test's own already hold those ids, uploads go somewhere else, a row points
outside the seeds at something that changed), the real command runs instead.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction


def _tables():
    """Every table a model owns (many-to-many tables included), once each."""
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen[meta.db_table] = model
    return seen


def _fields(model):
    return [field for field in model._meta.concrete_fields if not isinstance(field, models.GeneratedField)]


def _columns(model):
    return [field.column for field in _fields(model)]


def _rows(model):
    """The table's rows as the database takes them back (through each field,
    so that times, decimals and JSON survive the round trip)."""
    fields = _fields(model)
    return [
        tuple(field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True))
        for row in model._base_manager.values_list(*[field.attname for field in fields])
    ]


def _quoted(name):
    return connection.ops.quote_name(name)


def _primary_keys(cursor, table, model):
    pk = _quoted(model._meta.pk.column)
    cursor.execute(f"SELECT {pk} FROM {_quoted(table)}")  # noqa: S608 (names from the models)
    return {row[0] for row in cursor.fetchall()}


def _where_the_files_go():
    from django.core.files.storage import default_storage

    return (
        type(default_storage).__name__,
        str(getattr(default_storage, "location", "")),
        settings.MEDIA_ROOT,
    )


@dataclass
class Snapshot:
    rows: dict  # table -> (model, columns, [row, ...])
    outside: dict  # (table, pk) -> the rows outside the seeds they point at, as they were
    storage: tuple

    @classmethod
    def record(cls, load):
        """Run `load` (the real command) and keep the rows it inserted."""
        tables = _tables()
        with connection.cursor() as cursor:
            before = {table: _primary_keys(cursor, table, model) for table, model in tables.items()}
            load()
            rows = {}
            for table, model in tables.items():
                columns = _columns(model)
                pk_index = columns.index(model._meta.pk.column)
                new = [row for row in _rows(model) if row[pk_index] not in before[table]]
                if new:
                    rows[table] = (model, columns, new)
            outside = cls._rows_outside(cursor, rows)
        return cls(rows=rows, outside=outside, storage=_where_the_files_go())

    @staticmethod
    def _rows_outside(cursor, rows):
        """The rows the seeds point at but did not insert (content types, say),
        as they were: a copy is faithful only while they are unchanged."""
        inserted = {
            table: {row[columns.index(model._meta.pk.column)] for row in new}
            for table, (model, columns, new) in rows.items()
        }
        wanted = {}
        for model, columns, new in rows.values():
            for field in model._meta.concrete_fields:
                if not (field.many_to_one or field.one_to_one):
                    continue
                target = field.related_model._meta
                index = columns.index(field.column)
                for row in new:
                    value = row[index]
                    if value is not None and value not in inserted.get(target.db_table, ()):
                        wanted.setdefault((target.db_table, target.pk.column), set()).add(value)
        found = {}
        for (table, pk), values in wanted.items():
            model = _tables()[table]
            columns = _columns(model)
            placeholders = ", ".join(["%s"] * len(values))
            cursor.execute(
                f"SELECT {', '.join(map(_quoted, columns))} FROM {_quoted(table)} "  # noqa: S608
                f"WHERE {_quoted(pk)} IN ({placeholders}) ORDER BY {_quoted(pk)}",
                sorted(values),
            )
            found[table] = (pk, sorted(values), cursor.fetchall())
        return found

    def can_copy(self, cursor):
        """Whether copying gives what the real command would: the seeds' ids
        are free, the rows they point at are as they were, files go where
        they went."""
        if _where_the_files_go() != self.storage:
            return False
        for table, (pk, values, was) in self.outside.items():
            columns = _columns(_tables()[table])
            placeholders = ", ".join(["%s"] * len(values))
            cursor.execute(
                f"SELECT {', '.join(map(_quoted, columns))} FROM {_quoted(table)} "  # noqa: S608
                f"WHERE {_quoted(pk)} IN ({placeholders}) ORDER BY {_quoted(pk)}",
                values,
            )
            if [tuple(row) for row in cursor.fetchall()] != [tuple(row) for row in was]:
                return False
        checks = []
        params = []
        for table, (model, columns, new) in self.rows.items():
            pk_index = columns.index(model._meta.pk.column)
            ids = [row[pk_index] for row in new]
            checks.append(
                f"SELECT COUNT(*) FROM {_quoted(table)} "  # noqa: S608
                f"WHERE {_quoted(model._meta.pk.column)} BETWEEN %s AND %s"
            )
            params += [min(ids), max(ids)]
        cursor.execute(" UNION ALL ".join(checks), params)
        return not any(count for (count,) in cursor.fetchall())

    def copy(self, cursor):
        with transaction.atomic():
            for table, (_, columns, new) in self.rows.items():
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {_quoted(table)} ({', '.join(map(_quoted, columns))}) "  # noqa: S608
                    f"VALUES ({placeholders})",
                    new,
                )
            # PostgreSQL's sequences do not follow explicit ids; SQLite's do.
            inserted = [model for model, _, _ in self.rows.values()]
            for sql in connection.ops.sequence_reset_sql(no_style(), inserted):
                cursor.execute(sql)


_snapshots = {}


def load(kind, real_load):
    """Leave the database as `real_load` (which runs `load_initial_content`)
    would: by copying the rows it inserted the first time, where a copy is
    faithful. `kind` names what the load leaves, which differs as its
    on-commit work runs or not."""
    snapshot = _snapshots.get((connection.vendor, kind))
    with connection.cursor() as cursor:
        if snapshot is not None and snapshot.can_copy(cursor):
            snapshot.copy(cursor)
            return
    _snapshots[(connection.vendor, kind)] = Snapshot.record(real_load)
