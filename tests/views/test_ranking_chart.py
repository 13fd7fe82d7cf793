"""The ranking page's bar chart draws what the places follow: the totals, or the percentages
of each unit's applicable maximum when the compact ranks by percentage."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring.models import Compact
from tests.factories import UserFactory, UserRoleFactory
from tests.scoring.test_not_applicable_ranking import marked  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def dashboard(client, compact):
    viewer = UserFactory()
    UserRoleFactory(user=viewer, role="viewer", cluster=compact.cluster)
    client.force_login(viewer)
    return client.get(reverse("scoring:dashboard", args=[compact.pk]))


@pytest.mark.usefixtures("template_contexts")
def test_ranked_by_percentage_the_chart_draws_the_percentages(client, marked):  # noqa: F811
    compact, _units, _cr, _user = marked

    response = dashboard(client, compact)

    for chart in (response.context["chart"], response.context["chart_narrow"]):
        assert [bar.value for bar in chart.bars] == [D("67.50"), D("56.00"), D("40.00")]
        widths = [bar.width for bar in chart.bars]
        assert widths == sorted(widths, reverse=True)  # the first place has the longest bar
    content = response.content.decode()
    assert ">67,5%</text>" in content
    assert ">100%</text>" in content  # the axis ends at 100 %
    assert "Tỷ lệ trên điểm tối đa áp dụng" in content


@pytest.mark.usefixtures("template_contexts")
def test_ranked_by_total_the_chart_draws_the_totals(client, marked):  # noqa: F811
    compact, _units, _cr, _user = marked
    Compact.objects.filter(pk=compact.pk).update(rank_by=Compact.RankBy.TOTAL)

    response = dashboard(client, compact)

    chart = response.context["chart"]
    assert [bar.value for bar in chart.bars] == [D(28), D(27), D(20)]
    assert ">28</text>" in response.content.decode()
    assert "%</text>" not in response.content.decode()
