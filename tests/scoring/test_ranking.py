"""The scoring maths, without a database."""

from decimal import Decimal as D

import pytest

from scoring.ranking import (
    CriterionRule,
    Group,
    InvalidScore,
    Kind,
    Rule,
    format_points,
    parse_decimal,
    points_for,
    unit_total,
)

JUDGED = CriterionRule(kind=Kind.JUDGED, max_points=D(10))
PASS_FAIL = CriterionRule(kind=Kind.PASS_FAIL, max_points=D(30))
PROPORTIONAL = CriterionRule(kind=Kind.QUANTITATIVE, max_points=D(80), rule=Rule.PROPORTIONAL)
FULL = CriterionRule(kind=Kind.QUANTITATIVE, max_points=D(60), rule=Rule.FULL_AT_TARGET)
BONUS_EACH_10 = CriterionRule(kind=Kind.BONUS, max_points=None, per_occurrence=D(10))
DEDUCT_2_CAP_10 = CriterionRule(kind=Kind.DEDUCTION, max_points=D(10), per_occurrence=D(2))
DEDUCT_DIRECT = CriterionRule(kind=Kind.DEDUCTION, max_points=D(20))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7,5", D("7.5")),
        ("7.5", D("7.5")),
        (" 8 ", D(8)),
        ("0,25", D("0.25")),
        ("", None),
        (None, None),
        (3, D(3)),
    ],
)
def test_parse_decimal_accepts_comma_and_point(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "7.5.1", "NaN", "1e3", "--1", "7,5đ"])
def test_parse_decimal_refuses_non_numbers_in_vietnamese(raw):
    with pytest.raises(InvalidScore) as exc:
        parse_decimal(raw)
    assert exc.value.message == f"“{raw}” không phải là một số."


def test_judged_points_are_the_value():
    assert points_for(criterion=JUDGED, value=D("7.5")) == D("7.5")
    assert points_for(criterion=JUDGED, value=D(10)) == D(10)


def test_judged_above_maximum_is_refused_with_the_numbers():
    with pytest.raises(InvalidScore) as exc:
        points_for(criterion=JUDGED, value=D("10.5"))
    assert exc.value.message == "10,5 lớn hơn điểm tối đa 10."


def test_negative_value_is_refused():
    with pytest.raises(InvalidScore) as exc:
        points_for(criterion=JUDGED, value=D(-1))
    assert exc.value.message == "Giá trị không được âm."


@pytest.mark.parametrize("rule", [JUDGED, PASS_FAIL, PROPORTIONAL, BONUS_EACH_10])
def test_a_value_too_large_to_store_is_refused_with_the_limit(rule):
    """A 40-digit number typed into a cell was a server error (formatting it overflowed)."""
    with pytest.raises(InvalidScore) as exc:
        points_for(criterion=rule, value=D("9" * 40), target=D(10))
    assert exc.value.message == "Giá trị quá lớn: tối đa 9.999.999.999,99."
    assert points_for(criterion=BONUS_EACH_10, value=D("9999999999")) == D("99999999990")


def test_any_number_formats_without_overflow():
    assert format_points(D("9" * 40)) == "9" * 40
    assert format_points(D("1E+3"), grouping=True) == "1.000"


def test_more_than_two_decimals_is_refused():
    with pytest.raises(InvalidScore):
        points_for(criterion=JUDGED, value=D("7.125"))


def test_pass_fail_earns_all_or_nothing():
    assert points_for(criterion=PASS_FAIL, value=D(1)) == D(30)
    assert points_for(criterion=PASS_FAIL, value=D(0)) == D(0)
    with pytest.raises(InvalidScore):
        points_for(criterion=PASS_FAIL, value=D("0.5"))


def test_proportional_scales_with_achievement_and_caps_at_maximum():
    assert points_for(criterion=PROPORTIONAL, value=D(900), target=D(1200)) == D(60)
    assert points_for(criterion=PROPORTIONAL, value=D(1), target=D(3)) == D("26.67")
    assert points_for(criterion=PROPORTIONAL, value=D(1500), target=D(1200)) == D(80)


def test_full_at_target_is_all_or_nothing():
    assert points_for(criterion=FULL, value=D(500), target=D(500)) == D(60)
    assert points_for(criterion=FULL, value=D(499), target=D(500)) == D(0)


@pytest.mark.parametrize("target", [None, D(0)])
def test_quantitative_without_a_target_is_refused(target):
    with pytest.raises(InvalidScore) as exc:
        points_for(criterion=PROPORTIONAL, value=D(10), target=target)
    assert "chỉ tiêu" in exc.value.message


def test_bonus_counts_occurrences_without_item_cap():
    assert points_for(criterion=BONUS_EACH_10, value=D(3)) == D(30)


def test_deduction_count_is_capped_at_the_item_floor():
    assert points_for(criterion=DEDUCT_2_CAP_10, value=D(3)) == D(6)
    assert points_for(criterion=DEDUCT_2_CAP_10, value=D(7)) == D(10)


def test_occurrences_must_be_whole():
    with pytest.raises(InvalidScore):
        points_for(criterion=DEDUCT_2_CAP_10, value=D("1.5"))


def test_direct_deduction_beyond_its_floor_is_refused():
    assert points_for(criterion=DEDUCT_DIRECT, value=D(20)) == D(20)
    with pytest.raises(InvalidScore):
        points_for(criterion=DEDUCT_DIRECT, value=D(21))


GROUPS = [
    Group(id=1, code="I", section="content", max_points=D(60)),
    Group(id=2, code="II", section="content", max_points=D(40)),
    Group(id=3, code="VI", section="bonus"),
    Group(id=4, code="VII", section="deduction"),
]


def test_unit_total_adds_content_and_bonus_minus_deductions():
    total = unit_total(
        unit_id=7,
        groups=GROUPS,
        group_points={1: D("55.5"), 2: D(30), 3: D(5), 4: D(2)},
        bonus_cap=D(10),
        deduction_cap=None,
    )
    assert (total.content, total.bonus, total.deductions, total.total) == (
        D("85.5"),
        D(5),
        D(2),
        D("88.5"),
    )
    assert total.group_points == {1: D("55.5"), 2: D(30), 3: D(5), 4: D(2)}


def test_unit_total_caps_bonus_and_deductions_but_keeps_raw_figures():
    total = unit_total(
        unit_id=7,
        groups=GROUPS,
        group_points={1: D(50), 3: D(25), 4: D(30)},
        bonus_cap=D(10),
        deduction_cap=D(20),
    )
    assert (total.bonus_raw, total.bonus) == (D(25), D(10))
    assert (total.deductions_raw, total.deductions) == (D(30), D(20))
    assert total.total == D(40)


def test_unit_total_of_an_unscored_unit_is_zero():
    total = unit_total(
        unit_id=1, groups=GROUPS, group_points={}, bonus_cap=D(10), deduction_cap=None
    )
    assert total.total == D(0)
    assert total.group_points == {1: D(0), 2: D(0), 3: D(0), 4: D(0)}


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("10.00"), "10"), (D("12.50"), "12,5"), (D("0.25"), "0,25"), (D(950), "950")],
)
def test_format_points_uses_decimal_comma(value, text):
    assert format_points(value) == text
