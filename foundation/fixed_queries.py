"""
Queries of a fixed shape, compiled to SQL once and then run with new values.

The pages built at every page-cache miss (the meeting page, the minute page)
run about a dozen queries whose SQL never changes but for the ids, slugs and
dates in it. The ORM builds each of them again on every request: a chain of
QuerySet clones, then the compiler resolving every join, column and ordering,
about half a millisecond of Python a query, a third of what such a page
costs to build (docs/caching.md). A function marked `@fixed_query` builds
its QuerySet once for each shape of its arguments, with stand-in values; the
SQL it compiles to is kept, with where each argument goes among its
parameters, and later calls run that SQL with their own values, making model
instances exactly as the ORM's ModelIterable does (select_related objects,
deferred fields, annotations, the database's converters).

    @fixed_query
    def resolutions_of(item_ids):
        return Resolution.objects.filter(item_id__in=item_ids).order_by("item_id", "number")

    resolutions_of([3, 5, 8])  # a list of Resolution

A values_list() QuerySet gives a list of tuples, of named tuples with
named=True, or of values with flat=True.

An argument is an int, a str, a date, or a list or tuple of ints; the shape
is the type of each and the length of each list. Anything else (None, a
boolean, a datetime, an empty list), a QuerySet of another kind (values()
dicts, prefetch_related), and a shape whose SQL does not take each stand-in as a parameter
of its own (a lookup that transforms its value) are run through the ORM
every time, so the result is always the ORM's. The QuerySet must depend on
the arguments alone: one built from the time of day would keep the first
call's (compiling one is refused if two builds differ).
"""

import datetime
import functools
import inspect
import itertools

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    NamedValuesListIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.utils import create_namedtuple_class

# Stand-ins: distinct, and within the range of every integer field (a value
# out of a field's range makes the ORM drop the condition).
FIRST_INT = 16_384
FIRST_DAY = datetime.date(1001, 1, 1)
STRING = "\x1bfixed-query-{}\x1b"

# Shapes kept a query: beyond them, calls run through the ORM.
MOST_SHAPES = 256

ORM = object()  # a shape the ORM runs each time

# What each kind of QuerySet makes of its rows: model instances, tuples
# (values_list()), named tuples (values_list(named=True)) or single values
# (values_list(flat=True)).
ROWS = {
    ModelIterable: "instances",
    ValuesListIterable: "tuples",
    NamedValuesListIterable: "named",
    FlatValuesListIterable: "values",
}


def fixed_query(build):
    """Mark `build` (arguments to a QuerySet) as a query of a fixed shape:
    calling it returns the list its QuerySet would give."""
    return FixedQuery(build)


class FixedQuery:
    def __init__(self, build):
        self.build = build
        self.signature = inspect.signature(build)
        self.compiled = {}
        functools.update_wrapper(self, build)

    def __call__(self, *args, **kwargs):
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        values = bound.arguments
        shape = tuple(map(shape_of, values.values()))
        compiled = ORM if None in shape else self.compiled.get(shape)
        if compiled is None:
            if len(self.compiled) >= MOST_SHAPES:
                compiled = ORM
            else:
                compiled = self.compiled[shape] = compile_query(self.build, values)
        if compiled is ORM:
            return list(self.build(**values))
        return compiled.run(list(values.values()))


def shape_of(value):
    """What the SQL of a query depends on in this argument, or None if the
    ORM should compile it each time."""
    if isinstance(value, (list, tuple)):
        if value and all(type(each) is int for each in value):
            return len(value)
        return None
    if type(value) in (int, str, datetime.date):
        return type(value).__name__
    return None


def compile_query(build, values):
    """A Compiled for the shape of `values`, or ORM.

    The QuerySet is built and compiled twice, with two sets of stand-ins:
    the parameters where each set's stand-ins land are the arguments'
    places, provided both agree (a constant of the query equal to a
    stand-in, or a lookup that transforms its value, makes them differ: the
    ORM runs that shape), and the rest must be the same constants."""
    first = compile_with_stand_ins(build, values, 0)
    if first is ORM:
        return ORM
    compiler, sql, sources, rows = first
    second = compile_with_stand_ins(
        build, values, sum(len(v) if isinstance(v, (list, tuple)) else 1 for v in values.values())
    )
    if second is ORM or [source[:3] for source in sources] != [source[:3] for source in second[2]]:
        return ORM
    if sql != second[1] or sources != second[2]:
        # Built from something besides its arguments (the time, a setting):
        # the SQL kept would keep that too.
        raise ValueError(f"{build.__qualname__} builds another query from the same arguments")
    selected = [column[0] for column in compiler.select]
    if compiler.has_composite_fields(selected):
        return ORM
    return Compiled(compiler, sql, sources, rows)


def compile_with_stand_ins(build, values, first):
    """(compiler, SQL, where each parameter comes from, what its rows
    become) of the QuerySet
    `build` makes of stand-ins for `values`, numbered from `first`, or ORM.
    Each parameter's source is (argument's position, index in its list or
    None, passed as ISO text) for a stand-in, else (None, None, None, the
    constant)."""
    counter = itertools.count(first)
    stand_ins = {}  # stand-in -> (argument's position, index in its list)

    def stand_in(value, where):
        number = next(counter)
        if isinstance(value, int):
            made = FIRST_INT + number
        elif isinstance(value, str):
            made = STRING.format(number)
        else:
            made = FIRST_DAY + datetime.timedelta(days=number)
        stand_ins[made] = where
        return made

    arguments = {}
    for position, (name, value) in enumerate(values.items()):
        if isinstance(value, (list, tuple)):
            arguments[name] = [stand_in(each, (position, index)) for index, each in enumerate(value)]
        else:
            arguments[name] = stand_in(value, (position, None))
    queryset = build(**arguments)
    if (
        queryset._iterable_class not in ROWS
        or queryset._prefetch_related_lookups
        or queryset._known_related_objects
    ):
        return ORM
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        return ORM
    sources = [find_stand_in(param, stand_ins) or (None, None, None, param) for param in params]
    found = {(position, index) for position, index, _, _ in sources if position is not None}
    if found != set(stand_ins.values()):
        return ORM
    return compiler, sql, sources, ROWS[queryset._iterable_class]


def find_stand_in(param, stand_ins):
    """Where `param` comes from if it is a stand-in, as the database takes
    it (SQLite is passed a date as its ISO text), else None."""
    if type(param) in (int, str, datetime.date) and param in stand_ins:
        return (*stand_ins[param], False, None)
    if isinstance(param, str) and len(param) == 10:
        try:
            day = datetime.date.fromisoformat(param)
        except ValueError:
            return None
        if day in stand_ins:
            return (*stand_ins[day], True, None)
    return None


class Compiled:
    """One shape's SQL, where each argument goes among its parameters, and
    what its rows become (the ORM's iterables' steps, done once)."""

    def __init__(self, compiler, sql, sources, rows):
        self.compiler = compiler
        self.sql = sql
        self.sources = sources
        self.rows = rows
        self.alias = compiler.using
        self.columns = compiler.col_count
        self.converters = compiler.get_converters([column[0] for column in compiler.select[: self.columns]])
        if rows == "instances":
            klass_info = compiler.klass_info
            self.model = klass_info["model"]
            fields = klass_info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.init_list = [column[0].target.attname for column in compiler.select[self.start : self.end]]
            self.populators = get_related_populators(klass_info, compiler.select, self.alias)
            self.annotations = compiler.annotation_col_map
        if rows == "named":
            query = compiler.query
            self.named = create_namedtuple_class(
                *query.extra_select, *query.values_select, *query.annotation_select
            )

    def run(self, arguments):
        params = []
        for position, index, as_text, constant in self.sources:
            if position is None:
                params.append(constant)
                continue
            value = arguments[position] if index is None else arguments[position][index]
            params.append(value.isoformat() if as_text else value)
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            # PostgreSQL prepares it once per connection (foundation.postgresql).
            if hasattr(connection, "execute_prepared"):
                connection.execute_prepared(cursor, self.sql, params)
            else:
                cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.compiler.has_extra_select:
            # Columns selected only to order by: not the rows'.
            rows = [row[: self.columns] for row in rows]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.rows == "tuples":
            return [tuple(row) for row in rows]
        if self.rows == "named":
            return [tuple.__new__(self.named, row) for row in rows]
        if self.rows == "values":
            return [row[0] for row in rows]
        instances = []
        for row in rows:
            instance = self.model.from_db(self.alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, column in self.annotations.items():
                setattr(instance, name, row[column])
            instances.append(instance)
        return instances
