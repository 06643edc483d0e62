"""
Django's PostgreSQL backend, with a bound on every wait for the database.

libpq's own timeouts (connect_timeout, TCP keepalives, tcp_user_timeout,
set in settings) notice a server that is gone. They do not notice a
database that is reachable but does not answer (a partition behind a proxy
or a load balancer that holds connections open and forwards nothing): a
query sent then waits for ever, and so does every worker thread that sends
one. So here:

- a watchdog thread (one per process) shuts down the socket of a
  connection that has waited longer than its bound: DATABASE_HEALTH_CHECK_SECONDS
  for the check Django makes before reusing a connection,
  DATABASE_QUERY_SECONDS for a query, commit or rollback (a little over
  the server's statement_timeout, so that the server's own limit comes
  first while it answers). The waiting call then fails with
  OperationalError, which the site answers with its 503 page;
- a circuit breaker (foundation.circuit): once the database fails, no
  connection is tried for DATABASE_RETRY_SECONDS, so requests get the 503
  page at once instead of each waiting out connect_timeout; then one
  request tries again.
"""

import datetime
import decimal
import itertools
import logging
import os
import re
import socket
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db.backends.postgresql import base

from foundation.circuit import CircuitBreaker

logger = logging.getLogger("smp_site.database")
Database = base.Database


class Watchdog:
    """Shuts down the sockets of connections that waited too long."""

    TICK = 0.05

    def __init__(self):
        self._lock = threading.Lock()
        self._waits = {}  # token -> (deadline, psycopg2 connection, what)
        self._thread = None
        self._pid = None

    @contextmanager
    def guard(self, raw_connection, seconds, what):
        if raw_connection is None or not seconds:
            yield
            return
        self._ensure_running()
        token = object()
        with self._lock:
            self._waits[token] = (time.monotonic() + seconds, raw_connection, what)
        try:
            yield
        finally:
            with self._lock:
                self._waits.pop(token, None)

    def _ensure_running(self):
        # A forked worker (gunicorn) does not inherit its parent's thread.
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                    self._pid = os.getpid()
                    self._thread = threading.Thread(target=self._run, name="database-watchdog", daemon=True)
                    self._thread.start()

    def _run(self):
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            with self._lock:
                expired = [(token, entry) for token, entry in self._waits.items() if entry[0] <= now]
                for token, _entry in expired:
                    del self._waits[token]
            for _token, (_deadline, raw_connection, what) in expired:
                cut(raw_connection, what)


def cut(raw_connection, what):
    """End a connection that waits on a database that does not answer: the
    call waiting on it fails at once (the server never hears of it)."""
    if breaker().failed():
        logger.error("The database did not answer %s in time; requests get the 503 page meanwhile", what)
    try:
        with socket.socket(fileno=os.dup(raw_connection.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, Database.Error):
        pass  # closed already


watchdog = Watchdog()
_breaker = None


def breaker():
    global _breaker
    if _breaker is None:
        _breaker = CircuitBreaker("database", "DATABASE_RETRY_SECONDS")
    return _breaker


# How many statements one connection keeps prepared (each holds its plan in
# the server's memory); queries beyond them are planned at each run.
MOST_PREPARED = 200

# The SQL type of each kind of parameter a prepared statement is declared
# with, so that PostgreSQL never has to guess one (and a statement it could
# not type is never sent): a parameter of another kind is not prepared.
# Each subclass before its base (a bool is an int, a datetime a date); a
# choice (TextChoices) is a str.
PARAMETER_TYPES = [
    (bool, "boolean"),
    (int, "bigint"),
    (str, "text"),
    (float, "double precision"),
    (decimal.Decimal, "numeric"),
    (datetime.datetime, "timestamptz"),
    (datetime.date, "date"),
]


def parameter_type(value):
    return next((sql_type for kind, sql_type in PARAMETER_TYPES if isinstance(value, kind)), None)


# psycopg2's placeholders: %s for a parameter, %% for a percent sign.
PLACEHOLDER = re.compile("%[s%]")


def numbered(sql):
    """`sql` with psycopg2's %s placeholders as PREPARE's $1, $2... (and
    each %% kept: psycopg2 reads the PREPARE sent with the EXECUTE)."""
    count = itertools.count(1)
    return PLACEHOLDER.sub(lambda match: "%%" if match[0] == "%%" else f"${next(count)}", sql)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._bounded_execute)
        self._prepared = {}  # sql -> its statement's name, on self._prepared_on
        self._prepared_on = None
        self._statement_names = itertools.count(1)

    def execute_prepared(self, cursor, sql, params):
        """Run `sql`, a query of a fixed shape (foundation.fixed_queries), as
        a statement this connection prepares once: PostgreSQL then parses and
        plans it once rather than at every run, and planning a query of a few
        joins costs it more than running one (the meeting page's dozen took
        4.1 ms of the server's time planned each time, 0.9 ms prepared). The
        first run sends PREPARE and EXECUTE together, as one query. With
        DATABASE_PREPARED_STATEMENTS off (behind a pooler that hands each
        transaction a different server connection, where a prepared
        statement may not be there), every run is planned."""
        if not settings.DATABASE_PREPARED_STATEMENTS:
            return cursor.execute(sql, params)
        if self.connection is not self._prepared_on:
            self._prepared, self._prepared_on = {}, self.connection
        name = self._prepared.get(sql)
        if name is None:
            types = [parameter_type(param) for param in params]
            if None in types or len(self._prepared) >= MOST_PREPARED:
                return cursor.execute(sql, params)
            # Never a name used before on this connection, even by a
            # statement whose run failed after it was prepared.
            name = f"fixed_query_{next(self._statement_names)}"
            declared = f" ({', '.join(types)})" if types else ""
            prepare = f"PREPARE {name}{declared} AS {numbered(sql)}; "
        else:
            prepare = ""
        arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
        cursor.execute(f"{prepare}EXECUTE {name}{arguments}", params)
        self._prepared[sql] = name

    def _bounded_execute(self, execute, sql, params, many, context):
        with watchdog.guard(self.connection, settings.DATABASE_QUERY_SECONDS, "a query"):
            result = execute(sql, params, many, context)
        # An answer on a connection kept from before: the database is back.
        circuit = breaker()
        if circuit.is_open and circuit.succeeded():
            logger.warning("The database is reachable again")
        return result

    def get_new_connection(self, conn_params):
        circuit = breaker()
        if not circuit.allow():
            raise Database.OperationalError("the database failed just now; not trying again yet")
        try:
            connection = super().get_new_connection(conn_params)
        except Database.Error:
            if circuit.failed():
                logger.error("The database cannot be reached; requests get the 503 page meanwhile")
            raise
        except BaseException:
            circuit.succeeded()
            raise
        if circuit.succeeded():
            logger.warning("The database is reachable again")
        return connection

    def is_usable(self):
        if breaker().is_open:
            return False  # reconnect, which the breaker answers at once
        with watchdog.guard(self.connection, settings.DATABASE_HEALTH_CHECK_SECONDS, "a health check"):
            return super().is_usable()

    def _commit(self):
        with watchdog.guard(self.connection, settings.DATABASE_QUERY_SECONDS, "a commit"):
            return super()._commit()

    def _rollback(self):
        with watchdog.guard(self.connection, settings.DATABASE_QUERY_SECONDS, "a rollback"):
            return super()._rollback()
