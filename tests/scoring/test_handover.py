"""Next year's leader and deputy: starting the next year takes over those the review
elected, records the handover, and the rights follow (scoring/handover.py, access.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scoring import handover, review
from scoring.access import scope_of
from scoring.models import Compact, CompactEvent, Handover, Vote
from tests.factories import UserFactory, UserRoleFactory, build_compact, score
from units.models import Membership, UserRole

pytestmark = pytest.mark.django_db
S = Compact.Status
DAY = datetime.date(2017, 12, 5)


@pytest.fixture
def year():
    """Four members, 2017: a leads, b deputises; the review elects c leader and d deputy."""
    compact, units, cr = build_compact(units=4, status=S.SCORING_CLOSED)
    a, b, c, d = units
    Membership.objects.filter(cluster=compact.cluster, year=2017, unit=a).update(role="leader")
    Membership.objects.filter(cluster=compact.cluster, year=2017, unit=b).update(role="deputy")
    for unit in units:
        score(compact, unit, cr["G1.1"], 5)
    user = UserFactory()
    review.save_meeting(
        compact=compact, user=user, held_on=DAY, place="x", chair="Đại diện", secretary="Đại diện"
    )
    for subject, winner in ((Vote.Subject.NEXT_LEADER, c), (Vote.Subject.NEXT_DEPUTY, d)):
        review.record_vote(
            compact=compact, user=user, subject=subject, method="hands", counts={winner.pk: 4}
        )
    return compact, units, user


def start(compact, units, user, **kwargs):
    values = dict(leader_id=None, deputy_id=None, today=datetime.date(2018, 1, 10))
    values.update(kwargs)
    return handover.start_year(
        cluster=compact.cluster,
        year=2018,
        user=user,
        source=compact,
        unit_ids=[u.pk for u in units],
        **values,
    )


def roles(compact):
    return dict(
        Membership.objects.filter(cluster=compact.cluster, year=compact.year)
        .exclude(role="member")
        .values_list("role", "unit")
    )


def test_starting_next_year_takes_over_the_elected_leader_and_deputy(year):
    compact, (a, b, c, d), user = year
    assert handover.elected_for_next_year(compact) == (c, d)
    new = start(compact, [a, b, c, d], user)
    assert roles(new) == {"leader": c.pk, "deputy": d.pk}
    record = Handover.objects.get(compact=new)
    assert (record.previous_leader, record.previous_deputy, record.leader, record.deputy) == (
        a,
        b,
        c,
        d,
    )
    assert (record.as_elected, record.handed_over_on) == (True, datetime.date(2018, 1, 10))
    for target in (compact, new):
        event = CompactEvent.objects.filter(compact=target, summary__contains="10/01/2018").get()
        assert str(c) in event.summary and str(a) in event.summary


def test_a_leader_other_than_the_elected_one_is_recorded_as_such(year):
    compact, (a, b, c, d), user = year
    new = start(compact, [a, b, c, d], user, leader_id=b.pk, deputy_id=d.pk)
    assert roles(new) == {"leader": b.pk, "deputy": d.pk}
    assert Handover.objects.get(compact=new).as_elected is False


def test_start_year_page_prefills_the_elected_leader_and_deputy(client, year):
    compact, (_a, _b, c, d), _user = year
    secretariat = UserFactory()
    UserRoleFactory(user=secretariat, role="secretariat", cluster=compact.cluster)
    client.force_login(secretariat)
    page = client.get(reverse("scoring:start_year", args=[compact.cluster.pk])).content.decode()
    assert f'<option value="{c.pk}" selected>' in page
    assert f'<option value="{d.pk}" selected>' in page
    assert "Được bầu tại hội nghị tổng kết" in page


# --- The rights follow -------------------------------------------------------------------------


def secretariat_of(unit, cluster):
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=cluster, unit=unit)
    return user


def test_rights_follow_the_handover(client, year):
    compact, (a, b, c, d), user = year
    old, new_secretariat = secretariat_of(a, compact.cluster), secretariat_of(c, compact.cluster)
    assert scope_of(old).can_write_compact(compact)
    assert scope_of(old).can_write_cluster(compact.cluster_id)  # may start the next year
    assert not scope_of(new_secretariat).can_read_compact(compact)

    new = start(compact, [a, b, c, d], user)
    old, new_secretariat = (type(old).objects.get(pk=u.pk) for u in (old, new_secretariat))
    # The outgoing leader's secretariat keeps reading its year, no longer changes it, and
    # does not see the new year; the incoming one manages the new year.
    client.force_login(old)
    assert client.get(reverse("scoring:compact", args=[compact.pk])).status_code == 200
    status_url = reverse("scoring:status", args=[compact.pk])
    assert client.post(status_url, {"target": "finalized"}).status_code == 403
    assert client.get(reverse("scoring:compact", args=[new.pk])).status_code == 404
    client.force_login(new_secretariat)
    page = client.get(reverse("scoring:compact", args=[new.pk])).content.decode()
    assert "Bắt đầu ký kết" in page  # its next step, offered to whoever manages the year
    assert client.get(reverse("scoring:compact", args=[compact.pk])).status_code == 404
    response = client.post(reverse("scoring:status", args=[new.pk]), {"target": "signing"})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.status == S.SIGNING


def test_a_secretariat_role_may_name_its_unit_but_an_officer_no_cluster(year):
    compact, (a, *_), _user = year
    user = UserFactory()
    UserRole(user=user, role="secretariat", cluster=compact.cluster, unit=a).full_clean()
    with pytest.raises(ValidationError):
        UserRole(user=user, role="officer", cluster=compact.cluster, unit=a).full_clean()
    with pytest.raises(ValidationError):
        UserRole(user=user, role="secretariat", unit=a).full_clean()
