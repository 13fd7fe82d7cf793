"""Generates national-scale data for the benchmarks, in bulk.

    python bench/generate.py --clusters 40 --units-per-cluster 10 --criteria 300 --years 5
        (≈ 600,000 scores)
    python bench/generate.py --clusters 40 --units-per-cluster 25 --criteria 500 --years 10
        (≈ 5,000,000 scores; PostgreSQL)

Writes into DATABASE_URL (or --database), after migrating it; an existing generated data set
is replaced. Besides the national data it adds "Cụm bench 8×150": 8 units × 150 criteria,
the size of a real cluster's score sheet, for the page benchmarks. Every score is verified,
and the previous year's compact exists, so rankings have their changes since last year.
Scores go in with PostgreSQL's COPY when the database is PostgreSQL, else bulk_create.
"""

import argparse
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumthidua.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("STATIC_MANIFEST", "0")

BODY = "Bench"  # the managing body of generated clusters: easy to find and to remove
SHEET_CLUSTER = 9000


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", type=int, default=40)
    parser.add_argument("--units-per-cluster", type=int, default=10)
    parser.add_argument("--criteria", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--database", help="a database URL instead of DATABASE_URL")
    return parser.parse_args()


def main():
    args = parse()
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    remove_previous()
    total = 0
    rng = random.Random(2026)
    first_year = 2026 - args.years + 1
    for number in range(1, args.clusters + 1):
        total += build_cluster(
            number,
            args.units_per_cluster,
            args.criteria,
            range(first_year, 2027),
            rng,
            connection,
        )
        if number % 10 == 0:
            print(
                f"  {number}/{args.clusters} clusters, {total:,} scores, "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
    total += build_cluster(SHEET_CLUSTER, 8, 150, range(2025, 2027), rng, connection)
    with connection.cursor() as cursor:
        # Fresh statistics for the planner; on PostgreSQL also clear the dead rows of the data
        # set just replaced (as autovacuum would in time): they slow planning several-fold.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    elapsed = time.perf_counter() - started
    print(f"generate.scores: {total} scores")
    print(f"generate.seconds: {elapsed:.1f} s")
    print(f"summary: {total:,} scores in {elapsed:.0f} s on {connection.vendor}")


def remove_previous():
    from django.db import connection

    from scoring.models import Compact
    from units.models import Cluster, Membership, Unit

    compacts = list(
        Compact.objects.filter(cluster__managing_body=BODY).values_list("pk", flat=True)
    )
    if compacts:
        with connection.cursor() as cursor:
            for table in ("scoring_score", "scoring_target", "scoring_criterion"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE compact_id IN "
                    f"({','.join(str(pk) for pk in compacts)})"
                )
        Compact.objects.filter(pk__in=compacts).delete()
    Membership.objects.filter(cluster__managing_body=BODY).delete()
    Cluster.objects.filter(managing_body=BODY).delete()
    Unit.objects.filter(code__startswith="bench-").delete()


def build_cluster(number, unit_count, criteria, years, rng, connection):
    from scoring.lifecycle import store_final_results
    from scoring.models import Compact, Criterion
    from units.models import Cluster, Membership, Unit

    name = f"Cụm bench {number}" if number != SHEET_CLUSTER else "Cụm bench 8×150"
    cluster = Cluster.objects.create(number=number, name=name, managing_body=BODY)
    units = Unit.objects.bulk_create(
        Unit(
            code=f"bench-{number}-{i}",
            full_name=f"Đơn vị {number}.{i}",
            short_name=f"ĐV {number}.{i}",
            province=f"Tỉnh {number}",
        )
        for i in range(1, unit_count + 1)
    )
    per_group = max(1, (criteria - 2) // 5)
    count = 0
    for year in years:
        Membership.objects.bulk_create(
            Membership(
                cluster=cluster,
                unit=unit,
                year=year,
                role="leader" if i == 0 else "deputy" if i == 1 else "member",
            )
            for i, unit in enumerate(units)
        )
        compact = Compact.objects.create(
            cluster=cluster,
            year=year,
            status="finalized" if year < 2026 else "in_force",
            content_max=Decimal(per_group * 5 * 10),
            bonus_cap=Decimal(50),
        )
        groups = Criterion.objects.bulk_create(
            Criterion(
                compact=compact,
                code=code,
                title=f"Nhóm {code}",
                kind=kind,
                max_points=Decimal(per_group * 10) if kind == "judged" else None,
                position=index * 10_000,
            )
            for index, (code, kind) in enumerate(
                [
                    ("I", "judged"),
                    ("II", "judged"),
                    ("III", "judged"),
                    ("IV", "judged"),
                    ("V", "judged"),
                    ("VI", "bonus"),
                ],
                start=1,
            )
        )
        leaves = Criterion.objects.bulk_create(
            [
                Criterion(
                    compact=compact,
                    parent=group,
                    code=f"{group.code}.{i}",
                    title=f"Tiêu chí {group.code}.{i}",
                    kind="judged",
                    max_points=Decimal(10),
                    position=group.position + i,
                )
                for group in groups[:5]
                for i in range(1, per_group + 1)
            ]
            + [
                Criterion(
                    compact=compact,
                    parent=groups[5],
                    code=f"VI.{i}",
                    title=f"Điểm thưởng {i}",
                    kind="bonus",
                    points_per_occurrence=Decimal(5),
                    position=groups[5].position + i,
                )
                for i in (1, 2)
            ]
        )
        rows = []
        for unit in units:
            strength = rng.uniform(0.75, 0.98)
            for leaf in leaves:
                if leaf.kind == "bonus":
                    value = Decimal(rng.choice([0, 1, 2]))
                    points = value * 5
                else:
                    value = points = Decimal(
                        round(10 * min(1.0, rng.gauss(strength, 0.05)) * 2) / 2
                    )
                rows.append((compact.pk, unit.pk, leaf.pk, value, points, value, points))
        insert_scores(rows, connection)
        count += len(rows)
        if compact.is_finalized:
            store_final_results(compact)  # as finalizing in the application does
    return count


def insert_scores(rows, connection):
    """Inserts (compact, unit, criterion, self value, self points, verified value, verified
    points) rows as version-1 scores."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            # …, self note "", verified note "", updated by NULL, version 1, updated now
            buffer.write("\t".join(str(v) for v in row) + "\t\t\t\\N\t1\tnow\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                "COPY scoring_score (compact_id, unit_id, criterion_id, self_value, self_points,"
                " verified_value, verified_points, self_note, verified_note, updated_by_id,"
                " version, updated_at) FROM STDIN",
                buffer,
            )
        return
    from scoring.models import Score

    Score.objects.bulk_create(
        (
            Score(
                compact_id=c,
                unit_id=u,
                criterion_id=k,
                self_value=sv,
                self_points=sp,
                verified_value=vv,
                verified_points=vp,
            )
            for c, u, k, sv, sp, vv, vp in rows
        ),
        batch_size=5000,
    )


if __name__ == "__main__":
    main()
