"""Shared set-up for benchmarks: Django on a throw-away test database, timing helpers."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumthidua.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
# No collectstatic needed: static URLs come from the plain storage.
os.environ.setdefault("STATIC_MANIFEST", "0")


def start_django():
    """Sets Django up on a fresh test database (SQLite, or DATABASE_URL's server)."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection


def stop_django(connection):
    from django.test.utils import teardown_test_environment

    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    teardown_test_environment()


def median_ms(func, *, repeat=7, warmup=2):
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def report(name, value, unit):
    print(f"{name}: {value:.2f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}")
