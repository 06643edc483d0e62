"""
Django's database cache, with writes that cost the same however full the
table is.

Django 5.2's DatabaseCache counts every row of its table on each set() and
add() (SELECT COUNT(*), to cull the table when it holds more than
MAX_ENTRIES), then reads the row, then writes it. The page cache writes on
every miss and holds a national site's pages by the hundred thousand, so each
miss paid milliseconds for the count alone (3 ms at 43,000 rows), growing
with the table.

On PostgreSQL this backend reads the planner's row estimate for the table
(pg_class.reltuples, kept by autovacuum's ANALYZE) instead of counting it,
and counts exactly, then culls as Django does, only when the estimate is
over MAX_ENTRIES. A table never analyzed (reltuples -1) is counted. It
writes with one INSERT ... ON CONFLICT. So each write is the same two
statements whatever the table holds, and the table passes its bound by at
most what is written before autovacuum next analyzes it (50 rows and a tenth
of the table, by PostgreSQL's defaults). add() keeps Django's meaning
(written only if the key is absent or expired) in the same single
statement. Other databases (SQLite, the embedded default) and touch() use
Django's own code.
"""

import base64
import contextlib
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor != "postgresql" or mode not in ("set", "add"):
            return super()._base_set(mode, key, value, timeout)
        timeout = self.get_backend_timeout(timeout)
        now = tz_now().replace(microsecond=0)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        table = connection.ops.quote_name(self._table)
        # add() replaces only an expired row; set() any.
        only_if_expired = f" WHERE {table}.expires < %s" if mode == "add" else ""
        with connection.cursor() as cursor:
            if self._estimated_rows(cursor, table) > self._max_entries:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (the configured table's quoted name)
                rows = cursor.fetchone()[0]
                if rows > self._max_entries:
                    self._cull(db, cursor, now, rows)
            params = [key, encoded, expires]
            if mode == "add":
                params.append(connection.ops.adapt_datetimefield_value(now))
            try:
                # Inside a transaction (a save's), in a savepoint of its own,
                # so that a failed write leaves the transaction usable.
                with transaction.atomic(using=db) if connection.in_atomic_block else contextlib.nullcontext():
                    cursor.execute(
                        f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s)"  # noqa: S608
                        " ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires"
                        + only_if_expired,
                        params,
                    )
            except DatabaseError:
                # As Django's: a write that fails is not stored, and not an error.
                return False
            return cursor.rowcount == 1

    @staticmethod
    def _estimated_rows(cursor, table):
        # The configured table's quoted name, no visitor's input.
        count = f"SELECT COUNT(*) FROM {table}"  # noqa: S608
        cursor.execute(
            f"SELECT CASE WHEN reltuples < 0 THEN ({count}) ELSE reltuples::bigint END FROM pg_class"  # noqa: S608
            " WHERE oid = to_regclass(%s)",
            [table],
        )
        row = cursor.fetchone()
        return row[0] if row else 0
