import importlib
import sqlite3

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.template.base import PartialTemplate, Template
from django.test import override_settings
from django.test.utils import instrumented_test_render
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from scoring.demo import seed_demo
from scoring.models import Compact, Score
from tests.demo_lookups import PASSWORD

# Property tests check what is read back, not how fast: Hypothesis's 200 ms deadline per
# example failed them at random on a loaded machine ("Unreliable test timings").
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


@pytest.fixture(autouse=True)
def vietnamese():
    """Tests run in the users' language unless they say otherwise."""
    with translation.override("vi"):
        yield


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# What the migrations build beyond the models' tables: (app, migration, function) run on the
# test database, which `--no-migrations` builds from the models alone. A migration that adds
# triggers, functions or views belongs here: tests/test_migrations.py compares them.
BEYOND_THE_MODELS = [("scoring", "0015_score_totals", "install")]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database from the models, plus the maintained totals' triggers (and, on
    PostgreSQL, their functions) that migration 0015 installs."""
    with django_db_blocker.unblock():
        for app, name, function in BEYOND_THE_MODELS:
            module = importlib.import_module(f"{app}.migrations.{name}")
            with connection.schema_editor() as editor:
                getattr(module, function)(apps, editor)


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    """The demo's rows, built once per session: the demo is seeded in a transaction that is
    rolled back, and every row it wrote is kept, table by table. (Seeding takes about half a
    second; copying the rows back a few milliseconds.)"""
    with django_db_blocker.unblock():
        tables = connection.introspection.table_names()
        with connection.cursor() as cursor:
            before = {t: _count(cursor, t) for t in tables}
        rows = {}
        with transaction.atomic():
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS), translation.override("vi"):
                seed_demo(password=PASSWORD)
            # The scores go in first when copied: the trigger that adds each score to the
            # maintained totals then finds no criterion and writes nothing, and the totals
            # are copied as they were (the trigger's work was a fifth of the copy's time).
            scores = Score._meta.db_table
            with connection.cursor() as cursor:
                for table in sorted(tables, key=lambda t: t != scores):
                    if _count(cursor, table) == before[table]:
                        continue
                    assert before[table] == 0, f"the demo changed the prefilled {table}"
                    cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                    columns = [c[0] for c in cursor.description]
                    rows[table] = (columns, cursor.fetchall())
            transaction.set_rollback(True)
    return rows


def _count(cursor, table):
    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
    return cursor.fetchone()[0]


TEMPLATE = "demo_template"


@pytest.fixture(scope="session")
def demo_template(demo_rows):
    """SQLite: the demo's rows in an in-memory database of their own (its own connection, so
    no test's transaction takes them away), which `demo` attaches to the test database's
    connection and copies from with one INSERT … SELECT a table: a tenth of the time
    executemany takes to hand SQLite the same rows from Python. None on other databases."""
    if connection.vendor != "sqlite":
        yield None
        return
    quote = connection.ops.quote_name
    template = sqlite3.connect(f"file:{TEMPLATE}?mode=memory&cache=shared", uri=True)
    with template:
        for table, (columns, rows) in demo_rows.items():
            names = ", ".join(quote(c) for c in columns)
            marks = ", ".join(["?"] * len(columns))
            template.execute(f"CREATE TABLE {quote(table)} ({names})")
            template.executemany(f"INSERT INTO {quote(table)} VALUES ({marks})", rows)
    yield template
    template.close()


@pytest.fixture
def demo(db, demo_rows, demo_template):
    """The Cụm 12 demo, as seed_demo builds it (see demo_rows). Copied into an empty
    database; seeded for real where the test wrote rows of those tables first (their ids
    would collide)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 WHERE "
            + " OR ".join(f"EXISTS (SELECT 1 FROM {quote(table)})" for table in demo_rows)
        )
        if cursor.fetchone():
            seed_demo(password=PASSWORD)
            return
    # In a transaction, so that foreign keys are checked at its end (transactional tests).
    with transaction.atomic(), connection.cursor() as cursor:
        if demo_template is not None:
            _attach(cursor)
        for table, (columns, rows) in demo_rows.items():
            names = ", ".join(quote(c) for c in columns)
            if demo_template is not None:
                cursor.execute(
                    f"INSERT INTO main.{quote(table)} ({names}) "
                    f"SELECT {names} FROM {TEMPLATE}.{quote(table)}"
                )
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        # Ids given explicitly: the sequences (PostgreSQL) continue after them.
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


def _attach(cursor):
    """Attaches the demo's template to the test database's connection, once per connection."""
    cursor.execute("PRAGMA database_list")
    if all(name != TEMPLATE for _seq, name, _file in cursor.fetchall()):
        cursor.execute(f"ATTACH DATABASE 'file:{TEMPLATE}?mode=memory&cache=shared' AS {TEMPLATE}")


@pytest.fixture
def c2018(demo):
    """The demo's 2018 compact."""
    return Compact.objects.get(year=2018)


@pytest.fixture
def officer(client, demo):
    """A client signed in as Nghệ An's officer (`pccc_nghean`), who self-assesses its unit."""
    assert client.login(username="pccc_nghean", password=PASSWORD)
    return client


@pytest.fixture(scope="session")
def libreoffice_profile(tmp_path_factory):
    """One LibreOffice user profile for the session's conversions: building it is most of
    LibreOffice's first start (see tests.programs.convert_with_libreoffice)."""
    return tmp_path_factory.mktemp("libreoffice-profile")


@pytest.fixture
def admin_client(request, client, django_user_model):
    if "demo" in request.fixturenames:
        # The demo first: copied into empty tables it takes milliseconds; after this user
        # it would have to be seeded again (ids would collide).
        request.getfixturevalue("demo")
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture(scope="session", autouse=True)
def suite_settings(tmp_path_factory):
    """What every test runs with, set once for the session (set per test, it was a good part
    of a small test's time):
    - the fast hasher: the demo creates eleven users; the production hasher is deliberately
      slow;
    - static files from the finders: production uses whitenoise's manifest, which needs
      `collectstatic`;
    - uploads in a directory of the session's (`media_root` gives a test one of its own);
    - django-axes off: it needs the request on every sign-in, which the test client's login()
      does not pass; tests of the lockout itself ask for it with the `axes` marker."""
    with override_settings(
        PASSWORD_HASHERS=FAST_HASHERS,
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        AXES_ENABLED=False,
    ):
        yield


def _render(template, context):
    """Django's own Template._render, without the test client's instrumentation."""
    return template.nodelist.render(context)


@pytest.fixture(scope="session", autouse=True)
def plain_template_rendering(django_test_environment):
    """Templates render as in production: the test environment makes every template and
    include send a signal on which the test client keeps a copy of the context (crispy
    renders a template a field), about a twentieth of a page's time. Only a test that reads
    `response.context` needs it: it asks for `template_contexts`."""
    instrumented = Template._render, PartialTemplate._render
    Template._render = PartialTemplate._render = _render
    yield
    Template._render, PartialTemplate._render = instrumented


@pytest.fixture
def template_contexts(monkeypatch):
    """`response.context` and `response.templates` recorded, as Django's test client does."""
    monkeypatch.setattr(Template, "_render", instrumented_test_render)
    monkeypatch.setattr(PartialTemplate, "_render", instrumented_test_render)


@pytest.fixture(autouse=True)
def axes_when_asked(request):
    if request.node.get_closest_marker("axes") is not None:
        request.getfixturevalue("settings").AXES_ENABLED = True


@pytest.fixture
def media_root(settings, tmp_path):
    """An empty upload directory of the test's own, for a test that looks at what was written."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# The longest tests, run first: on two workers a walk of several seconds that came last left
# the other worker idle for as long (pytest-xdist's worksteal hands the quick tests at the
# end of a worker's queue to whichever worker is free).
LONGEST_FIRST = (
    "tests/test_migrations.py",
    "tests/test_url_walk.py",
    "tests/views/test_names_2017.py",
    "tests/test_forms_unchanged.py",
    "tests/scoring/test_hostile_workbooks.py",
    "tests/scoring/test_score_totals.py",
    "tests/scoring/test_review_documents.py",
)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))
