"""The scoring rules real clusters use (scoring/rules.py), without a database."""

import unicodedata
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scoring.ranking import InvalidScore
from scoring.rules import (
    Result,
    cluster_relative,
    counts,
    lower_is_better_title,
    per_occurrence,
    round_points,
    rule_from_text,
)


def relative(maximum, *units, lower_is_better=False):
    """Points keyed by unit name from (name, target, actual) triples."""
    results = {name: Result(target=_d(target), actual=_d(actual)) for name, target, actual in units}
    return cluster_relative(results, maximum=D(maximum), lower_is_better=lower_is_better)


def _d(value):
    return None if value is None else D(value)


def points(*values):
    return [D(value) for value in values]


# --- The issue's examples ----------------------------------------------------------------


def test_cluster_relative_gives_the_issue_example_with_and_without_targets():
    result = relative(
        10,
        ("A", 100, 120),
        ("C", 50, 60),
        ("D", 80, 80),
        ("B", None, 150),
        ("E", 0, 100),
        ("F", None, 75),
    )

    assert result == dict(zip("ACDBEF", points("10", "10", "5", "10", "6.67", "5"), strict=True))
    assert [str(value) for value in result.values()] == [
        "10.00",
        "10.00",
        "5.00",
        "10.00",
        "6.67",
        "5.00",
    ]


def test_cluster_relative_gives_the_issue_example_with_a_fractional_maximum():
    result = relative("7.5", ("x", 12, 18), ("y", 12, 15), ("z", 12, 6))

    assert list(result.values()) == points("7.50", "5.63", "1.88")


# --- Higher is better, at its edges -------------------------------------------------------


def test_cluster_relative_leaders_tied_all_get_the_maximum_and_set_l_for_the_others():
    # r = 1.5, 1.5, 1.2: the others are placed between half at target and the leaders' 1.5.
    result = relative(10, ("a", 100, 150), ("b", 10, 15), ("c", 100, 120))

    assert list(result.values()) == points("10", "10", "7")


def test_cluster_relative_one_unit_above_target_leads_alone():
    result = relative(10, ("a", 100, 101), ("b", 100, 100), ("c", 100, 50))

    assert list(result.values()) == points("10", "5", "2.5")


def test_cluster_relative_all_below_target_nobody_gets_the_maximum():
    result = relative(10, ("a", 100, 90), ("b", 100, 50), ("c", 100, 0))

    assert list(result.values()) == points("4.5", "2.5", "0")


def test_cluster_relative_all_at_target_get_half():
    result = relative(15, ("a", 100, 100), ("b", 7, 7))

    assert list(result.values()) == points("7.5", "7.5")


def test_cluster_relative_without_any_target_compares_units_among_themselves():
    result = relative(10, ("a", None, 30), ("b", 0, 10), ("c", None, 0), ("d", None, None))

    assert list(result.values()) == points("10", "3.33", "0", "0")


def test_cluster_relative_all_actuals_zero_gives_zero_without_dividing_by_zero():
    result = relative(10, ("a", 100, 0), ("b", None, 0), ("c", 0, 0))

    assert list(result.values()) == points("0", "0", "0")


def test_cluster_relative_missing_actual_counts_as_zero():
    result = relative(10, ("a", 100, None), ("b", None, None), ("c", None, 5))

    assert list(result.values()) == points("0", "0", "10")


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [(100, 150, "10"), (100, 100, "5"), (100, 40, "2"), (None, 7, "10"), (None, 0, "0")],
)
def test_cluster_relative_one_unit_alone(target, actual, expected):
    assert relative(10, ("a", target, actual)) == {"a": D(expected)}


def test_cluster_relative_rounds_half_up_once_at_the_end():
    # 0.5 × 1 × 1/100 = 0.005 and 0.5 × 10 × 1/8 = 0.625: half-up, not to even.
    assert relative(1, ("a", 100, 1))["a"] == D("0.01")
    assert relative(10, ("a", 8, 1))["a"] == D("0.63")


def test_cluster_relative_is_exact_with_huge_values():
    result = relative(
        1000,
        ("a", 1234567, 2469134),
        ("b", 1234567, "1851850.5"),
        ("c", None, 1234567),
        ("d", None, "617283.5"),
    )

    assert list(result.values()) == points("1000", "750", "1000", "500")


def test_cluster_relative_maximum_zero_gives_zero():
    assert relative(0, ("a", 10, 20), ("b", None, 3)) == {"a": D(0), "b": D(0)}


def test_cluster_relative_keeps_the_order_and_keys_given():
    result = cluster_relative(
        {7: Result(D(1), D(1)), 3: Result(D(1), D(2))}, maximum=D(10), lower_is_better=False
    )

    assert list(result) == [7, 3]


@pytest.mark.parametrize(
    ("target", "actual", "message"),
    [(-1, 5, "Chỉ tiêu không được âm."), (5, -1, "Giá trị không được âm.")],
)
def test_cluster_relative_refuses_negative_values_in_vietnamese(target, actual, message):
    with pytest.raises(InvalidScore) as exc:
        relative(10, ("a", target, actual))
    assert exc.value.message == message


def test_cluster_relative_refuses_a_negative_maximum():
    with pytest.raises(InvalidScore) as exc:
        relative(-1, ("a", 1, 1))
    assert exc.value.message == "Điểm tối đa không được âm."


# --- Lower is better ----------------------------------------------------------------------


def test_lower_is_better_zero_leads_whatever_the_target_and_zero_target_is_real():
    result = relative(
        10,
        ("no deaths, none registered", 0, 0),
        ("none of five", 5, 0),
        ("one against zero", 0, 1),
        lower_is_better=True,
    )

    assert list(result.values()) == points("10", "10", "0")


def test_lower_is_better_zero_result_does_not_set_l_for_the_others():
    # r = T / A: 2 (the best finite ratio, leads), 1.25 (between), 1 (at target), 0.5 (below).
    result = relative(
        10,
        ("zero", 10, 0),
        ("half", 10, 5),
        ("eight", 10, 8),
        ("at", 10, 10),
        ("double", 10, 20),
        lower_is_better=True,
    )

    assert list(result.values()) == points("10", "10", "6.25", "5", "2.5")


def test_lower_is_better_ties_among_leaders():
    result = relative(8, ("a", 10, 5), ("b", 4, 2), ("c", 9, 6), lower_is_better=True)

    # r = 2, 2, 1.5: c is halfway between target and the leaders.
    assert list(result.values()) == points("8", "8", "6")


def test_lower_is_better_without_targets_lowest_result_leads():
    result = relative(
        10, ("a", None, 2), ("b", None, 4), ("c", None, 5), ("d", None, 3), lower_is_better=True
    )

    assert list(result.values()) == points("10", "5", "4", "6.67")


def test_lower_is_better_without_targets_a_zero_result_takes_everything():
    result = relative(10, ("a", None, 0), ("b", None, 4), lower_is_better=True)

    assert list(result.values()) == points("10", "0")


def test_lower_is_better_all_zero_all_lead():
    result = relative(10, ("a", None, 0), ("b", 3, 0), ("c", 0, 0), lower_is_better=True)

    assert list(result.values()) == points("10", "10", "10")


def test_lower_is_better_missing_actual_scores_nothing_and_is_left_out_of_the_comparison():
    result = relative(
        10, ("silent", None, None), ("b", None, 4), ("late", 5, None), lower_is_better=True
    )

    assert list(result.values()) == points("0", "10", "0")


def test_lower_is_better_all_worse_than_target():
    result = relative(10, ("a", 10, 20), ("b", 10, 40), lower_is_better=True)

    assert list(result.values()) == points("2.5", "1.25")


def test_lower_is_better_with_huge_values():
    result = relative(100, ("a", 1234567, 617283.5), ("b", 1234567, 1234567), lower_is_better=True)

    assert list(result.values()) == points("100", "50")


# --- Per occurrence and counts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "point", "cap", "expected"),
    [
        (3, "2", None, "6"),
        (3, "2", "5", "5"),
        (25, "2", "50", "50"),
        (0, "2", "50", "0"),
        (None, "2", "50", "0"),
        (3, "0.125", None, "0.38"),
        ("3.000", "2", None, "6"),
        (1234567, "2", None, "2469134"),
        (5, "10", "0", "0"),
    ],
)
def test_per_occurrence_is_count_times_points_capped(count, point, cap, expected):
    assert per_occurrence(count=_d(count), point_per_unit=D(point), cap=_d(cap)) == D(expected)


@pytest.mark.parametrize(
    ("count", "point", "cap", "message"),
    [
        (-1, "2", None, "Giá trị không được âm."),
        ("1.5", "2", None, "Số lần phải là số nguyên."),
        (1, "-2", None, "Điểm mỗi lần không được âm."),
        (1, "2", "-1", "Điểm tối đa không được âm."),
    ],
)
def test_per_occurrence_refuses_bad_values_in_vietnamese(count, point, cap, message):
    with pytest.raises(InvalidScore) as exc:
        per_occurrence(count=D(count), point_per_unit=D(point), cap=_d(cap))
    assert exc.value.message == message


def count_points(
    bonus, penalty, *, minimum=None, maximum=None, bonus_point="10", penalty_point="5"
):
    return counts(
        bonus_count=_d(bonus),
        penalty_count=_d(penalty),
        bonus_point=D(bonus_point),
        penalty_point=D(penalty_point),
        minimum=_d(minimum),
        maximum=_d(maximum),
    )


def test_counts_bonus_minus_penalty():
    assert count_points(3, 2) == D(20)


def test_counts_clamped_to_the_maximum_and_the_minimum():
    assert count_points(9, 0, minimum=-20, maximum=50) == D(50)
    assert count_points(0, 9, minimum=-20, maximum=50) == D(-20)
    assert count_points(1, 9, minimum=0, maximum=50) == D(0)


def test_counts_missing_counts_are_zero_and_no_bound_does_not_clamp():
    assert count_points(None, None) == D(0)
    assert count_points(None, 3) == D(-15)
    assert count_points(1234567, None) == D(12345670)


def test_counts_round_half_up():
    assert count_points(1, 0, bonus_point="0.005") == D("0.01")
    assert count_points(0, 1, penalty_point="0.005") == D("-0.01")


@pytest.mark.parametrize(
    ("bonus", "penalty", "minimum", "maximum", "message"),
    [
        (-1, 0, None, None, "Giá trị không được âm."),
        (0, "0.5", None, None, "Số lần phải là số nguyên."),
        (0, 0, 10, 5, "Mức tối thiểu lớn hơn mức tối đa."),
    ],
)
def test_counts_refuse_bad_values_in_vietnamese(bonus, penalty, minimum, maximum, message):
    with pytest.raises(InvalidScore) as exc:
        count_points(bonus, penalty, minimum=minimum, maximum=maximum)
    assert exc.value.message == message


# --- Rounding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("2.675", "2.68"),
        ("0.125", "0.13"),
        ("-0.005", "-0.01"),
        ("-0.004", "0.00"),
        ("0", "0.00"),
        ("1234567.005", "1234567.01"),
    ],
)
def test_round_points_half_up_to_two_decimals(value, expected):
    assert str(round_points(D(value))) == expected


# --- The secretariats' wording ------------------------------------------------------------

TABLE = [
    ("", ("judged", {})),
    ("So sánh trong cụm", ("cluster_relative", {"lower_is_better": False})),
    ("So sánh trong cụm (càng thấp càng tốt)", ("cluster_relative", {"lower_is_better": True})),
    ("Theo tỷ lệ hoàn thành chỉ tiêu", ("proportional", {})),
    ("Đạt chỉ tiêu: tối đa", ("full_at_target", {})),
    ("Đạt/Không đạt", ("pass_fail", {})),
    (
        "Chấm thẳng: 2 điểm/tin, bài; tối đa 50",
        ("per_occurrence", {"point_per_unit": D(2), "cap": D(50)}),
    ),
    ("10 điểm/mô hình", ("per_occurrence", {"point_per_unit": D(10)})),
    (
        "Trừ 2 điểm/lần, tối đa 20",
        ("per_occurrence", {"point_per_unit": D(2), "cap": D(20), "deduction": True}),
    ),
]


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_rule_from_text_reads_every_phrase_of_the_table(text, expected):
    assert rule_from_text(text) == expected


def _strip_diacritics(text):
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in text if not unicodedata.combining(char))


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_rule_from_text_ignores_case_diacritics_and_spacing(text, expected):
    variants = [
        text.upper(),
        text.lower(),
        _strip_diacritics(text),
        "  " + text.replace(" ", "   ") + " ",
        text.replace(" ", "\u00a0"),
        text.replace("điểm", "đ"),
        _strip_diacritics(text.upper().replace("ĐIỂM", "Đ")),
    ]
    for variant in variants:
        assert rule_from_text(variant) == expected, variant


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("so sanh trong cum, cang thap cang tot", ("cluster_relative", {"lower_is_better": True})),
        ("Theo tỉ lệ hoàn thành chỉ tiêu.", ("proportional", {})),
        ("Đạt / Không đạt", ("pass_fail", {})),
        ("Đạt chỉ tiêu: tối đa điểm", ("full_at_target", {})),
        (None, ("judged", {})),
        ("   ", ("judged", {})),
        ("2đ/tin,bài;tối đa 50đ", ("per_occurrence", {"point_per_unit": D(2), "cap": D(50)})),
        ("1,5 điểm mỗi lần", ("per_occurrence", {"point_per_unit": D("1.5")})),
        ("0.5 điểm/lần", ("per_occurrence", {"point_per_unit": D("0.5")})),
        (
            "Cộng 5 điểm/sáng kiến (tối đa 1.000 điểm)",
            ("per_occurrence", {"point_per_unit": D(5), "cap": D(1000)}),
        ),
        (
            "Trừ 2 điểm/lần, không quá 20 điểm",
            ("per_occurrence", {"point_per_unit": D(2), "cap": D(20), "deduction": True}),
        ),
        (
            "Chấm thẳng: 2,5 đ/tin, bài; tối đa: 12,5",
            ("per_occurrence", {"point_per_unit": D("2.5"), "cap": D("12.5")}),
        ),
    ],
)
def test_rule_from_text_reads_common_variants(text, expected):
    assert rule_from_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "So sánh",
        "So sánh trong cụm và thưởng",
        "Đạt chỉ tiêu",
        "Theo tỷ lệ",
        "2 điểm",
        "tối đa 50",
        "2 điểm/lần, không quá 3 lần",
        "2 điểm/lần tối đa",
        "2 điểm/lần (tối đa 5",
        "1,2,3 điểm/lần",
        "1.2.3 điểm/lần",
        "2 điểm/lần; tối đa 1,2,3",
        "Trừ điểm",
        "2 điểm/một hai ba bốn",
        "Đạt/Không đạt/Không chấm",
    ],
)
def test_rule_from_text_returns_none_for_what_it_does_not_recognise(text):
    assert rule_from_text(text) is None


# --- Properties ---------------------------------------------------------------------------

AMOUNTS = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
MAXIMA = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
RESULTS = st.lists(
    st.builds(Result, target=st.none() | st.just(D(0)) | AMOUNTS, actual=st.none() | AMOUNTS),
    min_size=1,
    max_size=8,
)


@given(results=RESULTS, maximum=MAXIMA, lower_is_better=st.booleans())
def test_property_points_lie_between_zero_and_the_maximum(results, maximum, lower_is_better):
    scored = cluster_relative(
        dict(enumerate(results)), maximum=maximum, lower_is_better=lower_is_better
    )

    assert all(D(0) <= value <= maximum for value in scored.values())
    assert all(value == value.quantize(D("0.01")) for value in scored.values())


@given(
    results=RESULTS,
    maximum=MAXIMA,
    lower_is_better=st.booleans(),
    order=st.randoms(use_true_random=False),
)
def test_property_the_order_of_units_does_not_matter(results, maximum, lower_is_better, order):
    keyed = dict(enumerate(results))
    shuffled_keys = list(keyed)
    order.shuffle(shuffled_keys)

    straight = cluster_relative(keyed, maximum=maximum, lower_is_better=lower_is_better)
    shuffled = cluster_relative(
        {key: keyed[key] for key in shuffled_keys}, maximum=maximum, lower_is_better=lower_is_better
    )

    assert shuffled == straight


@given(
    others=RESULTS,
    target=st.none() | st.just(D(0)) | AMOUNTS,
    actuals=st.tuples(AMOUNTS, AMOUNTS),
    maximum=MAXIMA,
    lower_is_better=st.booleans(),
)
def test_property_a_better_result_never_earns_fewer_points(
    others, target, actuals, maximum, lower_is_better
):
    worse, better = sorted(actuals, reverse=lower_is_better)

    def points_with(actual):
        results = {"me": Result(target=target, actual=actual), **dict(enumerate(others))}
        return cluster_relative(results, maximum=maximum, lower_is_better=lower_is_better)["me"]

    assert points_with(worse) <= points_with(better)


@given(results=RESULTS, maximum=MAXIMA)
def test_property_every_leader_above_target_earns_the_maximum(results, maximum):
    results = [*results, Result(target=D(1), actual=D(2))]  # someone is above target
    ratios = [
        Fraction(result.actual or 0) / Fraction(result.target)
        for result in results
        if result.target
    ]
    best = max(ratios)

    scored = cluster_relative(dict(enumerate(results)), maximum=maximum)

    leaders = [
        key
        for key, result in enumerate(results)
        if result.target and Fraction(result.actual or 0) / Fraction(result.target) == best
    ]
    assert leaders
    assert all(scored[key] == maximum for key in leaders)


@given(target=AMOUNTS, others=RESULTS, maximum=MAXIMA, lower_is_better=st.booleans())
def test_property_a_unit_at_target_earns_half(target, others, maximum, lower_is_better):
    assume(target > 0)
    results = {"me": Result(target=target, actual=target), **dict(enumerate(others))}

    scored = cluster_relative(results, maximum=maximum, lower_is_better=lower_is_better)

    assert scored["me"] == (maximum / 2).quantize(D("0.01"), rounding=ROUND_HALF_UP)


@given(
    count=st.integers(min_value=0, max_value=10**6),
    point=st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False),
    cap=st.none() | MAXIMA,
)
def test_property_per_occurrence_is_capped(count, point, cap):
    earned = per_occurrence(count=D(count), point_per_unit=point, cap=cap)

    exact = D(count) * point if cap is None else min(D(count) * point, cap)
    assert earned == exact.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@given(
    bonus=st.integers(min_value=0, max_value=1000),
    penalty=st.integers(min_value=0, max_value=1000),
    bounds=st.tuples(
        st.integers(min_value=-500, max_value=500), st.integers(min_value=-500, max_value=500)
    ),
)
def test_property_counts_stay_within_their_bounds(bonus, penalty, bounds):
    minimum, maximum = sorted(bounds)

    earned = count_points(bonus, penalty, minimum=minimum, maximum=maximum)

    assert minimum <= earned <= maximum


@given(
    value=st.decimals(
        allow_nan=False, allow_infinity=False, places=6, max_value=10**9, min_value=-(10**9)
    )
)
def test_property_round_points_agrees_with_decimal_half_up(value):
    assert round_points(value) == value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@given(text=st.text(max_size=60))
def test_property_rule_from_text_never_raises(text):
    found = rule_from_text(text)

    assert found is None or isinstance(found, tuple)


@pytest.mark.parametrize(
    ("text", "lower"),
    [
        ("So sánh trong cụm", False),
        ("So sánh giữa các đơn vị trong cụm", False),
        ("So sánh trong cụm (càng cao càng tốt)", False),
        ("So sánh trong cụm (càng thấp càng tốt)", True),
        ("So sánh trong cụm - càng ít càng tốt", True),
        ("So sánh trong cụm theo tỷ lệ giảm", True),
        ("So sánh trong cụm (kiềm chế)", True),
    ],
)
def test_rule_from_text_reads_which_way_a_cluster_comparison_goes(text, lower):
    assert rule_from_text(text) == ("cluster_relative", {"lower_is_better": lower})


@pytest.mark.parametrize(
    ("title", "lower"),
    [
        ("Kiềm chế số vụ cháy, số người chết do cháy", True),
        ("Giảm số vụ cháy so với năm trước", True),
        ("Thiệt hại về tài sản do cháy gây ra", True),
        ("Số vụ tai nạn giao thông", True),
        ("Số mô hình an toàn PCCC", False),
        ("Giám sát, kiểm tra an toàn PCCC", False),
        ("Tham mưu Giám đốc Công an tỉnh", False),
        ("", False),
    ],
)
def test_lower_is_better_title_knows_fires_deaths_and_damage(title, lower):
    assert lower_is_better_title(title) is lower
