"""Generates national-scale data for the benchmarks, shaped like the real thing, in bulk.

    python bench/generate.py --clusters 40 --units-per-cluster 10 --criteria 300 --years 5
        (≈ 600,000 scores)
    python bench/generate.py --clusters 40 --units-per-cluster 25 --criteria 500 --years 10
        (≈ 5,000,000 scores; PostgreSQL)

Writes into DATABASE_URL (or --database), after migrating it; an existing generated data set
is replaced. Besides the national data it adds "Cụm bench 8×150": 8 units × 150 criteria,
the size of a real cluster's score sheet, for the page benchmarks, and "Cụm bench 2 đơn vị"
(2 units on the national scheme of the last year), for the export's memory at two sizes.

The shapes are those of a real year (issue 18), not a flattering grid:
- each year's scheme has three parts, A (content), B (bonus) and C (deductions), five to six
  levels deep (part → group → criterion → sub-criterion → item → sub-item), `--criteria`
  leaves, Vietnamese titles of 59 characters on average;
- 10 % of the content leaves are quantitative against a target registered for each unit, some
  are pass/fail and some counts; part B holds bonus items, part C deduction items (one of them
  disqualifying, never incurred);
- every score is self-assessed and verified (version 2), with a note on one score in eight and
  one evidence file per cell; each score has its two history rows (the self-assessment, then
  the verification); each unit has its assessment; a fifth of the units carry a former name;
- rows are written as a year of saves would write them: one unit's criterion (with its
  sub-criteria) at a time, clusters and units interleaved in random order, history and
  evidence in their own random order, so that one compact's rows are spread over thousands
  of pages rather than stored in perfect order.
Finalized years get their stored final results through the function the finalize transition
uses. Rows go in with PostgreSQL's COPY (INSERT … SELECT for history and evidence), or
executemany on SQLite.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumthidua.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("STATIC_MANIFEST", "0")

BODY = "Bench"  # the managing body of generated clusters: easy to find and to remove
SHEET_CLUSTER = 9000
PAIR_CLUSTER = 9001  # two units on the national scheme: the export's memory at 2 units
LAST_YEAR = 2026
CENT = Decimal("0.01")
BONUS_ITEMS = 6
DEDUCTION_ITEMS = 6

_TEXT = (
    "tổ chức thực hiện công tác phòng cháy chữa cháy và cứu nạn cứu hộ trên địa bàn tỉnh "
    "kết quả tuyên truyền phổ biến giáo dục pháp luật cho quần chúng nhân dân xây dựng "
    "phong trào toàn dân tham gia bảo vệ an ninh tổ quốc kiểm tra an toàn cơ sở thuộc diện "
    "quản lý xử lý vi phạm hành chính huấn luyện nghiệp vụ cho lực lượng dân phòng cơ sở "
    "chuyên ngành thực tập phương án chữa cháy có huy động nhiều lực lượng phương tiện tham "
    "gia đảm bảo thời gian có mặt tại hiện trường sau khi nhận tin báo cháy chấp hành "
    "nghiêm chế độ báo cáo thống kê đúng thời hạn ứng dụng công nghệ thông tin chuyển đổi số "
    "cải cách thủ tục hành chính giải quyết hồ sơ thẩm duyệt thiết kế nghiệm thu đúng hạn "
    "xây dựng đảng bộ chi bộ trong sạch vững mạnh đơn vị an toàn làm chủ sẵn sàng chiến đấu"
)
WORDS = _TEXT.split()
NOTES = [
    "Đơn vị đã hoàn thành chỉ tiêu, có báo cáo kèm theo",
    "Minh chứng chưa đầy đủ, đề nghị bổ sung biên bản kiểm tra",
    "Trừ điểm do báo cáo chậm so với thời hạn quy định",
    "Số liệu theo báo cáo tổng kết năm, đã đối chiếu với Phòng Tham mưu",
    "Đạt yêu cầu",
]
PROVINCES = [
    "Hà Nội",
    "Hải Phòng",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Bình",
    "Thừa Thiên Huế",
    "Đà Nẵng",
    "Quảng Nam",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đồng Nai",
    "Bình Dương",
    "Cần Thơ",
    "An Giang",
    "Kiên Giang",
    "Cà Mau",
    "Lào Cai",
    "Điện Biên",
]


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", type=int, default=40)
    parser.add_argument("--units-per-cluster", type=int, default=10)
    parser.add_argument("--criteria", type=int, default=300, help="leaves per compact")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument(
        "--save-level",
        type=int,
        default=3,
        choices=[2, 3],
        help="rows written per save: a unit's criterion (3, default) or its whole group (2)",
    )
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
    remove_previous(connection)
    rng = random.Random(2026)
    years = range(LAST_YEAR - args.years + 1, LAST_YEAR + 1)
    national = [
        build_cluster(number, args.units_per_cluster, years, rng)
        for number in range(1, args.clusters + 1)
    ]
    sheet = build_cluster(SHEET_CLUSTER, 8, range(LAST_YEAR - 1, LAST_YEAR + 1), rng)
    pair = build_cluster(PAIR_CLUSTER, 2, range(LAST_YEAR, LAST_YEAR + 1), rng)
    total = 0
    for year in years:
        clusters = national + ([pair] if year == LAST_YEAR else [])
        total += fill_year(year, clusters, args.criteria, rng, connection, args.save_level)
        print(f"  {year}: {total:,} scores, {time.perf_counter() - started:.0f} s", flush=True)
    for year in range(LAST_YEAR - 1, LAST_YEAR + 1):
        total += fill_year(year, [sheet], 150, rng, connection, args.save_level)
    with connection.cursor() as cursor:
        # Fresh statistics for the planner; on PostgreSQL also clear the dead rows of the data
        # set just replaced (as autovacuum would in time): they slow planning several-fold.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    elapsed = time.perf_counter() - started
    print(f"generate.scores: {total} scores")
    print(f"generate.seconds: {elapsed:.1f} s")
    print(f"summary: {total:,} scores in {elapsed:.0f} s on {connection.vendor}")


def remove_previous(connection):
    from scoring.models import Compact
    from units.models import Cluster, Membership, Unit

    compacts = ",".join(
        str(pk)
        for pk in Compact.objects.filter(cluster__managing_body=BODY).values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        if compacts:
            for table in (
                "scoring_historicalscore",
                "scoring_evidence",
                "scoring_score",
                "scoring_target",
                "scoring_assessment",
                "scoring_finalresult",
                "scoring_historicalcriterion",
                "scoring_criterion",
            ):
                cursor.execute(f"DELETE FROM {table} WHERE compact_id IN ({compacts})")
    Compact.objects.filter(cluster__managing_body=BODY).delete()
    Membership.objects.filter(cluster__managing_body=BODY).delete()
    Cluster.objects.filter(managing_body=BODY).delete()
    Unit.objects.filter(code__startswith="bench-").delete()  # their former names with them


def build_cluster(number, unit_count, years, rng):
    """The cluster, its units (a fifth with a former name) and their memberships."""
    from units.models import Cluster, Membership, Unit, UnitName

    name = {SHEET_CLUSTER: "Cụm bench 8×150", PAIR_CLUSTER: "Cụm bench 2 đơn vị"}.get(
        number, f"Cụm bench {number}"
    )
    cluster = Cluster.objects.create(number=number, name=name, managing_body=BODY)
    provinces = rng.sample(PROVINCES * 2, unit_count) if unit_count <= 40 else PROVINCES
    units = Unit.objects.bulk_create(
        Unit(
            code=f"bench-{number}-{i}",
            full_name=f"Phòng Cảnh sát PCCC và CNCH, Công an tỉnh {provinces[i % len(provinces)]}"
            f" {number}.{i}",
            short_name=f"PC07 {provinces[i % len(provinces)]} {number}.{i}",
            province=provinces[i % len(provinces)],
        )
        for i in range(unit_count)
    )
    UnitName.objects.bulk_create(
        UnitName(
            unit=unit,
            full_name=f"Cảnh sát PCCC tỉnh {unit.province} {number}.{i}",
            short_name=f"PC66 {unit.province} {number}.{i}",
            valid_from=datetime.date(2010, 1, 1),
            valid_until=datetime.date(years[0] + len(years) // 2, 12, 31),
        )
        for i, unit in enumerate(units)
        if i % 5 == 0
    )
    Membership.objects.bulk_create(
        Membership(
            cluster=cluster,
            unit=unit,
            year=year,
            role="leader" if i == 0 else "deputy" if i == 1 else "member",
        )
        for year in years
        for i, unit in enumerate(units)
    )
    return cluster, units


# --- The scheme ---------------------------------------------------------------------------


def title(rng):
    """A Vietnamese title of 30 to 88 characters (59 on average), as real schemes have."""
    length = rng.randint(30, 88)
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:length].rstrip().capitalize()


def scheme(leaves, rng):
    """One year's scheme as nodes (dicts with `parent` the index of the parent node), in
    tree order: part A (groups I–V, criteria, sub-criteria, items, sub-items: up to six
    levels), part B (bonus items in two groups), part C (deduction items)."""
    nodes = []

    def node(parent, code, kind, level, **fields):
        nodes.append(
            {
                "parent": parent,
                "code": code,
                "title": title(rng),
                "kind": kind,
                "level": level,
                "max_points": None,
                "per": None,
                "rule": "",
                "disqualifying": False,
            }
            | fields
        )
        return len(nodes) - 1

    content = max(5, leaves - BONUS_ITEMS - DEDUCTION_ITEMS)
    part_a = node(None, "A", "judged", 1)
    spread = [content // 5 + (1 if i < content % 5 else 0) for i in range(5)]
    sizes_by_level = {3: [1, 2, 4, 8, 12], 4: [1, 2, 3, 4], 5: [1, 2, 3]}

    def leaf_kind():
        draw = rng.random()
        if draw < 0.10:
            rule = "proportional" if rng.random() < 0.7 else "full_at_target"
            return "quantitative", {"max_points": Decimal(rng.choice([5, 10])), "rule": rule}
        if draw < 0.18:
            return "pass_fail", {"max_points": Decimal(rng.choice([1, 2]))}
        if draw < 0.23:
            return "count", {"max_points": Decimal(5), "per": Decimal(1)}
        return "judged", {"max_points": Decimal(rng.choice([1, 2, 3, 5, 10]))}

    def leaf(parent, code, kind, fields, level):
        return node(parent, code, kind, level, **fields)

    def grow_leaves(parent, count, level, prefix):
        number = 0
        while count > 0:
            number += 1
            size = 1 if level >= 6 else min(count, rng.choice(sizes_by_level[level]))
            code = f"{prefix}.{number}"
            if size == 1:
                leaf(parent, code, *leaf_kind(), level)
            else:
                grow_leaves(node(parent, code, "judged", level), size, level + 1, code)
            count -= size

    for index, count in enumerate(spread):
        roman = ["I", "II", "III", "IV", "V"][index]
        grow_leaves(node(part_a, roman, "judged", 2), count, 3, roman)
    part_b = node(None, "B", "bonus", 1)
    for group in (1, 2):
        parent = node(part_b, f"B.{group}", "bonus", 2)
        for i in range(1, BONUS_ITEMS // 2 + 1):
            node(parent, f"B.{group}.{i}", "bonus", 3, per=Decimal(rng.choice([1, 2])))
    part_c = node(None, "C", "deduction", 1)
    for i in range(1, DEDUCTION_ITEMS + 1):
        node(
            part_c,
            f"C.{i}",
            "deduction",
            2,
            per=Decimal(rng.choice(["0.5", "1", "2"])),
            disqualifying=i == DEDUCTION_ITEMS,
        )
    # Groups' maxima: the sum of their content leaves.
    children = {}
    for index, item in enumerate(nodes):
        children.setdefault(item["parent"], []).append(index)
    for index in reversed(range(len(nodes))):
        item = nodes[index]
        kids = children.get(index)
        item["leaf"] = not kids
        if kids and item["kind"] == "judged":
            item["max_points"] = sum(nodes[k]["max_points"] for k in kids)
    return nodes


def create_scheme(compact, nodes):
    """The scheme's criteria for one compact, level by level; returns their ids by index."""
    from scoring.models import Criterion

    ids = {}
    for level in range(1, 7):
        indexes = [i for i, n in enumerate(nodes) if n["level"] == level]
        created = Criterion.objects.bulk_create(
            Criterion(
                compact=compact,
                parent_id=ids.get(nodes[i]["parent"]),
                code=nodes[i]["code"],
                title=nodes[i]["title"],
                kind=nodes[i]["kind"],
                max_points=nodes[i]["max_points"],
                points_per_occurrence=nodes[i]["per"],
                rule=nodes[i]["rule"],
                disqualifying=nodes[i]["disqualifying"],
                position=(i + 1) * 10,
            )
            for i in indexes
        )
        ids.update({i: c.pk for i, c in zip(indexes, created, strict=True)})
    return ids


# --- A year's scores ----------------------------------------------------------------------


def fill_year(year, clusters, leaves, rng, connection, save_level=3):
    """Creates every cluster's compact of the year with the year's scheme, then writes the
    scores, targets, history, evidence and assessments of all of them, interleaved."""
    from scoring.lifecycle import store_final_results
    from scoring.models import Assessment, Compact

    nodes = scheme(leaves, rng)
    content_max = sum(
        n["max_points"]
        for n in nodes
        if n["leaf"] and n["kind"] != "bonus" and n["kind"] != "deduction"
    )
    finalized = year < LAST_YEAR
    saves, targets, compacts = [], [], []
    for cluster, units in clusters:
        compact = Compact.objects.create(
            cluster=cluster,
            year=year,
            status="finalized" if finalized else "in_force",
            content_max=content_max,
            bonus_cap=(content_max / 20).quantize(Decimal(1)),
        )
        compacts.append(compact)
        ids = create_scheme(compact, nodes)
        for unit in units:
            strength = rng.uniform(0.72, 0.97)
            by_group = {}
            for index, item in enumerate(nodes):
                if not item["leaf"]:
                    continue
                target = None
                if item["kind"] == "quantitative":
                    target = Decimal(rng.randint(10, 200))
                    targets.append((compact.pk, unit.pk, ids[index], target))
                value, points = score_for(item, strength, target, rng)
                self_value, self_points = value, points
                note = ""
                if rng.random() < 1 / 8:
                    note = rng.choice(NOTES)
                row = (
                    compact.pk,
                    unit.pk,
                    ids[index],
                    self_value,
                    self_points,
                    note,
                    value,
                    points,
                    note if note and rng.random() < 0.5 else "",
                    None,
                    2,
                    _moment(year, 11),
                )
                by_group.setdefault(_saved_with(nodes, index, save_level), []).append(row)
            # A save writes one unit's criterion: the year's saves come in any order.
            saves.extend(by_group.values())
    rng.shuffle(saves)
    insert_rows(
        connection,
        "scoring_score",
        [
            "compact_id",
            "unit_id",
            "criterion_id",
            "self_value",
            "self_points",
            "self_note",
            "verified_value",
            "verified_points",
            "verified_note",
            "updated_by_id",
            "version",
            "updated_at",
        ],
        (row for save in saves for row in save),
    )
    rng.shuffle(targets)
    insert_rows(
        connection, "scoring_target", ["compact_id", "unit_id", "criterion_id", "value"], targets
    )
    ids = ",".join(str(c.pk) for c in compacts)
    _history_and_evidence(connection, ids, year)
    Assessment.objects.bulk_create(
        Assessment(
            compact=compact,
            unit=unit,
            status="verified" if finalized else rng.choice(["submitted", "verified"]),
            submitted_at=_moment(year, 10),
        )
        for compact, (_cluster, units) in zip(compacts, clusters, strict=True)
        for unit in units
    )
    if finalized:
        for compact in compacts:
            store_final_results(compact)  # as finalizing in the application does
    return sum(len(save) for save in saves)


def _saved_with(nodes, index, level):
    """The node a leaf is saved with: its criterion (level 3, with its sub-criteria), as
    officers save while they go, or its group (level 2)."""
    while nodes[index]["level"] > level:
        index = nodes[index]["parent"]
    return index


def score_for(item, strength, target, rng):
    """(value, points) of a unit of this strength on a leaf, by the leaf's rule."""
    kind, maximum = item["kind"], item["max_points"]
    if kind == "judged":
        share = min(1.0, max(0.0, rng.gauss(strength, 0.08)))
        points = (maximum * Decimal(round(share * 4)) / 4).quantize(CENT)
        return points, min(points, maximum)
    if kind == "pass_fail":
        value = Decimal(1 if rng.random() < strength else 0)
        return value, maximum * value
    if kind == "count":
        value = Decimal(rng.randint(0, 6))
        return value, min(value * item["per"], maximum)
    if kind == "quantitative":
        value = Decimal(max(0, round(float(target) * rng.gauss(strength, 0.15))))
        if item["rule"] == "full_at_target":
            return value, maximum if value >= target else Decimal(0)
        earned = (maximum * value / target).quantize(CENT, rounding=ROUND_HALF_UP)
        return value, min(earned, maximum)
    if kind == "bonus":
        value = Decimal(rng.choice([0, 0, 0, 1, 2, 3]))
        return value, value * item["per"]
    # Deductions: rare, and never the disqualifying one.
    value = Decimal(0 if item["disqualifying"] or rng.random() > 0.1 else 1)
    return value, value * item["per"]


def _moment(year, month):
    return datetime.datetime(year, month, 15, 9, 0, tzinfo=datetime.UTC)


HISTORY_COLUMNS = (
    "id, self_value, self_points, self_note, verified_value, verified_points, verified_note,"
    " updated_at, version, history_date, history_change_reason, history_type, compact_id,"
    " criterion_id, history_user_id, unit_id, updated_by_id"
)


def _history_and_evidence(connection, compact_ids, year):
    """Two history rows per score (the self-assessment, version 1; the verification, version
    2) and one evidence file per cell, each set in its own random order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO scoring_historicalscore ({HISTORY_COLUMNS}) "
            "SELECT id, self_value, self_points, self_note, NULL, NULL, '', %s, 1, %s, NULL, '+',"
            " compact_id, criterion_id, NULL, unit_id, NULL "
            f"FROM scoring_score WHERE compact_id IN ({compact_ids}) ORDER BY random()",
            [_moment(year, 9), _moment(year, 9)],
        )
        cursor.execute(
            f"INSERT INTO scoring_historicalscore ({HISTORY_COLUMNS}) "
            "SELECT id, self_value, self_points, self_note, verified_value, verified_points,"
            " verified_note, updated_at, version, updated_at, NULL, '~', compact_id,"
            " criterion_id, NULL, unit_id, NULL "
            f"FROM scoring_score WHERE compact_id IN ({compact_ids}) ORDER BY random()",
        )
        cursor.execute(
            "INSERT INTO scoring_evidence (file, original_name, size, content_type, uploaded_at,"
            " compact_id, criterion_id, unit_id, uploaded_by_id) "
            "SELECT 'evidence/bench/' || id || '.pdf', 'Bao-cao-ket-qua-tieu-chi.pdf',"
            " 100000 + id %% 900000, 'application/pdf', %s, compact_id, criterion_id, unit_id,"
            f" NULL FROM scoring_score WHERE compact_id IN ({compact_ids}) ORDER BY random()",
            [_moment(year, 9)],
        )


def insert_rows(connection, table, columns, rows):
    """Inserts rows (tuples in `columns` order): COPY on PostgreSQL, executemany elsewhere."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_text(v) for v in row) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        return
    rows = [[str(v) if isinstance(v, Decimal) else v for v in row] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


if __name__ == "__main__":
    main()
