"""A cluster takes only its own units: its members of that year and the previous years, and
units that belong to no cluster yet. Another cluster's units are neither offered nor accepted
(a crafted POST is refused); only an administrator moves a unit between clusters."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from scoring import lifecycle
from scoring.models import Compact
from scoring.services import ServiceError
from tests.factories import (
    CompactFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    UserRoleFactory,
    build_compact,
)
from units.models import Cluster, Membership, Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


@pytest.fixture
def world(demo):
    """Cluster 12 (demo) with a 2019 draft; another cluster with its 2018 members and its
    own 2019 draft; a new unit that belongs to no cluster."""
    other, strangers, _cr = build_compact(year=2018)
    ours = Compact.objects.get(cluster__number=12, year=2018)
    draft = CompactFactory(cluster=ours.cluster, year=2019, status=Compact.Status.DRAFT)
    other_draft = CompactFactory(cluster=other.cluster, year=2019, status=Compact.Status.DRAFT)
    other_secretariat = UserFactory(username="other_secretariat")
    UserRoleFactory(user=other_secretariat, role="secretariat", cluster=other.cluster)
    officer = UserFactory(username="stranger_officer")
    UserRoleFactory(user=officer, role="officer", unit=strangers[0])
    return {
        "draft": draft,
        "other_draft": other_draft,
        "ours": list(
            Unit.objects.filter(memberships__cluster=ours.cluster, memberships__year=2018)
        ),
        "strangers": strangers,
        "free": UnitFactory(short_name="PCCC Đơn vị mới"),
        # The demo's units outside any cluster (Gia Lai, Kon Tum… of the 2025 mergers).
        "free_in_demo": set(Unit.objects.existing_in(2019).filter(memberships=None)),
        "other_secretariat": other_secretariat,
        "officer": officer,
    }


def offered(response):
    return set(response.context["form"].fields["units"].queryset)


def as_user(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.usefixtures("template_contexts")
def test_secretariat_is_offered_its_members_and_free_units_only(client, world):
    response = as_user(client, "thuky").get(reverse("scoring:members", args=[world["draft"].pk]))

    assert offered(response) == set(world["ours"]) | {world["free"]} | world["free_in_demo"]
    page = response.content.decode()
    assert str(world["strangers"][0]) not in page
    assert "PCCC Đơn vị mới" in page


@pytest.mark.usefixtures("template_contexts")
def test_other_clusters_secretariat_is_offered_its_own_units_not_ours(client, world):
    client = as_user(client, "other_secretariat")
    response = client.get(reverse("scoring:members", args=[world["other_draft"].pk]))

    assert offered(response) == (set(world["strangers"]) | {world["free"]} | world["free_in_demo"])
    # and cluster 12's compact does not exist for it
    assert client.get(reverse("scoring:members", args=[world["draft"].pk])).status_code == 404


@pytest.mark.usefixtures("template_contexts")
def test_administrator_is_offered_and_may_take_any_unit(client, world):
    admin = as_user(client, "admin")
    url = reverse("scoring:members", args=[world["draft"].pk])
    assert offered(admin.get(url)) >= set(world["ours"]) | set(world["strangers"])

    response = admin.post(
        url, {"units": [u.pk for u in world["ours"]] + [world["strangers"][0].pk]}
    )

    assert response.status_code == 302
    assert Membership.objects.get(unit=world["strangers"][0], year=2019).cluster == (
        world["draft"].cluster
    )


def test_crafted_post_with_another_clusters_unit_is_refused(client, world):
    stranger = world["strangers"][0]
    url = reverse("scoring:members", args=[world["draft"].pk])

    response = as_user(client, "thuky").post(
        url, {"units": [u.pk for u in world["ours"]] + [stranger.pk], "leader": stranger.pk}
    )

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Membership.objects.filter(year=2019).exists()
    # the stranger's officer does not see cluster 12's compact, and its own cluster can go on
    as_user(client, "stranger_officer")
    assert client.get(reverse("scoring:signing", args=[world["draft"].pk])).status_code == 404
    lifecycle.set_members(
        cluster_id=world["other_draft"].cluster_id,
        year=2019,
        unit_ids=[u.pk for u in world["strangers"]],
        leader_id=None,
        deputy_id=None,
        user=world["other_secretariat"],
    )
    assert Membership.objects.filter(year=2019, cluster=world["other_draft"].cluster).count() == 3


def test_the_service_refuses_another_clusters_unit_whatever_the_form(world):
    thuky = get_user_model().objects.get(username="thuky")
    stranger = world["strangers"][0]

    with pytest.raises(ServiceError) as error:
        lifecycle.set_members(
            cluster_id=world["draft"].cluster_id,
            year=2019,
            unit_ids=[u.pk for u in world["ours"]] + [stranger.pk],
            leader_id=None,
            deputy_id=None,
            user=thuky,
        )

    assert "thuộc cụm khác" in error.value.message
    assert str(stranger) in error.value.message
    assert not Membership.objects.filter(year=2019).exists()


@pytest.mark.usefixtures("template_contexts")
def test_start_year_preselects_and_accepts_only_units_the_cluster_may_take(client, demo):
    cluster = Cluster.objects.get(number=12)
    nghean = Unit.objects.get(code="pccc-nghean")
    other, strangers, _cr = build_compact(year=2018)
    # The administrator moved Nghệ An to the other cluster for 2019.
    MembershipFactory(cluster=other.cluster, unit=nghean, year=2019)
    url = reverse("scoring:start_year", args=[cluster.pk])
    client = as_user(client, "thuky")

    form = client.get(url).context["form"]

    choices = set(form.fields["units"].queryset)
    assert nghean not in choices
    assert not set(strangers) & choices
    # The seven others, and the demo's units outside any cluster (Gia Lai, Kon Tum…).
    assert choices - set(Unit.objects.filter(memberships=None)) == set(
        Unit.objects.filter(memberships__cluster=cluster, memberships__year=2018).exclude(
            pk=nghean.pk
        )
    )
    assert "Nghệ An" not in str(form["units"])

    ours = list(
        Unit.objects.filter(memberships__cluster=cluster, memberships__year=2018).exclude(
            pk=nghean.pk
        )
    )
    response = client.post(url, {"year": 2019, "units": [u.pk for u in ours] + [strangers[0].pk]})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Compact.objects.filter(cluster=cluster, year=2019).exists()
    assert not Membership.objects.filter(cluster=cluster, year=2019).exists()
