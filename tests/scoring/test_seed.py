from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from scoring import selectors
from scoring.demo import seed_demo
from scoring.models import Compact, CompactEvent, Criterion, Score, Signature, Target
from units.models import Cluster, Membership, Unit, UnitName, UserRole

pytestmark = pytest.mark.django_db

MODELS = [
    CompactEvent,
    Cluster,
    Unit,
    UnitName,
    Membership,
    Compact,
    Criterion,
    Signature,
    Target,
    Score,
    UserRole,
    get_user_model(),
]


def snapshot():
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "scores": sorted(
            Score.objects.values_list(
                "unit__code", "criterion__code", "compact__year", "self_points", "verified_points"
            )
        ),
        "roles": sorted(Membership.objects.values_list("unit__code", "year", "role")),
    }


def test_seed_builds_cluster_12_with_its_eight_units_and_roles(demo):
    cluster = Cluster.objects.get(number=12)
    assert cluster.name == "Cụm thi đua số 12"
    members_2017 = Membership.objects.filter(cluster=cluster, year=2017)
    assert members_2017.count() == 8
    assert members_2017.get(role="leader").unit.province == "Thanh Hóa"
    assert members_2017.get(role="deputy").unit.province == "Khánh Hòa"


def test_seed_2017_compact_is_fully_scored_and_adds_up(demo):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    assert compact.slogan.startswith("Đoàn kết, đổi mới, chủ động")
    assert compact.status == Compact.Status.FINALIZED
    assert selectors.scheme_problems(compact) == []
    leaves = Criterion.objects.filter(compact=compact).leaves().count()
    assert (
        Score.objects.filter(compact=compact, verified_points__isnull=False).count() == 8 * leaves
    )
    assert Signature.objects.filter(compact=compact).count() == 8
    for _membership, total in selectors.unit_totals(compact):
        assert Decimal(700) < total.total <= Decimal(1000)


def test_seed_2018_compact_is_open_for_scoring(demo):
    compact = Compact.objects.get(cluster__number=12, year=2018)
    assert compact.is_open_for_scoring
    assert not Score.objects.filter(compact=compact, verified_points__isnull=False).exists()
    assert not Score.objects.filter(compact=compact, unit__code="pccc-nghean").exists()


def test_seed_users_have_their_scopes(demo):
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert UserRole.objects.get(user__username="thuky").role == "secretariat"
    assert UserRole.objects.get(user__username="lanhdao").role == "viewer"
    officer = UserRole.objects.get(user__username="pccc_nghean")
    assert (officer.role, officer.unit.province) == ("officer", "Nghệ An")
    assert User.objects.filter(username__startswith="pccc_").count() == 8
    assert User.objects.get(username="thuky").check_password("demo-pass-123")


def test_seed_is_idempotent(demo):
    before = snapshot()
    seed_demo(password="demo-pass-123")
    assert snapshot() == before


def test_seed_keeps_scores_entered_since(demo):
    score = Score.objects.filter(compact__year=2018).first()
    score.self_value = score.self_points = Decimal("1.5")
    score.save()

    seed_demo()

    score.refresh_from_db()
    assert score.self_points == Decimal("1.5")


def test_seed_without_password_prints_generated_passwords_once(db, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out

    line = next(line for line in first.splitlines() if line.startswith("thuky: "))
    assert get_user_model().objects.get(username="thuky").check_password(line.split(": ")[1])
    assert "thuky:" not in second
