"""Writing many rows of one model in one statement: `bulk_update_with_history` (simple_history's
function of that name, done in two statements) for a whole sheet's changed scores. Called by
services.scores.record_scores.

Django's `bulk_update` writes `SET f = CASE WHEN id = 1 THEN … WHEN id = 2 THEN … END` for
every field, which the database evaluates row by row against every branch: for a whole
sheet (1,176 cells) it was ~85 % of the save. One `UPDATE … FROM (VALUES …)` joins the new
values to the rows by id instead; it runs on PostgreSQL and on SQLite ≥ 3.33 (UPDATE … FROM).
The history rows are then copied from the rows just written by one `INSERT … SELECT`, rather
than built as a thousand model instances and sent back field by field.
"""

from functools import partial

from django.conf import settings
from django.db import connections, router, transaction
from simple_history.utils import bulk_update_with_history as bulk_update_with_history_by_orm

# PostgreSQL's wire protocol counts a statement's parameters in 16 bits; SQLite reports its
# own limit (32,766 by default). Rows are sent in chunks that respect the smaller.
POSTGRES_MAX_PARAMS = 2**16 - 1


def bulk_update_with_history(objs, model, fields, *, default_user, default_date) -> int:
    """Writes `fields` of `objs` in one UPDATE, then their history rows in one INSERT: the
    same rows as simple_history.utils.bulk_update_with_history — type "~", every tracked
    field as saved, `default_user` (else the request's user) at `default_date`, no change
    reason. Returns the rows updated."""
    if any(hasattr(o, "_history_user") or hasattr(o, "_change_reason") for o in objs):
        # Per-instance history attributes: simple_history's own path honours them.
        return bulk_update_with_history_by_orm(
            objs, model, fields, default_user=default_user, default_date=default_date
        )
    with transaction.atomic(savepoint=False):
        updated = update_rows(model, objs, fields)
        if objs and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history = model.history.model
            user = default_user or history.get_default_history_user(objs[0])
            copy_history_rows(model, [o.pk for o in objs], user=user, date=default_date)
    return updated


def copy_history_rows(model, ids: list, *, user, date, history_type: str = "~") -> None:
    """One history row of `model` for each of the rows `ids`, copied from the rows as stored
    now: `INSERT INTO history (fields…, history_*) SELECT fields…, %s … FROM table WHERE id IN
    (…)`, one statement per chunk of ids."""
    connection = connections[router.db_for_write(model)]
    history = model.history.model
    tracked = history.tracked_fields
    quote = connection.ops.quote_name
    source = [quote(model._meta.get_field(f.name).column) for f in tracked]
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    extra_fields = [history._meta.get_field(name) for name in extra]
    extra_values = [date, None, history_type, user.pk if user else None]
    extra_params = [
        f.get_db_prep_save(v, connection) for f, v in zip(extra_fields, extra_values, strict=True)
    ]
    columns = ", ".join(
        [quote(f.column) for f in tracked] + [quote(f.column) for f in extra_fields]
    )
    limit = min(connection.features.max_query_params or POSTGRES_MAX_PARAMS, POSTGRES_MAX_PARAMS)
    per_chunk = max(1, limit - len(extra_params))
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), per_chunk):
            chunk = ids[start : start + per_chunk]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}) "
                f"SELECT {', '.join(source)}, {', '.join(['%s'] * len(extra_params))} "
                f"FROM {table} WHERE {pk} IN ({', '.join(['%s'] * len(chunk))})",
                [*extra_params, *chunk],
            )


def update_rows(model, objs, fields: list[str]) -> int:
    """Writes `fields` of `objs` (saved instances of `model`) as they are in memory: one
    UPDATE per chunk of rows (one for a whole sheet). Like `bulk_update`, it sends no
    signals and leaves `auto_now` fields as set on the instances. Returns the rows
    updated."""
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    limit = connection.features.max_query_params or POSTGRES_MAX_PARAMS
    per_chunk = max(1, min(limit, POSTGRES_MAX_PARAMS) // len(columns))
    preps = [(meta.pk.attname, partial(meta.pk.get_db_prep_save, connection=connection))]
    preps += [(column.attname, _memoized_prep(column, connection)) for column in columns[1:]]
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_chunk):
            chunk = objs[start : start + per_chunk]
            sql = _update_sql(connection, meta.db_table, columns, len(chunk))
            params = [prep(getattr(obj, attname)) for obj in chunk for attname, prep in preps]
            cursor.execute(sql, params)
            updated += cursor.rowcount
    return updated


def _memoized_prep(column, connection):
    """`column.get_db_prep_save` remembered by value: a sheet's 1,200 rows share a few dozen
    values, one moment and one user per column (the primary keys, all distinct, are not
    remembered). Values are told apart by type too (True and 1 are equal keys)."""
    prepared = {}

    def prep(value):
        key = (type(value), value)
        try:
            return prepared[key]
        except KeyError:
            found = prepared[key] = column.get_db_prep_save(value, connection)
            return found
        except TypeError:  # unhashable
            return column.get_db_prep_save(value, connection)

    return prep


def _update_sql(connection, table: str, columns, rows: int) -> str:
    """`WITH v(id, a, b) AS (VALUES (%s, %s, %s), …) UPDATE table SET a = v.a, b = v.b FROM v
    WHERE table.id = v.id` — a CTE names the VALUES columns on both databases (SQLite has no
    column list on a subquery's alias). On PostgreSQL a parameter sent as text (or a column of
    NULLs only) has no type of its own, so each value is cast to its column's type."""
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"

    def value(column) -> str:
        name = f"v.{quote(column.column)}"
        return f"CAST({name} AS {column.db_type(connection)})" if postgres else name

    pk, *changed = columns
    names = ", ".join(quote(c.column) for c in columns)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    assignments = ", ".join(f"{quote(c.column)} = {value(c)}" for c in changed)
    return (
        f"WITH v ({names}) AS (VALUES {', '.join([row] * rows)}) "
        f"UPDATE {quote(table)} SET {assignments} FROM v "
        f"WHERE {quote(table)}.{quote(pk.column)} = {value(pk)}"
    )
