"""Ranking, ties, tie-breakers and bands — hand-built cases, no database."""

from decimal import Decimal as D

import pytest

from scoring.ranking import (
    DEFAULT_BANDS,
    UnitTotal,
    band_for,
    parse_bands,
    parse_tie_breaker,
    rank_units,
)

GROUPS = {"I": 1, "II": 2, "III": 3}
BANDS = parse_bands(DEFAULT_BANDS)


def total(unit_id, points, deductions=0, groups=None):
    return UnitTotal(
        unit_id=unit_id,
        total=D(points),
        deductions=D(deductions),
        group_points={GROUPS[k]: D(v) for k, v in (groups or {}).items()},
    )


def places(ranked):
    return [(r.unit_id, r.rank, r.shared) for r in ranked]


def test_ranks_by_total_highest_first():
    ranked = rank_units([total(1, 800), total(2, 950), total(3, 900)])
    assert places(ranked) == [(2, 1, False), (3, 2, False), (1, 3, False)]


def test_equal_totals_without_tie_breakers_share_the_rank_competition_style():
    ranked = rank_units([total(1, 900), total(2, 950), total(3, 900), total(4, 850)])
    assert places(ranked) == [(2, 1, False), (1, 2, True), (3, 2, True), (4, 4, False)]


def test_fewer_deductions_breaks_a_tie():
    ranked = rank_units(
        [total(1, 900, deductions=5), total(2, 900, deductions=2)],
        tie_breakers=["fewer_deductions"],
    )
    assert places(ranked) == [(2, 1, False), (1, 2, False)]
    assert [r.broken_by for r in ranked] == ["fewer_deductions", "fewer_deductions"]


def test_second_tie_breaker_applies_when_the_first_cannot_decide():
    ranked = rank_units(
        [
            total(1, 900, 2, {"II": 280, "III": 200}),
            total(2, 900, 2, {"II": 250, "III": 240}),
            total(3, 900, 7, {"II": 300, "III": 250}),
        ],
        tie_breakers=["fewer_deductions", "higher_groups:II,III"],
        group_codes=GROUPS,
    )
    assert places(ranked) == [(2, 1, False), (1, 2, False), (3, 3, False)]
    assert [r.broken_by for r in ranked] == ["higher_groups", "higher_groups", "fewer_deductions"]


def test_a_tie_no_breaker_can_break_stays_shared_for_the_vote():
    ranked = rank_units(
        [total(1, 900, 2, {"II": 250}), total(2, 900, 2, {"II": 250}), total(3, 800)],
        tie_breakers=["fewer_deductions", "higher_groups:II,III"],
        group_codes=GROUPS,
    )
    assert places(ranked) == [(1, 1, True), (2, 1, True), (3, 3, False)]


def test_tie_breakers_follow_the_configured_order():
    units = [total(1, 900, 5, {"II": 300}), total(2, 900, 2, {"II": 200})]
    by_deductions = rank_units(units, tie_breakers=["fewer_deductions"], group_codes=GROUPS)
    by_groups = rank_units(
        units, tie_breakers=["higher_groups:II", "fewer_deductions"], group_codes=GROUPS
    )
    assert [r.unit_id for r in by_deductions] == [2, 1]
    assert [r.unit_id for r in by_groups] == [1, 2]


def test_disqualified_units_are_ranked_and_flagged():
    ranked = rank_units([total(1, 950), total(2, 900)], disqualified=[1])
    assert [(r.unit_id, r.rank, r.disqualified) for r in ranked] == [(1, 1, True), (2, 2, False)]


@pytest.mark.parametrize(
    ("points", "band"),
    [
        (D(950), "Xuất sắc"),
        (D(900), "Xuất sắc"),
        (D("899.99"), "Tốt"),
        (D(800), "Tốt"),
        (D(650), "Khá"),
        (D(649), "Chưa đạt"),
        (D(0), "Chưa đạt"),
    ],
)
def test_bands_by_minimum_total(points, band):
    assert band_for(points, BANDS) == band


def test_ranked_units_carry_their_band():
    assert [r.band for r in rank_units([total(1, 905), total(2, 700)], bands=BANDS)] == [
        "Xuất sắc",
        "Khá",
    ]


@pytest.mark.parametrize("text", ["fewer_deductions:II", "higher_groups", "best_total", ""])
def test_malformed_tie_breakers_are_refused(text):
    with pytest.raises(ValueError):
        parse_tie_breaker(text)


def test_incomplete_units_are_not_ranked_and_complete_ones_rank_among_themselves():
    # Units 3 and 4 are still being verified: their partial totals (0 and 120) must not
    # take a place, tie with each other, or get the lowest band.
    ranked = rank_units(
        [total(1, 905), total(3, 0), total(2, 700), total(4, 120), total(5, 0)],
        bands=BANDS,
        incomplete=[3, 4, 5],
    )
    assert [(r.unit_id, r.rank, r.complete, r.band) for r in ranked] == [
        (1, 1, True, "Xuất sắc"),
        (2, 2, True, "Khá"),
        (3, None, False, ""),
        (4, None, False, ""),
        (5, None, False, ""),
    ]
    assert [(r.shared, r.broken_by) for r in ranked[2:]] == [(False, "")] * 3


def test_a_tie_with_an_incomplete_unit_is_no_tie():
    ranked = rank_units(
        [total(1, 900), total(2, 900)], tie_breakers=["fewer_deductions"], incomplete=[2]
    )
    assert [(r.unit_id, r.rank, r.shared, r.broken_by) for r in ranked] == [
        (1, 1, False, ""),
        (2, None, False, ""),
    ]
