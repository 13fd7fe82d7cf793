"""The ranking query and the leaders' dashboard at 8 units × 150 criteria and at
1,000 units × 300 criteria, next to a trivial view measured in the same run.

    python bench/dashboard.py            (SQLite; or set DATABASE_URL for PostgreSQL)
"""

import random
import sys
from decimal import Decimal

from common import median_ms, report, start_django, stop_django

SIZES = [(8, 150), (1000, 300)]
if "--quick" in sys.argv:
    SIZES = [(8, 150)]


def build(units, criteria, year):
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


def main():
    connection = start_django()
    try:
        run(connection)
    finally:
        stop_django(connection)


def run(connection):
    import time

    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from scoring import selectors
    from tests.factories import UserFactory, UserRoleFactory

    vendor = connection.vendor
    user = UserFactory()
    UserRoleFactory(user=user, role="viewer", cluster=None)
    client = Client()
    client.force_login(user)
    trivial = median_ms(lambda: client.get("/healthz"))
    report(f"dashboard.{vendor}.trivial_view", trivial, "ms")
    for units, criteria in SIZES:
        started = time.perf_counter()
        compact = build(units, criteria, 2017)
        label = f"dashboard.{vendor}.{units}x{criteria}"
        report(f"{label}.build", (time.perf_counter() - started), "s")
        repeat = 7 if units < 100 else 3
        ranking = median_ms(lambda c=compact: selectors.ranking_for(c), repeat=repeat, warmup=1)
        url = reverse("scoring:dashboard", args=[compact.pk])
        page = median_ms(lambda u=url: client.get(u), repeat=repeat, warmup=1)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        report(f"{label}.ranking_query", ranking, "ms")
        report(f"{label}.page", page, "ms")
        report(f"{label}.page_vs_trivial", page / trivial, "x")
        report(f"{label}.page_queries", len(queries), "queries")


if __name__ == "__main__":
    main()
