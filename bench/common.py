"""Shared set-up for benchmarks: Django on a throw-away test database, timing helpers."""

import os
import random
import statistics
import sys
import time
from decimal import Decimal
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
    print(
        f"{name}: {value:.2f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}",
        flush=True,  # progress shows through pipes
    )


def build_compact(units, criteria, year):
    """A compact with `units` members and `criteria` judged leaves in 5 groups, all verified."""
    from scoring.models import Compact, Criterion, Score
    from tests.factories import ClusterFactory
    from units.models import Membership, Unit

    cluster = ClusterFactory()
    compact = Compact.objects.create(
        cluster=cluster, year=year, status="finalized", content_max=Decimal(criteria * 10)
    )
    per_group = criteria // 5
    groups = Criterion.objects.bulk_create(
        Criterion(
            compact=compact,
            code=f"G{g}",
            title=f"Nhóm {g}",
            kind="judged",
            max_points=Decimal(per_group * 10),
            position=g * 1000,
        )
        for g in range(1, 6)
    )
    leaves = Criterion.objects.bulk_create(
        Criterion(
            compact=compact,
            parent=group,
            code=f"{group.code}.{i}",
            title=f"Tiêu chí {i}",
            kind="judged",
            max_points=Decimal(10),
            position=group.position + i,
        )
        for group in groups
        for i in range(1, per_group + 1)
    )
    unit_objs = Unit.objects.bulk_create(
        Unit(
            code=f"b{year}-{cluster.number}-{i}",
            full_name=f"Đơn vị {i}",
            short_name=f"ĐV {i}",
            province=f"Tỉnh {i}",
        )
        for i in range(units)
    )
    Membership.objects.bulk_create(
        Membership(cluster=cluster, unit=u, year=year) for u in unit_objs
    )
    rng = random.Random(units * criteria)
    batch = []
    for unit in unit_objs:
        for leaf in leaves:
            points = Decimal(rng.randint(10, 20)) / 2
            batch.append(
                Score(
                    compact=compact,
                    unit=unit,
                    criterion=leaf,
                    verified_value=points,
                    verified_points=points,
                )
            )
            if len(batch) >= 20000:
                Score.objects.bulk_create(batch)
                batch = []
    Score.objects.bulk_create(batch)
    return compact
