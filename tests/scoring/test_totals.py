"""Totals computed by the database: grouped sums, then the pure roll-up with caps."""

from decimal import Decimal as D

import pytest

from scoring import selectors
from tests.factories import build_compact, score

pytestmark = pytest.mark.django_db


def totals_by_unit(compact, source="verified"):
    return {m.unit_id: t for m, t in selectors.unit_totals(compact, source=source)}


def test_totals_sum_leaves_into_groups_and_apply_the_bonus_cap():
    compact, (a, b, c), cr = build_compact(bonus_cap=D(10), deduction_cap=None)
    score(compact, a, cr["G1.1"], "7.5")
    score(compact, a, cr["G1.2"], 10)
    score(compact, a, cr["G2.1"], "0.25")
    score(compact, a, cr["B.1"], 3)  # 3 × 5 = 15, capped at 10
    score(compact, a, cr["D.1"], 2)  # 2 × 2 = 4
    score(compact, b, cr["G2.2"], 9)

    totals = totals_by_unit(compact)

    ta = totals[a.id]
    assert ta.group_points[cr["G1"].id] == D("17.50")
    assert ta.group_points[cr["G2"].id] == D("0.25")
    assert (ta.content, ta.bonus_raw, ta.bonus, ta.deductions, ta.total) == (
        D("17.75"),
        D(15),
        D(10),
        D(4),
        D("23.75"),
    )
    assert ta.scored == 5
    assert totals[b.id].total == D(9)
    assert totals[c.id].total == D(0)
    assert totals[c.id].scored == 0


def test_totals_apply_the_deduction_cap():
    compact, (a, *_), cr = build_compact(deduction_cap=D(5))
    score(compact, a, cr["G1.1"], 10)
    score(compact, a, cr["D.1"], 4)  # 8 deduction points, capped at 5

    ta = totals_by_unit(compact)[a.id]

    assert (ta.deductions_raw, ta.deductions, ta.total) == (D(8), D(5), D(5))


def test_totals_read_sub_criteria_into_their_top_group():
    from tests.factories import CriterionFactory

    compact, (a, *_), cr = build_compact()
    sub = CriterionFactory(compact=compact, parent=cr["G1.1"], code="G1.1.a", max_points=D(4))
    score(compact, a, sub, "3.5")
    score(compact, a, cr["G1.2"], 1)

    assert totals_by_unit(compact)[a.id].group_points[cr["G1"].id] == D("4.50")


def test_self_assessed_totals_are_kept_apart_from_verified():
    compact, (a, *_), cr = build_compact()
    score(compact, a, cr["G1.1"], 6, self_value=9)

    assert totals_by_unit(compact, "verified")[a.id].total == D(6)
    assert totals_by_unit(compact, "self")[a.id].total == D(9)


def test_totals_list_members_leader_first():
    from units.models import Membership

    compact, (a, b, c), _cr = build_compact()
    Membership.objects.filter(unit=c).update(role="leader")
    Membership.objects.filter(unit=b).update(role="deputy")

    assert [m.unit for m, _t in selectors.unit_totals(compact)] == [c, b, a]


@pytest.mark.parametrize(("units", "criteria_per_group"), [(2, 2), (6, 8)])
def test_totals_query_count_does_not_grow(django_assert_num_queries, units, criteria_per_group):
    compact, members, cr = build_compact(
        units=units, groups=3, criteria_per_group=criteria_per_group
    )
    for unit in members:
        for code, criterion in cr.items():
            if code.count(".") == 1:
                score(compact, unit, criterion, 1)

    with django_assert_num_queries(4):
        totals = selectors.unit_totals(compact)

    assert len(totals) == units
    expected = D(3 * criteria_per_group) + D(5) - D(2)  # 1 point a leaf, one bonus, one deduction
    assert {t.total for _m, t in totals} == {expected}


def test_scheme_problems_report_sums_that_do_not_add_up():
    compact, _units, cr = build_compact()  # content_max 40: G1 20 + G2 20
    assert selectors.scheme_problems(compact) == []

    cr["G1.1"].max_points = D(15)
    cr["G1.1"].save()

    assert selectors.scheme_problems(compact) == [
        "G1: tổng điểm các tiêu chí con là 25, không phải 20.",
    ]
    compact.content_max = D(50)
    compact.save()
    assert selectors.scheme_problems(compact)[-1] == (
        "Tổng điểm các nhóm nội dung là 40, không khớp thang điểm đã công bố 50."
    )
