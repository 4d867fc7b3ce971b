"""Statements for the hottest paths, without the queryset machinery (ADR 0014).

Building and compiling a queryset, or a model's INSERT, costs 0.35–0.65 ms of CPU in the web process: several times
what PostgreSQL spends answering it. Where a request runs hundreds of times a second — a report arriving through the
API or the web form during a storm — the look-ups and the rows it writes go through these three helpers instead:

    row_get(Category, "code = %s AND active", [code])      # one model instance or None, converters applied
    value_get("SELECT id FROM … WHERE …", [...])            # the first column of the first row, or None
    rows_insert([photo, event, task])                       # new instances, one round trip on PostgreSQL

They do what the ORM does for these simple cases (column lists from the model, defaults, `auto_now_add`, prepared
values, the `pre_save`/`post_save` signals, the database's converters) and refuse what they do not handle (SQL
expressions as values, fields with their own placeholder, rows already saved) rather than write something else. They
do not call a model's own `save()`: use them for models whose `save()` adds nothing to an insert (the audit event's
only refuses updates). Everything else in the code keeps using the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import connections, models
from django.db.models import signals
from django.db.models.fields import AutoFieldMixin

M = TypeVar("M", bound=models.Model)

_SELECT: dict[tuple[str, type, str, str], tuple[str, list[str], list[tuple[int, list, Any]]]] = {}
_INSERT: dict[tuple[str, type, bool], tuple[str, list[models.Field], bool]] = {}


def _connection(using: str | None):
    return connections[using or "default"]


def _select(connection, model: type[M], where: str, also: str = ""):
    key = (connection.alias, model, where, also)
    entry = _SELECT.get(key)
    if entry is None:
        meta, quote = model._meta, connection.ops.quote_name
        fields = list(meta.concrete_fields)
        columns = ", ".join(quote(field.column) for field in fields)
        sql = (
            f"SELECT {columns}{', ' + also if also else ''} FROM {quote(meta.db_table)} WHERE {where} LIMIT 1"
        )
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col(meta.db_table)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                converters.append((index, found, column))
        entry = (sql, [field.attname for field in fields], converters)
        _SELECT[key] = entry
    return entry


def row_get(model: type[M], where: str, params: Sequence[Any], *, using: str | None = None) -> M | None:
    """The first row of `model` matching `where` (a SQL condition on its columns with %s parameters), as an instance
    built the way a queryset builds it; None when no row matches. For unique look-ups (no ORDER BY)."""
    return row_get_also(model, where, params, using=using)[0]


def row_get_also(
    model: type[M],
    where: str,
    params: Sequence[Any],
    *,
    also: str = "",
    also_params: Sequence[Any] = (),
    using: str | None = None,
) -> tuple[M | None, Any]:
    """`row_get`, and the value of one more SQL expression (`also`, a scalar subquery with `also_params`) read in the
    same statement: two look-ups in one round trip. (None, None) when no row matches."""
    connection = _connection(using)
    sql, names, converters = _select(connection, model, where, also)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*also_params, *params] if also else params)
        row = cursor.fetchone()
    if row is None:
        return None, None
    values = list(row[: len(names)])
    for index, found, column in converters:
        for converter in found:
            values[index] = converter(values[index], column, connection)
    return model.from_db(connection.alias, names, values), (row[len(names)] if also else None)


def value_get(sql: str, params: Sequence[Any], *, using: str | None = None) -> Any:
    """The first column of the first row of a hand-written SELECT, or None when it returns no row."""
    with _connection(using).cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row is not None else None


def _insert(connection, model: type[models.Model], auto_pk: bool):
    key = (connection.alias, model, auto_pk)
    entry = _INSERT.get(key)
    if entry is None:
        meta, quote = model._meta, connection.ops.quote_name
        fields = [field for field in meta.local_concrete_fields if not (auto_pk and field.primary_key)]
        for field in fields:
            if getattr(field, "generated", False) or hasattr(field, "get_placeholder"):
                raise TypeError(f"rows_insert cannot write {meta.label}.{field.name}; use the ORM")
        returning = auto_pk and connection.features.can_return_columns_from_insert
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
            + (f" RETURNING {quote(meta.pk.column)}" if returning else "")
        )
        entry = (sql, fields, returning)
        _INSERT[key] = entry
    return entry


def _prepared(obj: models.Model, fields: list[models.Field], connection) -> list[Any]:
    values = []
    for field in fields:
        value = field.pre_save(obj, True)  # defaults are set at construction; auto_now_add, file names here
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"rows_insert cannot write an expression into {obj._meta.label}.{field.name}")
        values.append(field.get_db_prep_save(value, connection))
    return values


def next_id(model: type[models.Model], *, using: str | None = None) -> int:
    """A key drawn ahead from the model's sequence (PostgreSQL), for rows that refer to the new row in the same
    round trip (`rows_together_possible`)."""
    return value_get(
        "SELECT nextval(pg_get_serial_sequence(%s, %s))",
        [model._meta.db_table, model._meta.pk.column],
        using=using,
    )


def rows_together_possible(*, using: str | None = None) -> bool:
    """Whether one `rows_insert` call writes its rows all or nothing by itself, in one round trip: on PostgreSQL
    with client-side binding, when no transaction is open (PostgreSQL runs a string of several statements as one
    transaction). The caller then needs no BEGIN and no COMMIT of its own."""
    connection = _connection(using)
    return _several_per_execute(connection) and connection.get_autocommit() and not connection.in_atomic_block


def _several_per_execute(connection) -> bool:
    """PostgreSQL with client-side binding (Django's default with psycopg 3) runs several statements per call."""
    return connection.vendor == "postgresql" and not connection.settings_dict["OPTIONS"].get(
        "server_side_binding"
    )


_TEMPLATES: dict[tuple[str, ...], str] = {}


def _merged(cursor, statements) -> str:
    """The statements' text with their values as SQL literals, as psycopg's client-side binding makes it."""
    key = tuple(sql for _obj, sql, _values, _auto, _ret in statements)
    template = _TEMPLATES.get(key)
    if template is None:
        template = _TEMPLATES.setdefault(
            key, ";\n".join(sql.replace("%", "%%").replace("%%s", "%s") for sql in key)
        )
    from psycopg.adapt import Transformer

    raw = cursor.cursor  # the psycopg cursor under Django's wrapper
    adapt = Transformer.from_context(raw).as_literal
    encoding = raw.connection.info.encoding
    return template % tuple(
        adapt(value).decode(encoding) if value is not None else "NULL"
        for _obj, _sql, values, _auto, _ret in statements
        for value in values
    )


def rows_insert(objs: Iterable[models.Model], *, using: str | None = None) -> None:
    """INSERT new model instances, in order, as `save(force_insert=True)` would (with its `pre_save` and
    `post_save` signals, when anyone listens); an auto-increment key is set on the instance afterwards. On
    PostgreSQL the statements travel together, one round trip; on SQLite one after another. Call it inside the
    transaction that must hold them all, or where `rows_together_possible()` says that the call is one.
    """
    connection = _connection(using)
    statements = []
    for obj in objs:
        if not obj._state.adding:
            raise TypeError(f"rows_insert writes new rows only, not {obj._meta.label} {obj.pk}")
        if signals.pre_save.has_listeners(type(obj)):
            signals.pre_save.send(
                type(obj), instance=obj, raw=False, using=connection.alias, update_fields=None
            )
        auto_pk = obj.pk is None and isinstance(obj._meta.pk, AutoFieldMixin)
        sql, fields, returning = _insert(connection, type(obj), auto_pk)
        statements.append((obj, sql, _prepared(obj, fields, connection), auto_pk, returning))
    if not statements:
        return
    with connection.cursor() as cursor:
        if len(statements) > 1 and _several_per_execute(connection):
            # Client-side binding merges the parameters into the text, so one execute() may carry several
            # statements; each RETURNING is its own result set, read in order. The merge is done here, with the
            # connection's own literal adapters: psycopg would parse a text this long for placeholders on every call
            # (it caches only short ones), a tenth of the request's CPU.
            cursor.execute(_merged(cursor, statements))
            for index, (obj, _sql, _values, _auto, returning) in enumerate(statements):
                if index and not cursor.nextset():
                    raise RuntimeError("rows_insert: a statement returned no result")
                if returning:
                    obj.pk = cursor.fetchone()[0]
        else:
            for obj, sql, values, auto_pk, returning in statements:
                cursor.execute(sql, values)
                if returning:
                    obj.pk = cursor.fetchone()[0]
                elif auto_pk:
                    obj.pk = connection.ops.last_insert_id(cursor, obj._meta.db_table, obj._meta.pk.column)
    for obj, *_rest in statements:
        obj._state.adding = False
        obj._state.db = connection.alias
        if signals.post_save.has_listeners(type(obj)):
            signals.post_save.send(
                type(obj), instance=obj, created=True, update_fields=None, raw=False, using=connection.alias
            )
