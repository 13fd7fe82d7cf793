"""Schemes as secretariats type them: six workbook shapes, each with the summary that
`import_scheme --dry-run --format json` prints for it, and the shapes it refuses."""

import io
import json
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scoring import scheme_reader, schemes, selectors
from scoring.excel import parse_scheme_workbook
from scoring.models import MAX_DEPTH, Compact, Criterion
from scoring.scheme_reader import read_scheme
from tests.factories import UserFactory, build_compact, score
from tests.programs import convert_with_libreoffice
from tests.scoring import scheme_shapes as shapes

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures"
# The shared example and the summary its README gives (plus each group's title).
DECIMAL_CODES_SUMMARY = {
    "groups": [
        {"code": "Phần I", "title": "CÁC TIÊU CHÍ VỀ NHIỆM VỤ CHUYÊN MÔN", "maximum": 600},
        {"code": "Phần II", "title": "XÂY DỰNG ĐẢNG, XÂY DỰNG LỰC LƯỢNG", "maximum": 350},
    ],
    "content_total": 950,
    "leaf_count": 12,
    "leaf_total": 950,
    "max_depth": 4,
    "bonus_cap": 50,
    "bonus_items": 2,
    "deduction_items": 2,
    "problems": [],
}
# Shape 2 re-saved by LibreOffice Calc (`soffice --headless --convert-to xlsx`).
LIBREOFFICE_FIXTURE = FIXTURES / "scheme-parts-abc-libreoffice.xlsx"


def summary_of(tmp_path, content: bytes, capsys) -> tuple[dict, str | None]:
    """The command's JSON summary of a workbook, and its error when it refuses it."""
    path = tmp_path / "bang-tieu-chi.xlsx"
    path.write_bytes(content)
    error = None
    try:
        call_command("import_scheme", str(path), "--dry-run", "--format", "json")
    except CommandError as refused:
        error = str(refused)
    return json.loads(capsys.readouterr().out), error


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            lambda: (FIXTURES / "scheme-decimal-codes.xlsx").read_bytes(),
            DECIMAL_CODES_SUMMARY,
            id="decimal-codes-phan-parts-two-row-header",
        ),
        pytest.param(shapes.parts_abc, shapes.PARTS_ABC_SUMMARY, id="parts-abc-total-rows"),
        pytest.param(shapes.commune_five_levels, shapes.COMMUNE_SUMMARY, id="five-levels-180-rows"),
        pytest.param(shapes.text_maxima, shapes.TEXT_MAXIMA_SUMMARY, id="text-maxima-merged"),
        pytest.param(shapes.seven_levels, shapes.SEVEN_LEVELS_SUMMARY, id="seven-levels"),
        pytest.param(
            lambda: LIBREOFFICE_FIXTURE.read_bytes(),
            shapes.PARTS_ABC_SUMMARY,
            id="parts-abc-saved-by-libreoffice",
        ),
    ],
)
def test_each_shape_gives_its_summary(tmp_path, capsys, content, expected):
    summary, error = summary_of(tmp_path, content(), capsys)

    assert summary == expected
    assert error is None
    assert not Criterion.objects.exists()


def test_the_libreoffice_fixture_was_saved_by_calc():
    content = LIBREOFFICE_FIXTURE.read_bytes()
    assert b"<Application>LibreOffice" in zipfile.ZipFile(io.BytesIO(content)).read(
        "docProps/app.xml"
    )


def test_the_commune_shape_has_five_levels_and_150_rows():
    parsed = parse_scheme_workbook(io.BytesIO(shapes.commune_five_levels()))

    assert len(parsed.nodes) == 180 + 2 + 4  # content, bonus and deduction groups, items
    by_code = {node.code: node for node in parsed.nodes}
    # "I." → "1." → "1.a)" → "3" (numbered through the table) → "3a"
    assert [
        (n.typed_code, n.level, n.parent_code)
        for n in (by_code[c] for c in ["I", "I.1", "I.1.a", "I.1.a.3", "I.1.a.3.a"])
    ] == [
        ("I.", 1, None),
        ("1.", 2, "I"),
        ("1.a)", 3, "I.1"),
        ("3", 4, "I.1.a"),
        ("3a", 5, "I.1.a.3"),
    ]
    assert by_code["II.1.a.31"].typed_code == "31"  # the count goes on in group II
    assert (by_code["I.1.a.3.b"].kind, by_code["I.1.a.4"].method) == (
        "pass_fail",
        "cluster_relative",
    )


def test_the_words_decide_a_part_not_its_letter():
    parsed = parse_scheme_workbook(io.BytesIO(shapes.parts_abc()))
    kinds = {node.code: node.kind for node in parsed.nodes}

    assert (kinds["V"], kinds["V.1"], kinds["B"], kinds["B.1"], kinds["C.2"]) == (
        "judged",
        "judged",
        "bonus",
        "bonus",
        "deduction",
    )
    assert "A" not in kinds  # part A only wraps the Roman groups
    deduction = next(node for node in parsed.nodes if node.code == "C.2")
    assert (deduction.per_occurrence, deduction.max_points) == ("10", "30")


def test_the_rule_column_names_each_leaf_rule_and_keeps_the_phrase():
    parsed = parse_scheme_workbook(
        io.BytesIO((FIXTURES / "scheme-decimal-codes.xlsx").read_bytes())
    )
    rules = {n.code: (n.kind, n.rule, n.method) for n in parsed.nodes if n.method}

    assert rules == {
        "Phần I.1.1.1": ("quantitative", "cluster_relative", "cluster_relative"),
        "Phần I.1.1.2": ("count", "", "per_occurrence"),
        "Phần I.1.2.1": ("quantitative", "proportional", "proportional"),
        "Phần I.2.1": ("quantitative", "cluster_relative", "cluster_relative"),
        "Phần I.2.2": ("quantitative", "full_at_target", "full_at_target"),
        "Phần I.2.3.1": ("pass_fail", "", "pass_fail"),
        "Phần III.1": ("bonus", "", "per_occurrence"),
        "Phần III.2": ("bonus", "", "per_occurrence"),
        "Phần IV.1": ("deduction", "", "per_occurrence"),
        "Phần IV.2": ("deduction", "", "per_occurrence"),
    }
    lower = {n.code: n.lower_is_better for n in parsed.nodes if n.rule == "cluster_relative"}
    assert lower == {"Phần I.1.1.1": False, "Phần I.2.1": True}
    bonus = [n for n in parsed.nodes if n.kind == "bonus" and n.level == 2]
    assert [(n.per_occurrence, n.max_points) for n in bonus] == [("10", None), ("5", None)]
    note = next(n for n in parsed.nodes if n.typed_code == "3")
    assert note.guidance == "Đơn vị không có cửa khẩu: tiêu chí 3.2 không áp dụng"
    assert next(n for n in parsed.nodes if n.typed_code == "2.1").guidance == (
        "Cách chấm: So sánh trong cụm (càng thấp càng tốt)"
    )


def test_a_refused_shape_names_every_problem_with_its_row(tmp_path, capsys):
    summary, error = summary_of(tmp_path, shapes.refused(), capsys)

    assert summary["problems"] == shapes.REFUSED_PROBLEMS
    assert error == "Có 7 lỗi; chưa nhập gì."


def test_a_deep_scheme_is_saved_whole_and_adds_up():
    compact, _units, _cr = build_compact(status=Compact.Status.DRAFT)
    parsed = parse_scheme_workbook(io.BytesIO(shapes.seven_levels()))

    count = schemes.apply_import(compact=compact, user=UserFactory(), parsed=parsed)

    compact.refresh_from_db()
    assert count == 19
    assert compact.content_max == D(150)
    assert selectors.scheme_problems(compact) == []
    deepest = Criterion.objects.get(compact=compact, typed_code="+", title="Tổ dân phố")
    assert deepest.depth() == 7
    assert deepest.code == "Phần I.1.1.1.a.1.2"
    assert deepest.shown_code == "+"
    path = []
    node = deepest
    while node is not None:
        path.append(node.typed_code)
        node = node.parent
    assert path == ["+", "-", "a)", "1.1.1", "1.1", "1", "Phần I"]


def test_points_on_a_deep_leaf_reach_its_top_group():
    compact, units, _cr = build_compact(status=Compact.Status.DRAFT)
    parsed = parse_scheme_workbook(io.BytesIO(shapes.seven_levels()))
    schemes.apply_import(compact=compact, user=UserFactory(), parsed=parsed)
    leaf = Criterion.objects.get(compact=compact, title="Tổ dân phố")
    top = Criterion.objects.get(compact=compact, code="Phần I")
    score(compact, units[0], leaf, D(12))

    points = selectors.group_points_by_compact([compact.pk])[compact.pk][units[0].pk]
    assert points["groups"] == {top.pk: D(12)}


def test_reading_rows_needs_no_workbook():
    rows = [
        (1, ["STT", "Nội dung", "Điểm"]),
        (2, ["I.", "Nhóm", "10 điểm"]),
        (3, ["1.", "Tiêu chí", None]),
        (4, ["a)", "Con", 4]),
        (5, ["b)", "Con", 6]),
    ]
    parsed = read_scheme(rows)

    assert [(n.code, n.typed_code, n.max_points) for n in parsed.nodes] == [
        ("I", "I.", "10"),
        ("I.1", "1.", "10"),  # a group without a maximum takes its children's
        ("I.1.a", "a)", "4"),
        ("I.1.b", "b)", "6"),
    ]
    assert parsed.issues == []
    assert read_scheme([(1, ["Họ tên", "Ngày sinh"])]) is None


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (
            ["I", "1", "a", "b", "c", "d", "đ", "e", "g", "h", "i"],
            [1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3],
        ),
        (["I", "1", "a", "i", "ii", "b"], [1, 2, 3, 4, 4, 3]),
        (["I", "1", "2", "4", "4"], [1, 2, 2, 2]),  # a gap goes on; the repeat is refused
        (["1", "-", "+", "+", "-", "2"], [1, 2, 3, 3, 2, 1]),
        (
            ["I", "1", "2.a", "27", "27a", "27b", "28", "2.b", "29", "2"],
            [1, 2, 3, 4, 5, 5, 4, 3, 4, 2],
        ),
    ],
)
def test_depth_comes_from_the_shape_and_order_of_codes(codes, expected):
    rows = [(1, ["STT", "Nội dung", "Điểm"])]
    rows += [(n, [code, f"Dòng {n}", 1]) for n, code in enumerate(codes, start=2)]

    parsed = read_scheme(rows)

    assert [n.level for n in parsed.nodes] == expected


def test_the_installed_libreoffice_resaves_a_shape_that_still_imports(
    tmp_path, capsys, libreoffice_profile
):
    """How the committed fixture was made, with today's LibreOffice (skipped where it is
    missing, except in CI)."""
    source = tmp_path / "parts.xlsx"
    source.write_bytes(shapes.parts_abc())
    (resaved,) = convert_with_libreoffice(
        [source],
        to="xlsx",
        profile=libreoffice_profile,
        install="apt-get install -y libreoffice-calc-nogui",
    )
    summary, error = summary_of(tmp_path, resaved, capsys)
    assert (summary, error) == (shapes.PARTS_ABC_SUMMARY, None)


def test_a_tree_deeper_than_the_model_allows_is_refused_with_its_row():
    codes = ["I", "1", "a", "-", "+", "*", "•", "–", "—"]
    rows = [(1, ["STT", "Nội dung", "Điểm"])]
    rows += [(n, [code, f"Cấp {n - 1}", 1]) for n, code in enumerate(codes, start=2)]

    parsed = read_scheme(rows)

    assert scheme_reader.MAX_DEPTH == MAX_DEPTH == 8
    assert max(n.level for n in parsed.nodes) == 8
    assert parsed.issues == [{"row": 10, "message": "Dòng 10: tiêu chí lồng quá sâu."}]
