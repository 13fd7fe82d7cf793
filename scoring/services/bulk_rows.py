"""Writing many rows of one model in one statement: `bulk_update_with_history` (simple_history's
function of that name, with `update_rows` in place of Django's `bulk_update`) for a whole
sheet's changed scores. Called by services.scores.record_scores.

Django's `bulk_update` writes `SET f = CASE WHEN id = 1 THEN … WHEN id = 2 THEN … END` for
every field, which the database evaluates row by row against every branch: for a whole
sheet (1,176 cells) it was ~85 % of the save. One `UPDATE … FROM (VALUES …)` joins the new
values to the rows by id instead. It runs on PostgreSQL and on SQLite ≥ 3.33 (UPDATE … FROM).
"""

from django.db import connections, router, transaction

# PostgreSQL's wire protocol counts a statement's parameters in 16 bits; SQLite reports its
# own limit (32,766 by default). Rows are sent in chunks that respect the smaller.
POSTGRES_MAX_PARAMS = 2**16 - 1


def bulk_update_with_history(objs, model, fields, *, default_user, default_date) -> int:
    """Writes `fields` of `objs` in one UPDATE, then their history rows (type "~", by
    `default_user` at `default_date`, every tracked field as in memory) in one INSERT per
    batch: the same rows as simple_history.utils.bulk_update_with_history."""
    with transaction.atomic(savepoint=False):
        updated = update_rows(model, objs, fields)
        model.history.bulk_history_create(
            objs,
            update=True,
            default_user=default_user,
            default_date=default_date,
            default_change_reason=None,  # simple_history's bulk_update_with_history's default
        )
    return updated


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
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_chunk):
            chunk = objs[start : start + per_chunk]
            sql = _update_sql(connection, meta.db_table, columns, len(chunk))
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection)
                for obj in chunk
                for column in columns
            ]
            cursor.execute(sql, params)
            updated += cursor.rowcount
    return updated


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
