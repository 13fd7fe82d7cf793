"""The leaders' dashboard, its JSON twin, the unit report and the clusters overview."""

import json
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from django.http import JsonResponse
from django.urls import reverse

from scoring import selectors
from scoring.models import Compact, Criterion, Score
from scoring.views.dashboards import json_number
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    UserFactory,
    UserRoleFactory,
    build_compact,
    score,
)
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def dashboard_url(compact):
    return reverse("scoring:dashboard", args=[compact.pk])


def test_final_2017_totals_equal_the_verified_points_in_the_database(client, demo):
    compact = Compact.objects.get(year=2017)
    data = selectors.standings_for(compact)

    for row in data.rows:
        scores = Score.objects.filter(compact=compact, unit=row.unit)
        by_kind = {
            kind: scores.filter(criterion__kind__in=kinds).aggregate(s=Sum("verified_points"))["s"]
            or D(0)
            for kind, kinds in {
                "content": ["judged", "quantitative", "pass_fail"],
                "bonus": ["bonus"],
                "deduction": ["deduction"],
            }.items()
        }
        expected = by_kind["content"] + min(by_kind["bonus"], D(50)) - by_kind["deduction"]
        assert row.totals.total.quantize(D("0.01")) == D(expected).quantize(D("0.01"))
    assert [r.ranked.rank for r in data.rows] == sorted(r.ranked.rank for r in data.rows)
    assert not data.provisional


def test_leader_sees_the_final_2017_ranking_with_the_names_of_that_year(client, demo):
    compact = Compact.objects.get(year=2017)
    content = login(client, "lanhdao").get(dashboard_url(compact)).content.decode()

    assert "Chính thức" in content
    assert "Tạm tính" not in content
    first = selectors.standings_for(compact).rows[0]
    assert first.short_name.startswith("PCCC ")  # 2017 names, before the 2018 reorganisation
    assert first.short_name in content
    assert content.count("<svg") == 2  # the wide chart and the phone one, one shown
    assert 'class="table table-sm heatmap' in content


def test_open_compact_ranking_is_provisional_with_its_completeness(client, demo):
    compact = Compact.objects.get(year=2018)
    thanhhoa = Unit.objects.get(code="pccc-thanhhoa")
    i1 = Criterion.objects.get(compact=compact, code="I.1")
    Score.objects.filter(compact=compact, unit=thanhhoa, criterion=i1).update(
        verified_value=D(35), verified_points=D(35)
    )

    content = login(client, "lanhdao").get(dashboard_url(compact)).content.decode()

    assert "Tạm tính" in content
    # 1 of 240 cells, said once, in the provisional notice.
    assert content.count("0 % điểm đã thẩm định") == 1
    assert "Từ năm 2017" in content


def test_compact_without_scores_shows_an_explained_empty_state(client):
    compact, _units, _criteria = build_compact()
    user = UserFactory()
    UserRoleFactory(user=user, role="viewer", cluster=compact.cluster)
    client.force_login(user)

    response = client.get(dashboard_url(compact))

    assert response.status_code == 200
    assert "Chưa có điểm thẩm định" in response.content.decode()


def test_ties_are_broken_or_shown_as_decided_at_the_vote(client):
    compact, (a, b, c), cr = build_compact(
        tie_breakers=["fewer_deductions", "higher_groups:G2"], deduction_cap=None
    )
    for unit, g1, g2, deductions in [(a, 10, 8, 1), (b, 8, 10, 1), (c, 9, 9, 0)]:
        score(compact, unit, cr["G1.1"], g1)
        score(compact, unit, cr["G1.2"], 0)  # every content criterion verified: ranked
        score(compact, unit, cr["G2.1"], g2)
        score(compact, unit, cr["G2.2"], 1)
        score(compact, unit, cr["D.1"], deductions)  # 2 points each
    # Totals: a 17, b 17, c 19. a and b tie on deductions; b has more in G2.
    data = selectors.standings_for(compact)
    assert [(r.unit, r.ranked.rank, r.ranked.shared) for r in data.rows] == [
        (c, 1, False),
        (b, 2, False),
        (a, 3, False),
    ]
    user = UserFactory()
    UserRoleFactory(user=user, role="viewer", cluster=compact.cluster)
    client.force_login(user)
    page = client.get(dashboard_url(compact)).content.decode()
    assert page.count("phân định: điểm nhóm cao hơn") == 2  # b and a, by G2

    compact.tie_breakers = ["fewer_deductions"]
    compact.save()
    data = selectors.standings_for(compact)
    assert [(r.unit, r.ranked.rank, r.ranked.shared) for r in data.rows] == [
        (c, 1, False),
        (a, 2, True),
        (b, 2, True),
    ]
    assert client.get(dashboard_url(compact)).content.decode().count("quyết định khi bỏ phiếu") == 2


def test_a_tie_broken_by_fewer_deductions_says_so(client):
    compact, (a, b), cr = build_compact(
        units=2, tie_breakers=["fewer_deductions"], deduction_cap=None
    )
    # Both 17: a with no deduction, b with one (2 points).
    for unit, g2, deductions in [(a, 5, 0), (b, 7, 1)]:
        for code, points in [("G1.1", 10), ("G1.2", 1), ("G2.1", g2), ("G2.2", 1)]:
            score(compact, unit, cr[code], points)
        score(compact, unit, cr["D.1"], deductions)
    user = UserFactory()
    UserRoleFactory(user=user, role="viewer", cluster=compact.cluster)
    client.force_login(user)

    rows = selectors.standings_for(compact).rows
    page = client.get(dashboard_url(compact)).content.decode()

    assert [(r.unit, r.ranked.rank, r.ranked.shared) for r in rows] == [
        (a, 1, False),
        (b, 2, False),
    ]
    assert page.count("phân định: ít điểm trừ hơn") == 2


def test_disqualified_unit_is_flagged(client, demo):
    compact = Compact.objects.get(year=2017)
    nghean = Unit.objects.get(code="pccc-nghean")
    fault = Criterion.objects.get(compact=compact, code="VII.5")
    Score.objects.filter(compact=compact, unit=nghean, criterion=fault).update(verified_value=1)

    row = next(r for r in selectors.standings_for(compact).rows if r.unit == nghean)
    assert row.ranked.disqualified
    content = login(client, "lanhdao").get(dashboard_url(compact)).content.decode()
    assert content.count("không đủ điều kiện xét cờ") == 1


def test_ranking_json_has_the_same_figures(client, demo):
    compact = Compact.objects.get(year=2017)
    data = login(client, "lanhdao").get(reverse("scoring:ranking_json", args=[compact.pk])).json()

    expected = selectors.standings_for(compact).rows
    assert data["year"] == 2017
    assert data["provisional"] is False
    assert [(r["rank"], r["unit"]["code"], r["total"]) for r in data["ranking"]] == [
        (row.ranked.rank, row.unit.code, str(row.totals.total)) for row in expected
    ]
    assert data["ranking"][0]["unit"]["short_name"].startswith("PCCC ")


def test_ranking_json_gives_null_not_none_for_an_unknown_figure():
    # No maximum known (`ranking.unit_total(maximum=None)`): no percentage either.
    assert (json_number(None), json_number(D("912.50"))) == (None, "912.50")
    assert json.loads(JsonResponse({"maximum": json_number(None)}).content) == {"maximum": None}


@pytest.mark.parametrize("name", ["scoring:dashboard", "scoring:ranking_json"])
def test_outsiders_get_404_and_anonymous_users_sign_in(client, demo, name):
    compact = Compact.objects.get(year=2018)  # results not published: officers are outsiders
    url = reverse(name, args=[compact.pk])
    assert client.get(url).status_code == 302
    login(client, "pccc_nghean")
    assert client.get(url).status_code == 404
    client.logout()
    outsider = UserFactory()
    UserRoleFactory(user=outsider, role="viewer", cluster=ClusterFactory())
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse(name, args=[999999])).status_code == 404


def test_leader_cannot_reach_editing_pages(client, demo):
    compact = Compact.objects.get(year=2018)
    unit = Unit.objects.get(code="pccc-thanhhoa")
    login(client, "lanhdao")
    assert client.post(reverse("scoring:sheet", args=[compact.pk]), {}).status_code == 403
    for name in ["scoring:accept", "scoring:return", "scoring:verified"]:
        assert client.post(reverse(name, args=[compact.pk, unit.pk])).status_code == 403
    assert client.get(reverse("scoring:self", args=[compact.pk])).status_code == 404
    assert client.get("/admin/").status_code == 302


def test_unit_report_shows_breakdown_and_years(client, demo):
    compact = Compact.objects.get(year=2017)
    unit = Unit.objects.get(code="pccc-thanhhoa")
    content = (
        login(client, "lanhdao")
        .get(reverse("scoring:unit_report", args=[compact.pk, unit.pk]))
        .content.decode()
    )
    assert "Cảnh sát PCCC tỉnh Thanh Hóa · 2017" in content
    assert "Tuyên truyền, phổ biến kiến thức PCCC" in content
    assert "Chưa có điểm thẩm định" in content  # 2018 is not verified yet


def test_overview_puts_clusters_side_by_side(client, demo):
    other, (x, *_), cr = build_compact(year=2017)
    for code in ["G1.1", "G1.2", "G2.1", "G2.2"]:
        score(other, x, cr[code], 9)
    national = UserFactory()
    UserRoleFactory(user=national, role="viewer", cluster=None)
    client.force_login(national)

    content = client.get(reverse("scoring:overview") + "?year=2017").content.decode()

    assert "Cụm thi đua số 12" in content
    assert other.cluster.name in content
    assert x.short_name in content


def build_years(units, criteria_per_group, years):
    cluster = ClusterFactory()
    members = [MembershipFactory(cluster=cluster, year=2017).unit for _ in range(units)]
    compacts = []
    for offset in range(years):
        year = 2017 + offset
        compact, _, cr = build_compact(
            units=0, criteria_per_group=criteria_per_group, year=year, cluster=cluster
        )
        for unit in members:
            if year != 2017:
                MembershipFactory(cluster=cluster, unit=unit, year=year)
            for code, criterion in cr.items():
                if "." in code:
                    score(compact, unit, criterion, 1)
        compacts.append(compact)
    return cluster, members, compacts


@pytest.mark.parametrize(("units", "per_group", "years"), [(2, 2, 1), (5, 6, 3)])
def test_dashboard_queries_do_not_grow(
    client, django_assert_max_num_queries, units, per_group, years
):
    cluster, members, compacts = build_years(units, per_group, years)
    user = UserFactory()
    UserRoleFactory(user=user, role="viewer", cluster=cluster)
    client.force_login(user)

    # Session and user, the compact and the reader's roles, then the standings: last
    # year's compact, the figures, the members (selectors/ranking_reads.py).
    with django_assert_max_num_queries(7):
        response = client.get(dashboard_url(compacts[-1]))
    assert response.content.decode().count('class="text-end fw-bold total"') == units

    with django_assert_max_num_queries(11):
        client.get(reverse("scoring:unit_report", args=[compacts[-1].pk, members[0].pk]))
    with django_assert_max_num_queries(7):
        client.get(reverse("scoring:overview"))
    with django_assert_max_num_queries(7):
        client.get(reverse("scoring:ranking_json", args=[compacts[-1].pk]))
