"""Measures each goal of issue 18 on the data of bench/generate.py, next to the fastest honest
floor doing the same work, and prints one line per goal: figure, floor, ratio, goal, PASS/FAIL.

    python bench/generate.py …            # once, into the same database
    python bench/run.py [--database URL] [--rounds 5]

What is timed is what the user waits for, and each floor does the same work by hand:
- ranking: from the compact's id to the finished standings (the compact read and the reader's
  access, the scheme lookup, the maintained totals, ties, bands, last year's places), against
  raw SQL reading the scheme and aggregating the scores by unit and leaf's parent, carried up
  to the top groups in Python (the aggregate a ranking would run without maintained totals);
- dashboard, score sheet 8 × 150 and the national 25 × 500 sheet: the whole response through
  Django's stack (signed in, every middleware), against the trivial signed-in view (the
  password-change-done page, a small template);
- a whole-sheet save (8 × 150, bonus and deduction items included, every cell changed, with
  reasons): the POST through the stack, against one raw `UPDATE … FROM (VALUES …)` of the
  same cells (version checked) and its history `INSERT … SELECT`, in one transaction, with
  the maintained totals' trigger off (the save pays for it, the floor does not; the
  trigger's own time is printed, from EXPLAIN ANALYZE of the floor's UPDATE); the sheet is
  then put back as it was found (bench/whole_save.py);
- the matrix export: the whole download (reads, writing, the streamed response read to the
  end), against raw SQL reading the same cells, the groups' sums carried up in Python and
  raw XlsxWriter writing the same rows × columns (numbers and SUM formulas, constant memory);
  and its peak Python memory (tracemalloc) at 25 units and at 2 units on the same scheme.
Subject and floor run in alternating blocks (`--rounds` rounds of `--block` runs each), so
that the drift of a shared machine touches both alike; figures are medians of all runs.
"""

import argparse
import copy
import gc
import io
import os
import statistics
import time
import tracemalloc

# The project on the path and Django's settings, as for every benchmark.
import common  # noqa: F401

RAW_SCHEME = "SELECT id, parent_id, kind FROM scoring_criterion WHERE compact_id = %s"
RAW_POINTS = """
    SELECT s.unit_id, COALESCE(c.parent_id, c.id), SUM(s.verified_points), COUNT(*)
    FROM scoring_score s
    JOIN scoring_criterion c ON c.id = s.criterion_id
    WHERE s.compact_id = %s AND c.compact_id = %s AND s.verified_points IS NOT NULL
    GROUP BY s.unit_id, COALESCE(c.parent_id, c.id)
"""
RAW_CELLS = """
    SELECT s.criterion_id, s.unit_id, s.verified_points
    FROM scoring_score s
    WHERE s.compact_id = %s
    ORDER BY s.criterion_id, s.unit_id
"""

GOALS = []  # (name, figure, floor, unit, ratio, goal text, passed)


def alternating(floor, subject, *, rounds, block, warmup=1):
    """Medians (ms) of a floor and a subject run in alternating blocks; each call may return
    its own duration in ms (to leave its set-up out), else it is timed whole."""
    for _ in range(warmup):
        floor()
        subject()
    times = {floor: [], subject: []}
    for round_number in range(rounds):
        order = (floor, subject) if round_number % 2 == 0 else (subject, floor)
        for func in order:
            for _ in range(block):
                started = time.perf_counter()
                measured = func()
                elapsed = (time.perf_counter() - started) * 1000
                times[func].append(measured if isinstance(measured, float) else elapsed)
    return statistics.median(times[floor]), statistics.median(times[subject])


def goal(name, figure, floor, *, unit="ms", limit=None, ratio_limit=None, note=""):
    ratio = figure / floor if floor else float("inf")
    passed = (limit is None or figure < limit) and (ratio_limit is None or ratio <= ratio_limit)
    text = " and ".join(
        part
        for part in (
            f"< {limit:g} {unit}" if limit is not None else "",
            f"≤ {ratio_limit:g}× floor" if ratio_limit is not None else "",
        )
        if part
    )
    GOALS.append((name, figure, floor, unit, ratio, text + note, passed))
    print(
        f"goal.{name}: {figure:.1f} {unit}, floor {floor:.1f} {unit}, {ratio:.2f}×, "
        f"goal {text}{note}: {'PASS' if passed else 'FAIL'}",
        flush=True,
    )


def report(name, value, unit):
    print(f"{name}: {value:.2f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds")
    parser.add_argument("--block", type=int, default=3, help="runs per block")
    parser.add_argument(
        "--only",
        default="ranking,pages,save,export",
        help="a comma-separated subset (dashboard: the dashboard page alone)",
    )
    args = parser.parse_args()
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from scoring.models import Compact, Score

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]

    def last(number):
        return (
            Compact.objects.filter(cluster__managing_body="Bench", cluster__number=number)
            .order_by("-year")
            .first()
        )

    national, sheet_compact, pair = last(1), last(9000), last(9001)
    if national is None or sheet_compact is None or pair is None:
        raise SystemExit("No generated data: run bench/generate.py first on this database.")
    vendor = connection.vendor
    scores = Score.objects.count()
    report(f"{vendor}.data.scores", scores, "scores")
    report(f"{vendor}.data.scores_per_compact", national.scores.count(), "scores")
    runs = {"rounds": args.rounds, "block": args.block}
    clients = signed_in_clients(national, sheet_compact, pair)

    only = set(args.only.split(","))
    if "ranking" in only:
        bench_ranking(national, runs)
    if "pages" in only or "dashboard" in only:
        bench_pages(national, sheet_compact, clients, runs, sheets="pages" in only)
    if "save" in only:
        bench_save(sheet_compact, clients["secretariat"], runs)
    if "export" in only:
        bench_export(national, pair, clients["reader"], runs)

    print()
    print(f"{'goal':<22} {'figure':>12} {'floor':>12} {'ratio':>7}  {'goal':<28} result")
    for name, figure, floor, unit, ratio, text, passed in GOALS:
        print(
            f"{name:<22} {figure:>9.1f} {unit:<2} {floor:>9.1f} {unit:<2} {ratio:>6.2f}×  "
            f"{text:<28} {'PASS' if passed else 'FAIL'}"
        )
    met = sum(passed for *_rest, passed in GOALS)
    print(
        f"summary: {met}/{len(GOALS)} goals met on {vendor} with {scores:,} scores "
        f"(medians of {args.rounds} alternating rounds × {args.block} runs)"
    )


def signed_in_clients(national, sheet_compact, pair):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from units.models import UserRole

    User = get_user_model()
    leader, _ = User.objects.get_or_create(username="bench-leader")
    secretary, _ = User.objects.get_or_create(username="bench-secretary")
    UserRole.objects.get_or_create(user=leader, role="viewer", cluster=None)
    for compact in (sheet_compact, national):
        UserRole.objects.get_or_create(user=secretary, role="secretariat", cluster=compact.cluster)
    reader, writer = Client(), Client()
    reader.force_login(leader)
    writer.force_login(secretary)
    return {"reader": reader, "secretariat": writer}


# --- Ranking ------------------------------------------------------------------------------


def bench_ranking(national, runs):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import RequestFactory

    from scoring import ranking, selectors
    from scoring.access import get_results_for_user

    User = get_user_model()
    pk = national.pk
    standings_of = selectors.standings_for

    def raw():
        """The floor: the scheme and the points by unit and leaf's parent in raw SQL, carried
        up to the top groups and summed by section with the bonus cap."""
        with connection.cursor() as cursor:
            cursor.execute(RAW_SCHEME, [pk])
            parent_of, section = {}, {}
            for node, parent, kind in cursor.fetchall():
                parent_of[node] = parent
                section[node] = ranking.section_of(kind)
            cursor.execute(RAW_POINTS, [pk, pk])
            totals = {}
            for unit_id, node, points, _count in cursor.fetchall():
                while parent_of[node] is not None:
                    node = parent_of[node]
                sums = totals.setdefault(unit_id, {})
                sums[section[node]] = sums.get(section[node], 0) + points
        return sorted(totals.items(), key=lambda item: -sum(item[1].values()))

    reader = User.objects.get(username="bench-leader")
    request = RequestFactory().get(f"/compacts/{pk}/ranking.json")

    def whole():
        """What a ranking request does after its session: the compact and the reader's
        access to it, then the standings (scheme outline, maintained totals, applicability,
        ties, bands, members' names, last year's places and the mergers since)."""
        request.user = copy.copy(reader)  # the scope is read afresh, as in a new request
        compact = get_results_for_user(request, pk)
        return standings_of(compact)

    floor, figure = alternating(raw, whole, **runs)
    goal("ranking", figure, floor, limit=10, ratio_limit=2)


# --- Pages --------------------------------------------------------------------------------


def bench_pages(national, sheet_compact, clients, runs, *, sheets=True):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = [
        ("dashboard", clients["reader"], f"/compacts/{national.pk}/dashboard/"),
        ("sheet_8x150", clients["secretariat"], f"/compacts/{sheet_compact.pk}/sheet/"),
        ("sheet_25x500", clients["secretariat"], f"/compacts/{national.pk}/sheet/"),
    ][: 3 if sheets else 1]
    for name, client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        report(f"page.{name}.html", len(body) // 1024, "KiB")
        report(f"page.{name}.queries", len(queries), "queries")

        def trivial(c=client):
            assert c.get("/accounts/password/done/").status_code == 200

        def page(c=client, u=url):
            assert c.get(u).status_code == 200

        floor, figure = alternating(trivial, page, **runs)
        goal(f"page.{name}", figure, floor, ratio_limit=5, note=" (trivial view)")


# --- The whole-sheet save -----------------------------------------------------------------


def bench_save(compact, client, runs):
    """The whole-sheet save and its floor (bench/whole_save.py); the sheet is put back as
    it was found afterwards."""
    from whole_save import kept_as_found, save_and_floor, trigger_time

    save, raw, cells = save_and_floor(compact, client)
    report("save.cells", len(cells), "cells")
    report("save.bonus_and_deduction_cells", sum(c.kind in ("bonus", "deduction")
                                                 for _u, c in cells), "cells")  # fmt: skip
    with kept_as_found(compact):
        floor, figure = alternating(raw, save, **runs)
    report("save.totals_trigger", trigger_time(compact), "ms")
    goal("sheet_save", figure, floor, ratio_limit=3, note=" (UPDATE…FROM VALUES + history)")


# --- The matrix export --------------------------------------------------------------------


def bench_export(national, pair, client, runs):
    import xlsxwriter
    import xlsxwriter.utility
    from django.db import connection

    from scoring.models import Criterion

    def download(compact):
        response = client.get(f"/compacts/{compact.pk}/export/matrix/")
        assert response.status_code == 200, response.status_code
        return sum(len(chunk) for chunk in response.streaming_content)

    def raw(compact):
        """The floor: raw SQL reading the scheme, the members and the cells; the groups'
        sums carried up in Python; raw XlsxWriter (constant memory) writing the same rows ×
        columns: leaves as numbers, groups and four totals rows as SUM formulas with their
        values (stored as written, as the application stores them), one format."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, parent_id, code, title, max_points FROM scoring_criterion"
                " WHERE compact_id = %s ORDER BY position, id",
                [compact.pk],
            )
            nodes = cursor.fetchall()
            cursor.execute(
                "SELECT u.id, u.short_name FROM units_membership m JOIN units_unit u"
                " ON u.id = m.unit_id WHERE m.cluster_id = %s AND m.year = %s ORDER BY u.id",
                [compact.cluster_id, compact.year],
            )
            units = cursor.fetchall()
            cursor.execute(RAW_CELLS, [compact.pk])
            cells = cursor.fetchall()
        parent_of = {node[0]: node[1] for node in nodes}
        children = {}
        for node in nodes:
            children.setdefault(node[1], []).append(node)
        ordered = []

        def walk(parent_id):
            for node in children.get(parent_id, []):
                ordered.append(node)
                walk(node[0])

        walk(None)
        values, sums = {}, {}
        for criterion_id, unit_id, points in cells:
            values[(criterion_id, unit_id)] = points
            if points is not None:
                node = parent_of[criterion_id]
                while node is not None:
                    sums[(node, unit_id)] = sums.get((node, unit_id), 0) + points
                    node = parent_of[node]
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
        sheet = book.add_worksheet("raw")
        sheet._prepare_formula = lambda formula, expand=False: formula[1:]
        number = book.add_format({"num_format": "#,##0.00", "border": 1})
        sheet.write_row(0, 0, ["TT", "Nội dung", "Điểm chuẩn", *(name for _id, name in units)])
        row_of = {node[0]: row for row, node in enumerate(ordered, start=1)}
        for row, (node_id, _parent, code, title, maximum) in enumerate(ordered, start=1):
            sheet.write_string(row, 0, code)
            sheet.write_string(row, 1, title)
            sheet.write_number(row, 2, float(maximum or 0))
            kids = children.get(node_id)
            for column, (unit_id, _name) in enumerate(units, start=3):
                if kids:
                    letter = xlsxwriter.utility.xl_col_to_name(column)
                    refs = ",".join(f"{letter}{row_of[k[0]] + 1}" for k in kids)
                    total = float(sums.get((node_id, unit_id), 0))
                    sheet.write_formula(row, column, f"=SUM({refs})", number, total)
                    continue
                value = values.get((node_id, unit_id))
                if value is None:
                    sheet.write_blank(row, column, None, number)
                else:
                    sheet.write_number(row, column, float(value), number)
        tops = [row_of[node[0]] + 1 for node in children.get(None, [])]
        for row in range(len(ordered) + 1, len(ordered) + 5):
            for column, (unit_id, _name) in enumerate(units, start=3):
                letter = xlsxwriter.utility.xl_col_to_name(column)
                refs = ",".join(f"{letter}{top}" for top in tops)
                total = float(sum(sums.get((node[0], unit_id), 0) for node in children[None]))
                sheet.write_formula(row, column, f"=SUM({refs})", number, total)
        book.close()
        return len(buffer.getvalue())

    leaves = Criterion.objects.filter(compact=national).count()
    report("export.cells", leaves * national.memberships().count(), "cells")
    report("export.bytes", download(national), "bytes")
    floor, figure = alternating(lambda: raw(national), lambda: download(national), **runs)
    goal("export", figure, floor, ratio_limit=1.5, note=" (raw SQL + raw XlsxWriter)")

    def peak(func):
        gc.collect()
        tracemalloc.start()
        func()
        peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak_bytes / 2**20

    download(pair)
    sizes = {}
    for name, compact in (("2_units", pair), ("25_units", national)):
        sizes[name] = (
            statistics.median(peak(lambda c=compact: download(c)) for _ in range(3)),
            statistics.median(peak(lambda c=compact: raw(c)) for _ in range(3)),
        )
        report(f"export.peak_{name}", sizes[name][0], "MiB")
        report(f"export.raw_peak_{name}", sizes[name][1], "MiB")
    goal(
        "export_memory",
        sizes["25_units"][0],
        sizes["2_units"][0],
        unit="MiB",
        ratio_limit=1.25,
        note=" (floor: the same export at 2 units; flat)",
    )


if __name__ == "__main__":
    main()
