"""The score sheet at 8 units × 150 criteria: render and save, next to a trivial view.

    python bench/sheet.py            (SQLite; or set DATABASE_URL for PostgreSQL)

Prints one `name: value unit` line per figure. Times are medians through the whole stack
(middleware, sessions, templates) with Django's test client, in one process.
"""

from decimal import Decimal

from common import median_ms, report, start_django, stop_django

UNITS, GROUPS, PER_GROUP = 8, 5, 30


def main():
    connection = start_django()
    try:
        run(connection)
    finally:
        stop_django(connection)


def run(connection):
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from scoring.models import Criterion, Score
    from tests.factories import UserFactory, UserRoleFactory, build_compact

    compact, members, _ = build_compact(units=UNITS, groups=GROUPS, criteria_per_group=PER_GROUP)
    leaves = list(Criterion.objects.filter(compact=compact).leaves())
    Score.objects.bulk_create(
        Score(compact=compact, unit=u, criterion=c, self_value=Decimal(1), self_points=Decimal(1))
        for u in members
        for c in leaves
    )
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client = Client()
    client.force_login(user)
    url = reverse("scoring:sheet", args=[compact.pk])

    trivial = median_ms(lambda: client.get("/healthz"))
    render = median_ms(lambda: client.get(url))

    state = {"value": 0}

    def save(units):
        # Alternate values so every save really writes every cell it posts.
        state["value"] = 1 - state["value"]
        data = {}
        for unit in units:
            for leaf in leaves:
                scores = Score.objects.filter(compact=compact, unit=unit, criterion=leaf)
                version = scores.values_list("version", flat=True).first() or 0
                data[f"v-{unit.pk}-{leaf.pk}"] = str(state["value"])
                data[f"n-{unit.pk}-{leaf.pk}"] = "bench"
                data[f"ver-{unit.pk}-{leaf.pk}"] = str(version)
        return data

    def timed_save(units):
        import time

        timings = []
        for _ in range(5):
            data = save(units)
            started = time.perf_counter()
            response = client.post(url, data)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
        timings.sort()
        return timings[len(timings) // 2]

    save_column = timed_save(members[:1])
    save_sheet = timed_save(members)

    with CaptureQueriesContext(connection) as render_queries:
        client.get(url)
    from scoring.selectors import score_sheet

    selector = median_ms(lambda: score_sheet(compact))

    vendor = connection.vendor
    report(f"sheet.{vendor}.size", f"{UNITS}x{len(leaves)}", "units x criteria")
    report(f"sheet.{vendor}.trivial_view", trivial, "ms")
    report(f"sheet.{vendor}.render", render, "ms")
    report(f"sheet.{vendor}.render_vs_trivial", render / trivial, "x")
    report(f"sheet.{vendor}.render_queries", len(render_queries), "queries")
    report(f"sheet.{vendor}.render_selector_only", selector, "ms")
    report(f"sheet.{vendor}.save_one_column", save_column, "ms")
    report(f"sheet.{vendor}.save_whole_sheet", save_sheet, "ms")


if __name__ == "__main__":
    main()
