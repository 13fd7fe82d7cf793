"""Invariants held by the database and reported in Vietnamese by model validation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from scoring.models import Criterion, Score
from scoring.ranking import Kind
from tests.factories import (
    ClusterFactory,
    CriterionFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    build_compact,
)
from units.models import Membership, UserRole

pytestmark = pytest.mark.django_db


def messages_of(exc):
    return [m for ms in exc.value.message_dict.values() for m in ms]


def test_second_leader_same_year_is_refused_by_validation_and_database():
    cluster = ClusterFactory()
    MembershipFactory(cluster=cluster, year=2017, role=Membership.Role.LEADER)
    second = Membership(cluster=cluster, year=2017, unit=UnitFactory(), role="leader")

    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert messages_of(exc) == ["Cụm đã có đơn vị cụm trưởng trong năm này."]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert Membership.objects.filter(cluster=cluster, role="leader").count() == 1


def test_second_deputy_same_year_is_refused():
    cluster = ClusterFactory()
    MembershipFactory(cluster=cluster, year=2017, role=Membership.Role.DEPUTY)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cluster=cluster, year=2017, role=Membership.Role.DEPUTY)


def test_leader_of_another_year_is_allowed():
    cluster = ClusterFactory()
    MembershipFactory(cluster=cluster, year=2017, role=Membership.Role.LEADER)
    MembershipFactory(cluster=cluster, year=2018, role=Membership.Role.LEADER)
    assert Membership.objects.filter(role="leader").count() == 2


def test_unit_in_two_clusters_same_year_is_refused():
    unit = UnitFactory()
    MembershipFactory(unit=unit, year=2017)
    other = Membership(cluster=ClusterFactory(), unit=unit, year=2017)

    with pytest.raises(ValidationError) as exc:
        other.full_clean()
    assert messages_of(exc) == ["Đơn vị này đã thuộc một cụm trong năm này."]
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_negative_maximum_is_refused():
    compact, _units, _criteria = build_compact()
    criterion = Criterion(compact=compact, code="X", title="X", max_points=Decimal(-5))

    with pytest.raises(ValidationError) as exc:
        criterion.full_clean()
    assert "max_points" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        criterion.save()


def test_duplicate_criterion_code_is_refused():
    compact, _units, _criteria = build_compact()
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionFactory(compact=compact, code="G1")


def test_content_criterion_without_maximum_is_refused_by_the_database():
    compact, _units, _criteria = build_compact()
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(compact=compact, code="Z", title="Z", kind=Kind.JUDGED)


def test_criteria_nest_at_most_eight_levels():
    compact, _units, criteria = build_compact()
    parent = criteria["G1.1"]
    for level in range(3, 9):  # real schemes go five or six deep
        child = Criterion(compact=compact, parent=parent, code=f"{parent.code}.{level}", title="x")
        child.max_points = 1
        child.full_clean()
        child.save()
        parent = child
    ninth = Criterion(compact=compact, parent=parent, code=f"{parent.code}.9", title="x")
    ninth.max_points = 1
    with pytest.raises(ValidationError) as exc:
        ninth.full_clean()
    assert exc.value.message_dict["parent"] == ["Tiêu chí chỉ lồng nhau tối đa 8 cấp."]


def test_bonus_item_under_content_group_is_refused():
    compact, _units, criteria = build_compact()
    item = Criterion(
        compact=compact,
        parent=criteria["G1"],
        code="G1.9",
        title="x",
        kind=Kind.BONUS,
        points_per_occurrence=Decimal(5),
    )
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "kind" in exc.value.message_dict


def test_score_on_a_group_row_is_refused():
    compact, units, criteria = build_compact()
    score = Score(compact=compact, unit=units[0], criterion=criteria["G1"], verified_value=5)

    with pytest.raises(ValidationError) as exc:
        score.full_clean()
    assert messages_of(exc) == ["G1 là nhóm tiêu chí: hãy chấm điểm các tiêu chí con."]


def test_score_above_maximum_is_refused_with_its_numbers():
    compact, units, criteria = build_compact()
    score = Score(
        compact=compact, unit=units[0], criterion=criteria["G1.1"], verified_value=Decimal("12")
    )

    with pytest.raises(ValidationError) as exc:
        score.full_clean()
    assert exc.value.message_dict == {"verified_value": ["12 lớn hơn điểm tối đa 10."]}


def test_score_clean_computes_points_from_values():
    compact, units, criteria = build_compact()
    score = Score(
        compact=compact, unit=units[0], criterion=criteria["D.1"], self_value=3, verified_value=2
    )
    score.full_clean()
    assert (score.self_points, score.verified_points) == (Decimal(6), Decimal(4))


def test_score_for_a_unit_outside_the_cluster_is_refused():
    compact, _units, criteria = build_compact()
    score = Score(compact=compact, unit=UnitFactory(), criterion=criteria["G1.1"], verified_value=1)
    with pytest.raises(ValidationError) as exc:
        score.full_clean()
    assert "unit" in exc.value.message_dict


def test_negative_points_are_refused_by_the_database():
    compact, units, criteria = build_compact()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            compact=compact, unit=units[0], criterion=criteria["G1.1"], verified_points=Decimal(-1)
        )


def test_second_score_for_the_same_cell_is_refused():
    compact, units, criteria = build_compact()
    Score.objects.create(compact=compact, unit=units[0], criterion=criteria["G1.1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(compact=compact, unit=units[0], criterion=criteria["G1.1"])


@pytest.mark.parametrize(
    ("role", "with_cluster", "with_unit", "valid"),
    [
        ("secretariat", True, False, True),
        ("secretariat", False, False, False),
        ("officer", False, True, True),
        ("officer", True, False, False),
        ("viewer", True, False, True),
        ("viewer", False, False, True),
        ("viewer", False, True, False),
        ("admin", False, False, True),
        ("admin", True, False, False),
    ],
)
def test_user_role_scope_must_match_the_role(role, with_cluster, with_unit, valid):
    user_role = UserRole(
        user=UserFactory(),
        role=role,
        cluster=ClusterFactory() if with_cluster else None,
        unit=UnitFactory() if with_unit else None,
    )
    if valid:
        user_role.full_clean()
        user_role.save()
    else:
        with pytest.raises(ValidationError):
            user_role.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            user_role.save()


def test_unit_names_follow_the_period():
    import datetime

    unit = UnitFactory(full_name="Phòng PC07", short_name="PC07 X")
    unit.former_names.create(
        full_name="Cảnh sát PCCC tỉnh X",
        short_name="PCCC X",
        valid_from=datetime.date(2000, 1, 1),
        valid_until=datetime.date(2018, 7, 31),
    )
    assert unit.names_on(datetime.date(2017, 12, 31)) == ("Cảnh sát PCCC tỉnh X", "PCCC X")
    assert unit.names_on(datetime.date(2018, 8, 1)) == ("Phòng PC07", "PC07 X")
