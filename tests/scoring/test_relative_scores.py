"""Cluster-relative criteria (so sánh trong cụm) scored for real: a save on the sheet, a
target change or a self-assessment recomputes every unit's points on that criterion."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import Score, Target
from scoring.ranking import Kind, Rule, Side
from scoring.selectors import standings_for
from scoring.services import CellInput
from scoring.targets import TargetInput, register_targets
from tests.factories import UserFactory, UserRoleFactory, build_compact

pytestmark = pytest.mark.django_db

# The issue's example, M = 10: with targets A, C, D; without B, E, F.
EXAMPLE = {
    "A": (D(100), "120", D(10)),
    "B": (None, "150", D(10)),
    "C": (D(50), "60", D(10)),
    "D": (D(80), "80", D(5)),
    "E": (None, "100", D("6.67")),
    "F": (None, "75", D(5)),
}


@pytest.fixture
def cluster():
    compact, members, criteria = build_compact(units=6, groups=1, criteria_per_group=2)
    relative = criteria["G1.1"]
    relative.kind, relative.rule = Kind.QUANTITATIVE, Rule.CLUSTER_RELATIVE
    relative.full_clean()
    relative.save()
    units = dict(zip(EXAMPLE, members, strict=True))
    for name, (target, _actual, _points) in EXAMPLE.items():
        if target is not None:
            Target.objects.create(
                compact=compact, unit=units[name], criterion=relative, value=target
            )
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    return compact, units, criteria, user


def points(compact, criterion, side=Side.VERIFIED):
    field = Side(side).fields[1]
    return {
        s.unit_id: getattr(s, field)
        for s in Score.objects.filter(compact=compact, criterion=criterion)
    }


def post_sheet(client, compact, user, values: dict):
    """Posts cells {(unit, criterion): text} as the sheet does, with the versions stored."""
    versions = {
        (s.unit_id, s.criterion_id): s.version for s in Score.objects.filter(compact=compact)
    }
    data = {}
    for (unit, criterion), text in values.items():
        data[f"v-{unit.pk}-{criterion.pk}"] = text
        data[f"ver-{unit.pk}-{criterion.pk}"] = str(versions.get((unit.pk, criterion.pk), 0))
    client.force_login(user)
    return client.post(reverse("scoring:sheet", args=[compact.pk]), data)


def test_sheet_save_gives_the_issue_example_to_every_unit(client, cluster):
    compact, units, criteria, user = cluster
    relative = criteria["G1.1"]

    response = post_sheet(
        client,
        compact,
        user,
        {(units[name], relative): actual for name, (_t, actual, _p) in EXAMPLE.items()},
    )

    assert response.status_code == 302
    expected = {units[name].pk: pts for name, (_t, _a, pts) in EXAMPLE.items()}
    assert points(compact, relative) == expected


def test_one_units_new_result_changes_the_others_points_without_bumping_their_versions(
    client, cluster
):
    compact, units, criteria, user = cluster
    relative = criteria["G1.1"]
    post_sheet(
        client,
        compact,
        user,
        {(units[name], relative): actual for name, (_t, actual, _p) in EXAMPLE.items()},
    )
    versions = dict(
        Score.objects.filter(compact=compact, criterion=relative).values_list("unit_id", "version")
    )

    # D now leads: 120 of 80 (r = 1.5) against A's 1.2 and C's 1.2.
    post_sheet(client, compact, user, {(units["D"], relative): "120"})

    after = points(compact, relative)
    assert after[units["D"].pk] == D(10)
    assert after[units["A"].pk] == after[units["C"].pk] == D(7)  # 5 + 5·0.2/0.5
    now = dict(
        Score.objects.filter(compact=compact, criterion=relative).values_list("unit_id", "version")
    )
    assert {u: v for u, v in now.items() if u != units["D"].pk} == {
        u: v for u, v in versions.items() if u != units["D"].pk
    }
    assert now[units["D"].pk] == versions[units["D"].pk] + 1


def test_the_ranking_follows_a_neighbours_new_result(client, cluster):
    compact, units, criteria, user = cluster
    relative, judged = criteria["G1.1"], criteria["G1.2"]
    cells = {(units[n], relative): actual for n, (_t, actual, _p) in EXAMPLE.items()}
    cells.update({(units[n], judged): "5" for n in EXAMPLE})
    post_sheet(client, compact, user, cells)
    first = [row.unit for row in standings_for(compact).ranked_rows if row.ranked.rank == 1]
    assert set(first) == {units["A"], units["B"], units["C"]}

    post_sheet(client, compact, user, {(units["D"], relative): "120"})

    places = {row.unit: (row.ranked.rank, row.totals.total) for row in standings_for(compact).rows}
    assert places[units["D"]] == (1, D(15))  # was last: 5 + 5
    assert places[units["B"]] == (1, D(15))
    assert places[units["A"]] == (3, D(12))  # was first: 10 + 5


def test_target_change_recomputes_every_units_points(cluster):
    compact, units, criteria, user = cluster
    relative = criteria["G1.1"]
    services.record_scores(
        compact=compact,
        user=user,
        side=Side.VERIFIED,
        cells=[
            CellInput(unit_id=units[n].pk, criterion_id=relative.pk, value=a)
            for n, (_t, a, _p) in EXAMPLE.items()
        ],
    )

    # D registers 40 instead of 80: r = 2 makes D the only leader.
    register_targets(
        compact=compact,
        user=user,
        entries=[TargetInput(unit_id=units["D"].pk, criterion_id=relative.pk, value="40")],
    )

    after = points(compact, relative)
    assert after[units["D"].pk] == D(10)
    assert after[units["A"].pk] == after[units["C"].pk] == D(6)  # 5 + 5·0.2/1


def test_self_and_verified_sides_are_computed_separately(cluster):
    compact, units, criteria, user = cluster
    relative = criteria["G1.1"]
    a, d = units["A"], units["D"]
    for unit, value in ((a, "120"), (d, "80")):
        services.record_scores(
            compact=compact,
            user=user,
            side=Side.SELF,
            unit_id=unit.pk,
            cells=[CellInput(unit_id=unit.pk, criterion_id=relative.pk, value=value)],
        )
    services.record_scores(
        compact=compact,
        user=user,
        side=Side.VERIFIED,
        cells=[
            CellInput(
                unit_id=a.pk, criterion_id=relative.pk, value="90", note="Kiểm tra", version=1
            )
        ],
    )

    assert points(compact, relative, Side.SELF) == {a.pk: D(10), d.pk: D(5)}
    assert points(compact, relative, Side.VERIFIED) == {a.pk: D("4.5"), d.pk: None}


def test_accepting_a_self_assessment_scores_the_verified_side_against_the_others(cluster):
    compact, units, criteria, user = cluster
    relative = criteria["G1.1"]
    a, d = units["A"], units["D"]
    services.record_scores(
        compact=compact,
        user=user,
        side=Side.SELF,
        unit_id=a.pk,
        cells=[CellInput(unit_id=a.pk, criterion_id=relative.pk, value="120")],
    )
    services.record_scores(
        compact=compact,
        user=user,
        side=Side.VERIFIED,
        cells=[CellInput(unit_id=d.pk, criterion_id=relative.pk, value="160")],
    )

    services.accept_self_assessment(compact=compact, unit_id=a.pk, user=user)

    # Verified: D 160 of 80 (r = 2) leads; A 120 of 100 earns 5 + 5·0.2 = 6.
    assert points(compact, relative) == {a.pk: D(6), d.pk: D(10)}
    assert points(compact, relative, Side.SELF) == {a.pk: D(10), d.pk: None}


def test_lower_is_better_zero_target_is_real_and_zero_result_leads(cluster):
    compact, units, criteria, user = cluster
    relative = criteria["G1.1"]
    relative.lower_is_better = True
    relative.save()
    register_targets(
        compact=compact,
        user=user,
        entries=[
            TargetInput(unit_id=units["B"].pk, criterion_id=relative.pk, value="0"),
            TargetInput(unit_id=units["E"].pk, criterion_id=relative.pk, value="0"),
        ],
    )

    services.record_scores(
        compact=compact,
        user=user,
        side=Side.VERIFIED,
        cells=[
            CellInput(unit_id=units["A"].pk, criterion_id=relative.pk, value="0"),  # T 100
            CellInput(unit_id=units["B"].pk, criterion_id=relative.pk, value="0"),  # T 0
            CellInput(unit_id=units["E"].pk, criterion_id=relative.pk, value="2"),  # T 0
            CellInput(unit_id=units["D"].pk, criterion_id=relative.pk, value="80"),  # T 80
        ],
    )

    assert points(compact, relative) == {
        units["A"].pk: D(10),
        units["B"].pk: D(10),
        units["E"].pk: D(0),
        units["D"].pk: D(5),
    }


def test_relative_value_is_checked_and_a_refused_save_changes_nobody(client, cluster):
    compact, units, criteria, user = cluster
    relative = criteria["G1.1"]
    post_sheet(client, compact, user, {(units["A"], relative): "120"})

    response = post_sheet(
        client, compact, user, {(units["C"], relative): "60", (units["D"], relative): "-1"}
    )

    assert response.status_code == 200
    assert "Giá trị không được âm." in response.content.decode()
    assert points(compact, relative) == {units["A"].pk: D(10)}


def test_count_criterion_is_count_times_points_capped(cluster):
    compact, units, criteria, user = cluster
    count = criteria["G1.2"]
    count.kind, count.points_per_occurrence = Kind.COUNT, D(3)
    count.full_clean()
    count.save()

    services.record_scores(
        compact=compact,
        user=user,
        side=Side.VERIFIED,
        cells=[
            CellInput(unit_id=units["A"].pk, criterion_id=count.pk, value="2"),
            CellInput(unit_id=units["B"].pk, criterion_id=count.pk, value="5"),
        ],
    )

    assert points(compact, count) == {units["A"].pk: D(6), units["B"].pk: D(10)}


def test_demo_2018_has_a_relative_and_a_lower_is_better_criterion(demo):
    from scoring.models import Compact, Criterion

    compact = Compact.objects.get(year=2018)
    models = Criterion.objects.get(compact=compact, code="II.2")
    fires = Criterion.objects.get(compact=compact, code="III.1.a")

    assert (models.is_relative, models.lower_is_better) == (True, False)
    assert (fires.is_relative, fires.lower_is_better) == (True, True)
    assert fires.title.startswith("Kiềm chế số vụ cháy")
    assert Target.objects.filter(compact=compact, criterion=fires).count() == 8
    by_unit = {
        s.unit.code: (s.self_value, s.self_points)
        for s in Score.objects.filter(criterion=fires).select_related("unit")
    }
    # No fire leads; 9 fires against a target of 8 is below target: 20 × 8/9.
    assert by_unit["pccc-quangninh"] == (D(0), D(40))
    assert by_unit["pccc-thanhhoa"] == (D(9), D("17.78"))
