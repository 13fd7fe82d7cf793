"""The sheet and the self-assessment page with cluster-relative criteria: the rule is named,
the points shown are every unit's, the self-assessed ones are marked provisional, and the
queries do not grow with the size of the sheet."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring.models import Criterion, Score, Target
from scoring.ranking import Kind, Rule
from tests.factories import (
    MembershipFactory,
    UserFactory,
    UserRoleFactory,
    build_compact,
    secretariat_for,
)
from tests.views.test_sheet_queries import RENDER_QUERIES, SAVE_QUERIES, SIZES

pytestmark = pytest.mark.django_db


def relative_compact(units, groups, per_group):
    """A compact whose first leaf of every group is cluster-relative, lower-is-better in the
    last group when there are several, with a target and a verified result for every unit."""
    compact, members, criteria = build_compact(
        units=units, groups=groups, criteria_per_group=per_group
    )
    relative = [criteria[f"G{g}.1"] for g in range(1, groups + 1)]
    for criterion in relative:
        criterion.kind, criterion.rule = Kind.QUANTITATIVE, Rule.CLUSTER_RELATIVE
    relative[-1].lower_is_better = len(relative) > 1
    Criterion.objects.bulk_update(relative, ["kind", "rule", "lower_is_better"])
    Target.objects.bulk_create(
        Target(compact=compact, unit=unit, criterion=criterion, value=D(10))
        for unit in members
        for criterion in relative
    )
    Score.objects.bulk_create(
        Score(compact=compact, unit=unit, criterion=criterion, verified_value=D(10))
        for unit in members
        for criterion in relative
    )
    return compact, members, relative, secretariat_for(compact)


@pytest.mark.parametrize(("units", "groups", "per_group"), SIZES)
def test_sheet_with_relative_criteria_renders_in_constant_queries(
    client, django_assert_max_num_queries, units, groups, per_group
):
    compact, _members, _relative, user = relative_compact(units, groups, per_group)
    client.force_login(user)

    with django_assert_max_num_queries(RENDER_QUERIES):
        response = client.get(reverse("scoring:sheet", args=[compact.pk]))

    content = response.content.decode()
    assert content.count("so sánh trong cụm") == groups
    assert content.count("càng thấp càng tốt") == 1
    assert content.count('data-rule="cluster_relative"') == groups


@pytest.mark.parametrize(("units", "groups", "per_group"), SIZES)
def test_saving_a_relative_result_recomputes_every_unit_in_constant_queries(
    client, django_assert_max_num_queries, units, groups, per_group
):
    compact, members, relative, user = relative_compact(units, groups, per_group)
    client.force_login(user)
    first = relative[0]
    data = {f"v-{members[0].pk}-{first.pk}": "20", f"ver-{members[0].pk}-{first.pk}": "1"}

    # Six more than a plain save: the compact's lock, then the recompute's criteria,
    # members, scores and targets, and one write of every changed point.
    with django_assert_max_num_queries(SAVE_QUERIES + 6):
        response = client.post(reverse("scoring:sheet", args=[compact.pk]), data)

    assert response.status_code == 302
    points = dict(Score.objects.filter(criterion=first).values_list("unit_id", "verified_points"))
    # The first unit leads at 2 × its target; every other one is at target: half.
    assert points == {m.pk: D(10) if m == members[0] else D(5) for m in members}


def test_sheet_shows_each_units_recomputed_points_after_a_save(client):
    compact, members, relative, user = relative_compact(3, 1, 2)
    client.force_login(user)
    first = relative[0]
    client.post(
        reverse("scoring:sheet", args=[compact.pk]),
        {f"v-{members[1].pk}-{first.pk}": "15", f"ver-{members[1].pk}-{first.pk}": "1"},
    )

    content = client.get(reverse("scoring:sheet", args=[compact.pk])).content.decode()

    assert (
        f'name="v-{members[1].pk}-{first.pk}" value="15"' in content
        and content.count('<span class="pts" data-pts>5</span>') == 2
        and content.count('<span class="pts" data-pts>10</span>') == 1
    )


def test_officer_sees_relative_points_as_provisional(client):
    compact, members, relative, _user = relative_compact(3, 1, 2)
    officer = UserFactory()
    UserRoleFactory(user=officer, role="officer", unit=members[0])
    Score.objects.filter(unit=members[0], criterion=relative[0]).update(
        self_value=D(12), self_points=D(10)
    )
    client.force_login(officer)

    response = client.get(reverse("scoring:self", args=[compact.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("tạm tính</span>") == 1
    assert "so sánh trong cụm" in content


def test_a_unit_that_joined_is_scored_with_the_others(client):
    compact, members, relative, user = relative_compact(2, 1, 2)
    late = MembershipFactory(cluster=compact.cluster, year=compact.year).unit
    first = relative[0]
    client.force_login(user)

    client.post(
        reverse("scoring:sheet", args=[compact.pk]),
        {f"v-{late.pk}-{first.pk}": "30", f"ver-{late.pk}-{first.pk}": "0"},
    )

    points = dict(Score.objects.filter(criterion=first).values_list("unit_id", "verified_points"))
    # No target: compared among the untargeted only, it is the best of them.
    assert points == {members[0].pk: D(5), members[1].pk: D(5), late.pk: D(10)}
