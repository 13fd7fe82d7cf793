"""Measures the application on the data of bench/generate.py, each figure next to its floor
in the same run, and prints one `name: value unit` line per figure and a summary line.

    python bench/generate.py …            # once, into the same database
    python bench/run.py [--database URL]  # default: DATABASE_URL

Figures:
- ranking of one national compact: the ORM's grouped aggregate, the same aggregate written
  as raw SQL (the floor), and the whole ranking (ties, bands, last year's places);
- the dashboard page, the score sheet page (8 × 150) and a sheet save (one unit's column),
  each next to a trivial Django view through the same stack (signed in, same middleware,
  a small template: the password-change-done page);
- the matrix Excel export of a national compact: writing the workbook next to raw openpyxl
  writing the same cells (the floor), then the report's reads and the whole download;
- queries per page.
Floors: the raw SQL and raw openpyxl alternate with what they are the floor of; the trivial
view runs in a block of its own just before each page.
Targets (PostgreSQL, 5,000,000 scores): ranking ≤ 2× raw SQL and < 20 ms; dashboard and
sheet ≤ 10× the trivial view; export ≤ 1.5× raw openpyxl.
"""

import argparse
import io
import os
import statistics
import time

# The project on the path and Django's settings, as for every benchmark.
from common import median_ms, report

# The application's aggregate, by hand: points by unit and each leaf's parent (the
# partial sums are carried up to the top-level groups in Python, by both).
RAW_AGGREGATE = """
    SELECT s.unit_id, COALESCE(c.parent_id, c.id) AS node,
           SUM(s.verified_points), COUNT(*)
    FROM scoring_score s
    JOIN scoring_criterion c ON c.id = s.criterion_id
    WHERE s.compact_id = %s AND c.compact_id = %s AND s.verified_points IS NOT NULL
    GROUP BY s.unit_id, COALESCE(c.parent_id, c.id)
"""


def paired_ms(floor, subject, repeat=11, warmup=2):
    """Medians of a floor and a subject measured in alternation, so that the machine's
    drift during the run (a shared 2-core machine varies by ±30 %) touches both alike."""
    for _ in range(warmup):
        floor()
        subject()
    floors, subjects = [], []
    for _ in range(repeat):
        for func, timings in ((floor, floors), (subject, subjects)):
            started = time.perf_counter()
            func()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(floors), statistics.median(subjects)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database")
    args = parser.parse_args()
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from scoring import excel, selectors
    from scoring.models import Compact, Criterion, Score
    from units.models import UserRole

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vendor = connection.vendor
    national = (
        Compact.objects.filter(cluster__managing_body="Bench", cluster__number=1)
        .order_by("-year")
        .first()
    )
    sheet_compact = (
        Compact.objects.filter(cluster__managing_body="Bench", cluster__number=9000)
        .order_by("-year")
        .first()
    )
    if national is None or sheet_compact is None:
        raise SystemExit("No generated data: run bench/generate.py first on this database.")
    scores = Score.objects.count()
    report(f"{vendor}.data.scores", scores, "scores")
    report(f"{vendor}.data.compacts", Compact.objects.count(), "compacts")
    per_compact = Score.objects.filter(compact=national).count()
    report(f"{vendor}.data.scores_per_compact", per_compact, "scores")

    # Users for the pages: a national leader and the sheet cluster's secretariat.
    from django.contrib.auth import get_user_model

    User = get_user_model()
    leader, _ = User.objects.get_or_create(username="bench-leader")
    secretary, _ = User.objects.get_or_create(username="bench-secretary")
    UserRole.objects.get_or_create(user=leader, role="viewer", cluster=None)
    UserRole.objects.get_or_create(
        user=secretary, role="secretariat", cluster=sheet_compact.cluster
    )
    results = {}

    # 1. The ranking.
    ids = [national.pk]
    outline = selectors._scheme_outline(ids)[2]  # as the ranking passes it

    def raw():
        with connection.cursor() as cursor:  # Django's cursors take %s on every database
            cursor.execute(RAW_AGGREGATE, [national.pk, national.pk])
            cursor.fetchall()

    raw_ms, orm = paired_ms(raw, lambda: selectors.group_points_by_compact(ids, parent_of=outline))
    full = median_ms(lambda: selectors.ranking_for(national), repeat=9)
    with CaptureQueriesContext(connection) as queries:
        selectors.ranking_for(national)
    report(f"{vendor}.ranking.aggregate_orm", orm, "ms")
    report(f"{vendor}.ranking.aggregate_raw_sql", raw_ms, "ms")
    report(f"{vendor}.ranking.orm_vs_raw", orm / raw_ms, "x")
    report(f"{vendor}.ranking.full", full, "ms")
    report(f"{vendor}.ranking.full_queries", len(queries), "queries")
    results["ranking"] = (orm / raw_ms <= 2 and orm < 20, f"{orm:.1f} ms, {orm / raw_ms:.1f}× raw")

    # 2. Pages, next to a trivial view through the same stack.
    reader = Client()
    reader.force_login(leader)
    writer = Client()
    writer.force_login(secretary)
    pages = {
        "dashboard": (reader, f"/compacts/{national.pk}/dashboard/"),
        "sheet_8x150": (writer, f"/compacts/{sheet_compact.pk}/sheet/"),
    }
    for name, (client, url) in pages.items():
        assert client.get(url).status_code == 200, url
        # The trivial view in a block of its own, just before: in alternation with a heavy
        # page (or after a garbage collection) it runs up to twice as slow, which would
        # flatter the ratio.
        trivial = median_ms(lambda c=client: c.get("/accounts/password/done/"), repeat=21)
        elapsed = median_ms(lambda c=client, u=url: c.get(u), repeat=11)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        report(f"{vendor}.page.{name}_trivial_view", trivial, "ms")
        report(f"{vendor}.page.{name}", elapsed, "ms")
        report(f"{vendor}.page.{name}_vs_trivial", elapsed / trivial, "x")
        report(f"{vendor}.page.{name}_queries", len(queries), "queries")
        results[name] = (elapsed / trivial <= 10, f"{elapsed / trivial:.1f}× trivial")

    # A save of one unit's column (152 cells), alternating values so that each writes.
    unit_id = sheet_compact.memberships().order_by("unit_id").values_list("unit_id", flat=True)[0]
    leaves = list(
        Criterion.objects.filter(compact=sheet_compact, kind="judged")
        .leaves()
        .values_list("pk", flat=True)
    )
    state = {"value": 0}

    def save():
        state["value"] = 1 - state["value"]
        versions = dict(
            Score.objects.filter(compact=sheet_compact, unit_id=unit_id).values_list(
                "criterion_id", "version"
            )
        )
        data = {}
        for pk in leaves:
            data[f"v-{unit_id}-{pk}"] = str(5 + state["value"])
            data[f"ver-{unit_id}-{pk}"] = str(versions.get(pk, 0))
            data[f"n-{unit_id}-{pk}"] = "bench"  # differs from self-assessed: a reason
        started = time.perf_counter()
        response = writer.post(f"/compacts/{sheet_compact.pk}/sheet/", data)
        assert response.status_code == 302, response.status_code
        return (time.perf_counter() - started) * 1000

    save()
    save_ms = statistics.median(save() for _ in range(7))
    trivial = median_ms(lambda: writer.get("/accounts/password/done/"), repeat=9)
    report(f"{vendor}.page.sheet_save_column", save_ms, "ms")
    report(f"{vendor}.page.sheet_save_vs_trivial", save_ms / trivial, "x")

    # 3. The matrix export, next to raw openpyxl writing the same cells.
    data = selectors.report_data(national)
    rows, columns = len(data.criteria), len(data.members)

    def raw_openpyxl():
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("raw")
        for r in range(rows + 12):
            sheet.append([f"C{r}", "Tiêu chí", 10.0] + [float(r % 10)] * columns)
        book.save(io.BytesIO())

    # The export writes the report's data (read first, as every report does) into a workbook:
    # that writing is what the floor measures. The download's whole time, reads included, is
    # printed next to it.
    day = national.signed_on or _today()
    raw_xlsx, export = paired_ms(
        raw_openpyxl, lambda: excel.matrix_workbook(data, day=day), repeat=7, warmup=1
    )
    reads = median_ms(lambda: selectors.report_data(national), repeat=7, warmup=1)
    report(f"{vendor}.export.matrix_cells", rows * columns, "cells")
    report(f"{vendor}.export.raw_openpyxl", raw_xlsx, "ms")
    report(f"{vendor}.export.matrix", export, "ms")
    report(f"{vendor}.export.matrix_vs_raw", export / raw_xlsx, "x")
    report(f"{vendor}.export.report_reads", reads, "ms")
    report(f"{vendor}.export.matrix_with_reads", reads + export, "ms")
    report(f"{vendor}.export.matrix_with_reads_vs_raw", (reads + export) / raw_xlsx, "x")
    results["export"] = (export / raw_xlsx <= 1.5, f"{export / raw_xlsx:.1f}× raw openpyxl")

    met = [name for name, (ok, _text) in results.items() if ok]
    print(
        "summary: "
        + "; ".join(
            f"{name} {text} ({'met' if ok else 'NOT met'})" for name, (ok, text) in results.items()
        )
        + f" — {len(met)}/{len(results)} targets met on {vendor} with {scores:,} scores"
    )


def _today():
    import datetime

    return datetime.date.today()


if __name__ == "__main__":
    main()
