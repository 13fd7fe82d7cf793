"""Ranking by the percentage of the applicable maximum — hand-built cases, no database."""

from decimal import Decimal as D

import pytest

from scoring.ranking import (
    DEFAULT_BANDS,
    RankBy,
    UnitTotal,
    equivalent_total,
    parse_bands,
    percent_of,
    rank_units,
)

BANDS = parse_bands(DEFAULT_BANDS)
SCALE = D(1000)


def total(unit_id, points, maximum=SCALE, deductions=0):
    return UnitTotal(unit_id=unit_id, total=D(points), maximum=D(maximum), deductions=D(deductions))


@pytest.mark.parametrize(
    ("points", "maximum", "percent"),
    [
        ("900", "1000", D("90.00")),
        ("2", "3", D("66.67")),
        ("1", "800", D("0.13")),  # 0.125 rounds half up
        ("-1", "800", D("-0.13")),
        ("1050", "1000", D("105.00")),  # bonuses can carry a unit past its maximum
        ("5", "0", D(0)),  # nothing applies: 0, never a division by zero
    ],
)
def test_percent_of_rounds_half_up_to_two_decimals(points, maximum, percent):
    assert percent_of(D(points), D(maximum)) == percent


def test_percent_without_a_maximum_is_unknown():
    assert percent_of(D(900), None) is None
    assert UnitTotal(unit_id=1, total=D(900)).percent is None


def test_percentage_ranks_a_unit_with_a_smaller_maximum_above_a_higher_total():
    a = total(1, 900)  # 90 %
    b = total(2, 890, maximum=980)  # 90.82 %

    by_total = rank_units([a, b], bands=BANDS)
    by_percent = rank_units([a, b], bands=BANDS, rank_by=RankBy.PERCENTAGE, scale=SCALE)

    assert [r.unit_id for r in by_total] == [1, 2]
    assert [(r.unit_id, r.rank) for r in by_percent] == [(2, 1), (1, 2)]


def test_bands_by_percentage_are_judged_on_the_equivalent_full_scale_total():
    # 882 of 980 is 90 %, 900 on the whole scale: Xuất sắc, though its total is below 900.
    ranked = rank_units(
        [total(1, 882, maximum=980), total(2, 899.9), total(3, 640)],
        bands=BANDS,
        rank_by=RankBy.PERCENTAGE,
        scale=SCALE,
    )

    assert [(r.unit_id, r.band) for r in ranked] == [
        (1, "Xuất sắc"),
        (2, "Tốt"),  # 89.99 % → 899.9
        (3, "Chưa đạt"),
    ]
    assert equivalent_total(D("90.00"), SCALE) == D(900)


def test_equal_percentages_go_to_the_tie_breakers():
    ranked = rank_units(
        [total(1, 900, deductions=4), total(2, 882, maximum=980, deductions=2)],
        tie_breakers=["fewer_deductions"],
        rank_by=RankBy.PERCENTAGE,
        scale=SCALE,
    )

    assert [(r.unit_id, r.rank, r.broken_by) for r in ranked] == [
        (2, 1, "fewer_deductions"),
        (1, 2, "fewer_deductions"),
    ]


def test_a_unit_with_nothing_applicable_ranks_at_zero_percent():
    ranked = rank_units(
        [total(1, 0, maximum=0), total(2, 500)], rank_by=RankBy.PERCENTAGE, scale=SCALE
    )

    assert [(r.unit_id, r.rank, r.total.percent) for r in ranked] == [
        (2, 1, D("50.00")),
        (1, 2, D(0)),
    ]


def test_percentage_needs_the_whole_scale():
    with pytest.raises(ValueError):
        rank_units([total(1, 900)], rank_by=RankBy.PERCENTAGE)


def test_percentage_ranks_and_bands_on_the_unrounded_share():
    # 899.96 and 900.00 of 1,000 both show 90.00 %, but they are not tied, and 899.96 is
    # below the 900 of "Xuất sắc".
    ranked = rank_units(
        [total(1, "899.96"), total(2, "900.00")],
        bands=BANDS,
        rank_by=RankBy.PERCENTAGE,
        scale=SCALE,
    )

    assert [(r.unit_id, r.rank, r.shared, r.band) for r in ranked] == [
        (2, 1, False, "Xuất sắc"),
        (1, 2, False, "Tốt"),
    ]
    assert [r.total.percent for r in ranked] == [D("90.00"), D("90.00")]


def test_equal_shares_of_different_maxima_tie():
    ranked = rank_units(
        [total(1, 450, maximum=500), total(2, 900)],
        bands=BANDS,
        rank_by=RankBy.PERCENTAGE,
        scale=SCALE,
    )

    assert [(r.rank, r.shared) for r in ranked] == [(1, True), (1, True)]
