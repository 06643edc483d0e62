"""
Django's database cache, with writes that cost the same however full the
table is.

Django 5.2's DatabaseCache counts every row of its table on each set() and
add() (SELECT COUNT(*), to cull the table when it holds more than
MAX_ENTRIES), then reads the row, then writes it: four statements, one of
them a scan that grows with the cache. The page cache writes on every miss
and holds a national site's pages by the hundred thousand, so each miss paid
milliseconds for the count alone (Django ticket #32785 counts less often in
releases after 5.2).

On PostgreSQL this backend writes with one INSERT ... ON CONFLICT and counts
the table once in CULL_CHECK_EVERY writes of a process, culling it as Django
does when it is over MAX_ENTRIES: the table may pass its bound by that many
rows a process between counts. add() keeps Django's meaning (written only if
the key is absent or expired) in the same single statement. Other databases
(SQLite, the embedded default) and touch() use Django's own code.
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

# Writes of a process between two counts of the table.
CULL_CHECK_EVERY = 100


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = 0

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
            self._writes += 1
            if self._writes % CULL_CHECK_EVERY == 1:
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
