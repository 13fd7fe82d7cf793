"""The sheet's queries do not grow with the number of units or criteria."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.urls import reverse

from scoring.models import Score
from tests.factories import build_scored_compact, secretariat_for

pytestmark = pytest.mark.django_db

SIZES = [(3, 2, 3), (6, 4, 10)]  # (units, groups, criteria per group): 6 and 40 leaves
RENDER_QUERIES = 12
# One of them finds the cluster-relative criteria among the cells; on PostgreSQL one more
# holds the compact's row locked, shared, against a not-applicable mark (services.relative).
SAVE_QUERIES = 13 + (connection.vendor == "postgresql")


def scored_compact(units, groups, per_group):
    compact, members, _criteria, leaves = build_scored_compact(
        units=units, groups=groups, criteria_per_group=per_group, self_assessed=True
    )
    return compact, members, leaves, secretariat_for(compact)


@pytest.mark.parametrize(("units", "groups", "per_group"), SIZES)
def test_sheet_renders_in_constant_queries(
    client, django_assert_max_num_queries, units, groups, per_group
):
    compact, members, leaves, user = scored_compact(units, groups, per_group)
    client.force_login(user)

    with django_assert_max_num_queries(RENDER_QUERIES):
        response = client.get(reverse("scoring:sheet", args=[compact.pk]))

    content = response.content.decode()
    assert content.count('class="cell-input ') == units * len(leaves)
    expected_total = groups * per_group  # one point a leaf; the bonus and deduction cancel
    assert content.count(f'data-total="total" data-unit="{members[0].pk}">{expected_total}<') == 1


@pytest.mark.parametrize(("units", "groups", "per_group"), SIZES)
def test_sheet_saves_every_cell_in_constant_queries(
    client, django_assert_max_num_queries, units, groups, per_group
):
    compact, members, leaves, user = scored_compact(units, groups, per_group)
    client.force_login(user)
    data = {}
    for unit in members:
        for leaf in leaves:
            data[f"v-{unit.pk}-{leaf.pk}"] = "0,5" if leaf.kind == "judged" else "0"
            data[f"n-{unit.pk}-{leaf.pk}"] = "Đối chiếu minh chứng"
            data[f"ver-{unit.pk}-{leaf.pk}"] = "1"

    with django_assert_max_num_queries(SAVE_QUERIES):
        response = client.post(reverse("scoring:sheet", args=[compact.pk]), data)

    assert response.status_code == 302
    assert set(Score.objects.filter(compact=compact).values_list("version", flat=True)) == {2}
    assert Score.objects.filter(compact=compact, verified_points=D("0.5")).count() == units * (
        groups * per_group
    )


@pytest.mark.parametrize(("units", "groups", "per_group"), SIZES)
def test_unit_page_renders_in_constant_queries(
    client, django_assert_max_num_queries, units, groups, per_group
):
    compact, members, leaves, user = scored_compact(units, groups, per_group)
    client.force_login(user)

    with django_assert_max_num_queries(RENDER_QUERIES):
        response = client.get(reverse("scoring:unit", args=[compact.pk, members[-1].pk]))

    assert response.content.decode().count('class="cell-input ') == len(leaves)
