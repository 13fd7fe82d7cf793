"""The ranking's hand-written reads (selectors/ranking_reads.py) against the ORM reads they
replaced, and the standings they feed: nothing is cached, so every write shows at once."""

import datetime
from decimal import Decimal as D

import pytest

from scoring import selectors
from scoring.models import Compact, Criterion, FinalResult, Score
from scoring.not_applicable import NewMark, save_not_applicable
from scoring.ranking import Kind
from scoring.selectors.ranking_reads import read_compacts, read_figures, read_members
from tests.factories import (
    CriterionFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    build_compact,
    score,
)
from units.models import Membership, UnitName, UnitSuccession

pytestmark = pytest.mark.django_db


def former_name(unit, short_name, first_year, last_year):
    """A name the unit bore from the first day of one year to the last day of another."""
    return UnitName.objects.create(
        unit=unit,
        full_name=f"{short_name} (tên đầy đủ)",
        short_name=short_name,
        valid_from=datetime.date(first_year, 1, 1),
        valid_until=datetime.date(last_year, 12, 31),
    )


@pytest.fixture
def scored():
    """Three units on a scheme with a disqualifying deduction item: a scores everything, b
    has G1.2 marked not applicable and a bonus, c incurs the disqualifying item."""
    compact, (a, b, c), cr = build_compact()
    cr["D.2"] = CriterionFactory(
        compact=compact,
        parent=cr["D"],
        code="D.2",
        kind=Kind.DEDUCTION,
        max_points=D(5),
        disqualifying=True,
    )
    save_not_applicable(
        compact=compact, user=UserFactory(), add=NewMark(b.pk, cr["G1.2"].pk, "Không có")
    )
    for unit, values in ((a, (9, 8.5, 7, 6)), (b, (9, None, 7, 6)), (c, (5, 5, 5, 5))):
        for code, value in zip(("G1.1", "G1.2", "G2.1", "G2.2"), values, strict=True):
            if value is not None:
                score(compact, unit, cr[code], value)
    score(compact, b, cr["B.1"], 2)
    score(compact, c, cr["D.2"], 1)
    score(compact, a, cr["D.2"], 0)  # entered as nothing incurred: not disqualifying
    return compact, (a, b, c), cr


def test_figures_are_those_the_orm_reads(scored):
    compact, (_a, b, c), _cr = scored
    groups, leaves = selectors.ranking_outline([compact.pk])

    figures = read_figures([compact.pk])

    assert figures.groups == groups
    assert figures.criteria_counts == leaves == {compact.pk: 4}
    assert figures.points == selectors.group_points_by_compact([compact.pk])
    assert figures.applicability == selectors.applicability_by_compact([compact.pk])
    assert figures.applicability[compact.pk][b.pk].maxima == D(10)
    disqualified = set(
        Score.objects.filter(
            criterion__in=Criterion.objects.filter(compact=compact, disqualifying=True),
            verified_value__gt=0,
        ).values_list("compact_id", "unit_id")
    )
    assert figures.disqualified == disqualified == {(compact.pk, c.pk)}


def test_standings_follow_every_write_at_once(scored):
    compact, (a, b, c), cr = scored
    before = selectors.standings_for(compact)
    assert [(r.unit.pk, r.totals.total, r.ranked.disqualified) for r in before.rows] == [
        (b.pk, D(32), False),
        (a.pk, D("30.5"), False),
        (c.pk, D(19), True),
    ]

    Score.objects.filter(compact=compact, unit=c, criterion=cr["D.2"]).update(verified_value=0)
    score(compact, a, cr["B.1"], 1)
    Score.objects.filter(compact=compact, unit=a, criterion=cr["G2.2"]).delete()
    save_not_applicable(
        compact=compact, user=UserFactory(), add=NewMark(a.pk, cr["G2.2"].pk, "Không có")
    )
    former_name(a, "Tên cũ", 2010, 2017)
    Membership.objects.filter(unit=c, year=compact.year).update(role=Membership.Role.LEADER)
    Criterion.objects.filter(pk=cr["G2"].pk).update(code="Nhóm 2")
    after = selectors.standings_for(compact)

    by_unit = {r.unit.pk: r for r in after.rows}
    assert by_unit[c.pk].membership.role == Membership.Role.LEADER
    assert by_unit[c.pk].ranked.disqualified is False
    assert (by_unit[a.pk].totals.bonus, by_unit[a.pk].totals.total) == (D(5), D("29.5"))
    assert (by_unit[a.pk].criteria, by_unit[a.pk].totals.maximum) == (3, D(40))
    assert by_unit[a.pk].short_name == "Tên cũ"
    assert [g.code for g in after.content_groups] == ["G1", "Nhóm 2"]


def test_members_carry_their_units_and_former_names_without_more_queries(
    scored, django_assert_num_queries
):
    compact, (a, b, c), _cr = scored
    former_name(b, "C", 2001, 2009)
    expected = {m.pk: m for m in Membership.objects.select_related("unit").filter(year=2017)}

    with django_assert_num_queries(1):
        found = read_members([(compact.cluster_id, compact.year)])
        members = found[(compact.cluster_id, compact.year)]
        names = {m.unit_id: [n.short_name for n in m.unit.former_names.all()] for m in members}

    assert sorted(m.pk for m in members) == sorted(expected)
    for membership in members:
        orm = expected[membership.pk]
        assert (membership.role, membership.year, membership.unit_id) == (
            orm.role,
            orm.year,
            orm.unit_id,
        )
        assert (membership.unit.code, membership.unit.short_name, membership.unit.active) == (
            orm.unit.code,
            orm.unit.short_name,
            orm.unit.active,
        )
    assert names == {a.pk: [], b.pk: ["C"], c.pk: []}


def test_compacts_read_by_hand_equal_the_orm_ones(scored):
    compact, _units, _cr = scored
    Compact.objects.filter(pk=compact.pk).update(
        bands=[{"min": "30", "label": "Tốt"}], tie_breakers=["fewer_deductions"]
    )
    orm = Compact.objects.get(pk=compact.pk)

    read = read_compacts([(compact.cluster_id, compact.year), (compact.cluster_id, 1990)])

    assert list(read) == [(compact.cluster_id, compact.year)]
    found = read[(compact.cluster_id, compact.year)]
    for f in Compact._meta.concrete_fields:
        assert getattr(found, f.attname) == getattr(orm, f.attname), f.name
    assert found.bands == [{"min": "30", "label": "Tốt"}]


def test_a_merger_is_followed_in_the_order_the_successions_took_effect():
    """Two units merged into x between 2017 and 2018, the later-recorded one first in time:
    x takes the place of the first found (x had none), and each is named as it was in
    2017 (y bore a former name until the end of 2017)."""
    last, (y, z), cr = build_compact(units=2, year=2017)
    for unit, value in ((y, 9), (z, 5)):
        for code in ("G1.1", "G1.2", "G2.1", "G2.2"):
            score(last, unit, cr[code], value)
    FinalResult.objects.create(compact=last, unit=y, rank=1, total=D(36))
    FinalResult.objects.create(compact=last, unit=z, rank=2, total=D(20))
    Compact.objects.filter(pk=last.pk).update(status=Compact.Status.FINALIZED)
    compact, (x,), _ = build_compact(units=1, year=2018, cluster=last.cluster)
    former_name(y, "Y 2017", 2015, 2017)
    for unit, day in ((y, datetime.date(2017, 10, 1)), (z, datetime.date(2017, 6, 1))):
        UnitSuccession.objects.create(
            predecessor=unit, successor=x, kind=UnitSuccession.Kind.MERGED, effective_on=day
        )
    UnitSuccession.objects.create(  # before last year began: not between the two years
        predecessor=UnitFactory(),
        successor=x,
        kind=UnitSuccession.Kind.MERGED,
        effective_on=datetime.date(2016, 12, 31),
    )
    MembershipFactory(cluster=last.cluster, year=2016, unit=UnitFactory())

    row = selectors.standings_for(compact).rows[0]

    assert row.merged_from == [z.short_name, "Y 2017"]
    assert (row.previous_rank, row.previous_total) == (2, D(20))
