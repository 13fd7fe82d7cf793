"""The migrations, applied from zero as `manage.py migrate` applies them on a new server, build
the schema the models describe.

The rest of the suite builds its test database from the models (`--no-migrations` in
pyproject.toml): rendering the migrations' model states took 35–48 s of every run. This test
keeps that honest. It runs the real `migrate` command, in a process of its own whose default
database is a new, empty one of the suite's engine (an SQLite file, or a PostgreSQL database
next to the test database), and compares that schema, table by table, with the test
database's: columns with their types and nullability, and every constraint and index.
`makemigrations --check` (in `make test`) proves the migration files describe the models;
this proves they also apply from zero, data migrations included, and build those very tables.

In a process of its own because the data migrations query through the default database, as
they do in production (`Score.objects`, not `.using(alias)`): run here against a second
alias, they would read the test database instead."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
# Only in the migrated database: Django's record of the migrations it applied.
OWN_TABLES = {"django_migrations", "sqlite_sequence"}
OUR_APPS = ("scoring_", "units_")
# Triggers, views and (PostgreSQL) functions, as (kind, name, table): what a migration may
# build beyond the models' tables, such as migration 0015's triggers for the totals.
OTHERS = {
    "sqlite": "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('trigger', 'view')",
    "postgresql": """
        SELECT 'trigger', tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal
        UNION ALL
        SELECT 'function', p.proname, '' FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
        UNION ALL
        SELECT 'view', table_name, '' FROM information_schema.views WHERE table_schema = 'public'
    """,
}
# Run with DATABASE_URL naming the empty database: migrate it, then print its schema.
MIGRATE_AND_DESCRIBE = """
import json
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from tests.test_migrations import schema
call_command("migrate", interactive=False, verbosity=0)
print(json.dumps(schema(connection)))
"""


def schema(conn):
    """The schema of the database `conn` is connected to, as JSON reads it back: "tables",
    {table: [columns, constraints]}, and "others", the triggers, views and functions. Columns
    are (name, type, nullable); constraints are compared by what they constrain, not by name,
    since SQLite numbers its unnamed ones in the order a table was last rebuilt."""
    tables = {}
    with conn.cursor() as cursor:
        for info in conn.introspection.get_table_list(cursor):
            if info.type != "t" or info.name in OWN_TABLES:
                continue
            columns = sorted(
                (c.name, str(c.type_code).lower(), bool(c.null_ok))
                for c in conn.introspection.get_table_description(cursor, info.name)
            )
            constraints = sorted(
                (
                    tuple(c["columns"] or ()),
                    bool(c["primary_key"]),
                    bool(c["unique"]),
                    tuple(c["foreign_key"] or ()),
                    bool(c["check"]),
                    bool(c["index"]),
                )
                for c in conn.introspection.get_constraints(cursor, info.name).values()
            )
            tables[info.name] = (columns, constraints)
        cursor.execute(OTHERS[conn.vendor])
        others = sorted(map(list, cursor.fetchall()))
    return json.loads(json.dumps({"tables": tables, "others": others}))


@pytest.fixture
def empty_database_url(tmp_path):
    """The URL of a new, empty database of the suite's engine; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_migrated"
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    yield (
        f"postgres://{quote(settings['USER'], safe='')}{password}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{name}"
    )
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")


@pytest.mark.django_db
def test_the_migrations_apply_from_zero_and_build_the_models_schema(empty_database_url):
    run = subprocess.run(
        [sys.executable, "-c", MIGRATE_AND_DESCRIBE],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cumthidua.settings",
            "DATABASE_URL": empty_database_url,
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    from_migrations = json.loads(run.stdout)

    from_models = schema(connection)

    # The test database has what the migrations build beyond the tables only through
    # BEYOND_THE_MODELS in tests/conftest.py.
    assert from_migrations["others"] == from_models["others"]
    assert sorted(from_migrations["tables"]) == sorted(from_models["tables"])
    for table, (columns, constraints) in from_models["tables"].items():
        migrated_columns, migrated_constraints = from_migrations["tables"][table]
        if not table.startswith(OUR_APPS):
            # Django's and the libraries' tables, as their own migrations build them: on
            # PostgreSQL the ids of auth's many-to-many tables are bigint from its migrations
            # and integer from its models (either holds every id), so types are not compared.
            columns, migrated_columns = untyped(columns), untyped(migrated_columns)
        assert migrated_columns == columns, table
        assert migrated_constraints == constraints, table


def untyped(columns):
    return [[name, nullable] for name, _type, nullable in columns]


def test_each_app_has_one_line_of_migrations():
    """Two migrations branching from the same parent (two helpers' 0015s) must be renumbered
    into one line, never joined by a merge migration."""
    # --no-migrations hides the migration modules for the session; read the real ones.
    with override_settings(MIGRATION_MODULES={}):
        loader = MigrationLoader(None, ignore_no_migrations=True)

    merges = [
        key
        for key, migration in loader.disk_migrations.items()
        if key[0] in ("scoring", "units")
        and sum(app == key[0] for app, _name in migration.dependencies) > 1
    ]
    assert loader.detect_conflicts() == {}
    assert merges == []
    assert {app for app, _name in loader.graph.leaf_nodes()} >= {"scoring", "units"}
