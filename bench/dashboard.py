"""The ranking query and the leaders' dashboard at 8 units × 150 criteria and at
1,000 units × 300 criteria, next to a trivial view measured in the same run.

    python bench/dashboard.py            (SQLite; or set DATABASE_URL for PostgreSQL)
"""

import sys

from common import build_compact, median_ms, report, start_django, stop_django

SIZES = [(8, 150), (1000, 300)]
if "--quick" in sys.argv:
    SIZES = [(8, 150)]


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
        compact = build_compact(units, criteria, 2017)
        label = f"dashboard.{vendor}.{units}x{criteria}"
        report(f"{label}.build", (time.perf_counter() - started), "s")
        repeat = 7 if units < 100 else 3
        ranking = median_ms(lambda c=compact: selectors.standings_for(c), repeat=repeat, warmup=1)
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
