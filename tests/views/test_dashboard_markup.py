"""The dashboard's rows, heat map and charts, written in Python (templatetags/dashboard.py):
the figures as the `points` filter writes them, the changes since last year, the colours."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring.models import Compact, FinalResult
from tests.factories import UserFactory, UserRoleFactory, build_compact, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    """2018 ranks b (34), a (30), c (19,5); in 2017 a was 1st (35), c 2nd (1.050,5), b 3rd
    (40,25). Groups of 20 points: a has 75 % in both, b 85 %, c 65 % and 32 %."""
    last, (a, b, c), _ = build_compact(year=2017)
    for unit, rank, total in ((a, 1, D(35)), (c, 2, D("1050.5")), (b, 3, D("40.25"))):
        FinalResult.objects.create(compact=last, unit=unit, rank=rank, total=total)
    Compact.objects.filter(pk=last.pk).update(status=Compact.Status.FINALIZED)
    compact, _, cr = build_compact(units=0, year=2018, cluster=last.cluster)
    for unit in (a, b, c):
        unit.memberships.create(cluster=compact.cluster, year=2018)
    values = {a: (10, 5, "7.5", "7.5"), b: (10, 7, "8.5", "8.5"), c: ("6.5", "6.5", "3.25", "3.25")}
    for unit, row in values.items():
        for code, value in zip(("G1.1", "G1.2", "G2.1", "G2.2"), row, strict=True):
            score(compact, unit, cr[code], value)
    reader = UserFactory()
    UserRoleFactory(user=reader, role="viewer", cluster=compact.cluster)
    client.force_login(reader)
    return client.get(reverse("scoring:dashboard", args=[compact.pk])).content.decode()


def test_changes_since_last_year_give_places_and_points(page):
    assert '▲2</span> <span class="small">(-6,25)</span></td>' in page  # b
    assert '▼1</span> <span class="small">(-5)</span></td>' in page  # a
    assert '▼1</span> <span class="small">(-1.031)</span></td>' in page  # c
    assert page.count("Từ năm 2017: ▲2</div>") == 1  # on a phone, under b's name


def test_totals_are_written_as_the_points_filter_writes_them(page):
    assert page.count('<td class="text-end fw-bold total">') == 3
    for total in ("34", "30", "19,5"):
        assert f'<td class="text-end fw-bold total">{total}</td>' in page
    assert (
        '<td class="text-end col-secondary">13</td><td class="text-end col-secondary">6,5</td>'
        in page
    )


def test_heat_map_colours_round_the_share_to_even_tenths(page):
    assert page.count('heat-8" title="15 / 20">75%</td>') == 2  # 7.5 tenths → 8
    assert page.count('heat-8" title="17 / 20">85%</td>') == 2  # 8.5 tenths → 8
    assert 'heat-6" title="13 / 20">65%</td>' in page  # 6.5 tenths → 6
    assert 'heat-3" title="6,5 / 20">32%</td>' in page


def test_both_charts_draw_one_bar_per_ranked_unit(page):
    assert page.count('<g class="bar ">') == 4
    assert page.count('<g class="bar bar-top">') == 2
    assert page.count('<rect x="200" ') == 3  # wide: labels left of the bars
    assert page.count('<rect x="4" ') == 3  # narrow: labels above them
    assert "&amp;" not in page.split('<svg class="chart')[1]  # the title escaped once
