"""`python manage.py rule_points CASES.json`."""

import json
import os
import subprocess
import sys
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

BASE_DIR = Path(__file__).resolve().parents[2]

EXAMPLES = [
    {
        "name": "Ví dụ M = 10",
        "rule": "cluster_relative",
        "max": 10,
        "params": {},
        "units": [
            {"unit": "A", "target": 100, "actual": 120},
            {"unit": "C", "target": 50, "actual": 60},
            {"unit": "D", "target": 80, "actual": 80},
            {"unit": "B", "actual": 150},
            {"unit": "E", "target": 0, "actual": 100},
            {"unit": "F", "target": None, "actual": 75},
        ],
    },
    {
        "name": "Ví dụ M = 7,5",
        "rule": "cluster_relative",
        "max": 7.5,
        "params": {"lower_is_better": False},
        "units": [
            {"unit": "PCCC Thanh Hóa", "target": 12, "actual": 18},
            {"unit": "PCCC Nghệ An", "target": 12, "actual": 15},
            {"unit": "PCCC Hà Tĩnh", "target": 12, "actual": 6},
        ],
    },
]


def run(tmp_path, cases) -> str:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("rule_points", str(path), stdout=out)
    return out.getvalue()


def refusal(tmp_path, cases) -> str:
    with pytest.raises(CommandError) as exc:
        run(tmp_path, cases)
    return str(exc.value)


def test_rule_points_gives_the_issue_examples_exactly(tmp_path):
    printed = run(tmp_path, EXAMPLES)

    assert json.loads(printed, parse_float=D) == {
        "Ví dụ M = 10": {
            "A": D("10.00"),
            "C": D("10.00"),
            "D": D("5.00"),
            "B": D("10.00"),
            "E": D("6.67"),
            "F": D("5.00"),
        },
        "Ví dụ M = 7,5": {
            "PCCC Thanh Hóa": D("7.50"),
            "PCCC Nghệ An": D("5.63"),
            "PCCC Hà Tĩnh": D("1.88"),
        },
    }
    # Two decimals, written from the Decimal: 6.67, not 6.666666666666667.
    assert '"E": 6.67,' in printed
    assert '"PCCC Nghệ An": 5.63,' in printed


def test_rule_points_keeps_the_order_of_cases_and_units(tmp_path):
    parsed = json.loads(run(tmp_path, EXAMPLES))

    assert list(parsed) == ["Ví dụ M = 10", "Ví dụ M = 7,5"]
    assert list(parsed["Ví dụ M = 10"]) == list("ACDBEF")


def test_rule_points_lower_is_better(tmp_path):
    cases = [
        {
            "name": "Số vụ cháy",
            "rule": "cluster_relative",
            "max": 10,
            "params": {"lower_is_better": True},
            "units": [
                {"unit": "không cháy", "target": 0, "actual": 0},
                {"unit": "một vụ, chỉ tiêu 0", "target": 0, "actual": 1},
                {"unit": "nửa chỉ tiêu", "target": 10, "actual": 5},
                {"unit": "tám", "target": 10, "actual": 8},
                {"unit": "chưa báo cáo", "target": 10},
            ],
        }
    ]

    assert json.loads(run(tmp_path, cases), parse_float=D) == {
        "Số vụ cháy": {
            "không cháy": D(10),
            "một vụ, chỉ tiêu 0": D(0),
            "nửa chỉ tiêu": D(10),
            "tám": D("6.25"),
            "chưa báo cáo": D(0),
        }
    }


def test_rule_points_per_occurrence_capped_by_the_cap_and_the_maximum(tmp_path):
    cases = [
        {
            "name": "Tin, bài",
            "rule": "per_occurrence",
            "max": 50,
            "params": {"point_per_unit": 2},
            "units": [{"unit": "a", "actual": 30}, {"unit": "b", "actual": 7}, {"unit": "c"}],
        },
        {
            "name": "Mô hình",
            "rule": "per_occurrence",
            "max": 50,
            "params": {"point_per_unit": 10, "cap": 25},
            "units": [{"unit": "a", "actual": 3}, {"unit": "b", "actual": 1234567}],
        },
    ]

    assert json.loads(run(tmp_path, cases), parse_float=D) == {
        "Tin, bài": {"a": D(50), "b": D(14), "c": D(0)},
        "Mô hình": {"a": D(25), "b": D(25)},
    }


def test_rule_points_counts_clamped(tmp_path):
    cases = [
        {
            "name": "Thưởng và trừ",
            "rule": "counts",
            "max": 20,
            "params": {"bonus_point": 5, "penalty_point": 2.5, "min": -10, "max": 15},
            "units": [
                {"unit": "a", "bonus_count": 2, "penalty_count": 1},
                {"unit": "b", "bonus_count": 9},
                {"unit": "c", "penalty_count": 9},
                {"unit": "d"},
            ],
        },
        {
            "name": "Mặc định",
            "rule": "counts",
            "max": 12,
            "params": {"bonus_point": 5, "penalty_point": 1},
            "units": [{"unit": "a", "bonus_count": 3}, {"unit": "b", "penalty_count": 3}],
        },
    ]

    assert json.loads(run(tmp_path, cases), parse_float=D) == {
        "Thưởng và trừ": {"a": D("7.5"), "b": D(15), "c": D(-10), "d": D(0)},
        "Mặc định": {"a": D(12), "b": D(0)},
    }


def test_rule_points_empty_list_prints_an_empty_object(tmp_path):
    assert json.loads(run(tmp_path, [])) == {}


def case(**changes):
    base = {
        "name": "Tiêu chí 1",
        "rule": "cluster_relative",
        "max": 10,
        "params": {},
        "units": [{"unit": "A", "target": 100, "actual": 120}],
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        (
            [case(rule="relative")],
            "Trường hợp “Tiêu chí 1”: không có quy tắc “relative” "
            "(các quy tắc: cluster_relative, per_occurrence, counts).",
        ),
        (
            [{k: v for k, v in case().items() if k != "max"}],
            "Trường hợp “Tiêu chí 1”: thiếu trường “max”.",
        ),
        (
            [{k: v for k, v in case().items() if k != "name"}],
            "Trường hợp số 1: trường “name” bị thiếu hoặc không phải là văn bản.",
        ),
        (
            [case(units=[{"unit": "A", "target": 100, "actual": "120"}])],
            'Trường hợp “Tiêu chí 1”, đơn vị “A”: “actual” không phải là số: "120".',
        ),
        (
            [case(units=[{"unit": "A", "target": True}])],
            "Trường hợp “Tiêu chí 1”, đơn vị “A”: “target” không phải là số: true.",
        ),
        (
            [case(units=[{"unit": "A", "target": -1, "actual": 5}])],
            "Trường hợp “Tiêu chí 1”, đơn vị “A”: “target” không được âm.",
        ),
        (
            [case(units=[{"unit": "A", "actaul": 5}])],
            "Trường hợp “Tiêu chí 1”, đơn vị “A”: không có trường “actaul”.",
        ),
        (
            [case(units=[{"target": 5}])],
            "Trường hợp “Tiêu chí 1”: trường “unit” của một đơn vị bị thiếu hoặc không phải là "
            "văn bản.",
        ),
        (
            [case(units=[{"unit": "A"}, {"unit": "A"}])],
            "Trường hợp “Tiêu chí 1”: đơn vị “A” xuất hiện hai lần.",
        ),
        ([case(), case()], "Trường hợp “Tiêu chí 1” xuất hiện hai lần."),
        (
            [case(params={"lower_is_better": "yes"})],
            "Trường hợp “Tiêu chí 1”: tham số “lower_is_better” phải là true hoặc false.",
        ),
        (
            [case(params={"lower_is_beter": True})],
            "Trường hợp “Tiêu chí 1”: không có trường “lower_is_beter”.",
        ),
        (
            [case(rule="per_occurrence", params={})],
            "Trường hợp “Tiêu chí 1”: thiếu tham số “point_per_unit”.",
        ),
        (
            [
                case(
                    rule="per_occurrence",
                    params={"point_per_unit": 2},
                    units=[{"unit": "A", "actual": 1.5}],
                )
            ],
            "Trường hợp “Tiêu chí 1”, đơn vị “A”: “actual” phải là số lần nguyên.",
        ),
        (
            [
                case(
                    rule="counts",
                    params={"bonus_point": 1, "penalty_point": 1},
                    units=[{"unit": "A", "penalty_count": -2}],
                )
            ],
            "Trường hợp “Tiêu chí 1”, đơn vị “A”: “penalty_count” không được âm.",
        ),
        (
            [case(rule="counts", params={"bonus_point": 1, "penalty_point": 1, "min": 20})],
            "Trường hợp “Tiêu chí 1”: tham số “min” lớn hơn mức tối đa (10).",
        ),
        ({"name": "x"}, "cases.json phải chứa một danh sách JSON các trường hợp."),
        (["x"], "Trường hợp số 1 không phải là một đối tượng JSON."),
        (
            [case(units={"A": 1})],
            "Trường hợp “Tiêu chí 1”: trường “units” phải là một danh sách JSON.",
        ),
    ],
)
def test_rule_points_refuses_bad_input_naming_the_case_and_field(tmp_path, cases, message):
    assert refusal(tmp_path, cases).removeprefix(str(tmp_path) + "/") == message


def refusal_of_file(path, text=None) -> str:
    """The command's refusal of the file at `path`, written with `text` first (None: none)."""
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("rule_points", str(path), stdout=StringIO())
    return str(exc.value)


def test_rule_points_refuses_invalid_json_with_its_position(tmp_path):
    path = tmp_path / "cases.json"

    message = refusal_of_file(path, '[{"name": "x",\n "max": }]')

    assert message == f"{path} không phải là JSON hợp lệ (dòng 2, cột 9)."


def test_rule_points_refuses_nan(tmp_path):
    path = tmp_path / "cases.json"

    message = refusal_of_file(path, '[{"name": "x", "rule": "counts", "max": NaN}]')

    assert message == f"{path}: “NaN” không phải là một số."


def test_rule_points_refuses_a_missing_file(tmp_path):
    assert refusal_of_file(tmp_path / "none.json") == f"Không có tệp {tmp_path / 'none.json'}."


def test_rule_points_from_the_command_line_exits_with_one_line_and_no_traceback(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([case(max="mười")]), encoding="utf-8")
    env = {**os.environ, "SECRET_KEY": "insecure-test-only", "DEBUG": "0"}

    finished = subprocess.run(
        [sys.executable, "manage.py", "rule_points", str(path)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.strip().splitlines() == [
        'CommandError: Trường hợp “Tiêu chí 1”: “max” không phải là số: "mười".'
    ]
