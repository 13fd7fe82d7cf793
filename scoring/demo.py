"""The Cụm thi đua số 12 demo: eight fire-police units, the 2017 compact (finalized, fully
scored) and the 2018 compact (scoring open, partly self-assessed). Idempotent: reference data
is brought back to the demo's values; scores and targets that already exist are left alone.

The data it builds is in `scoring.demo_data`. Called by the `seed_demo` command and the tests.
"""

import datetime
import itertools
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from units.models import Cluster, Membership, Unit, UnitName, UserRole

from . import (
    demo_applicability,
    demo_lines,
    demo_people,
    demo_rules,
    demo_targets,
    ranking,
    review_demo,
)
from .demo_data import COMMITMENTS_2017, RENAMED_ON, SCHEME, SLOGAN_2017, UNITS, K
from .lifecycle import store_final_results
from .models import Assessment, Compact, CompactEvent, Criterion, Score, Signature, Target


@dataclass
class Summary:
    created_users: dict[str, str]
    password_set: bool


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


@transaction.atomic
def seed_demo(*, password: str | None = None) -> Summary:
    """Builds the demo. Each part is one call here; add a part as its own function."""
    cluster = _cluster()
    units = _units()
    demo_lines.record_demo_lines(units)
    _memberships(cluster, units)
    compact_2017, compact_2018 = _compacts(cluster, units)
    demo_people.record_signing_guests(compact_2017)
    users = _users(cluster, units, password)
    secretariat = get_user_model().objects.get(username="thuky")
    demo_applicability.add_not_applicable_2018(compact_2018, units, secretariat)
    _events(compact_2017, secretariat)
    _events(compact_2018, secretariat)
    review_demo.hold_review_2017(compact_2017, units, secretariat)
    demo_rules.relative_rules_2018(units)
    demo_targets.approve_demo_targets([compact_2017, compact_2018], units, secretariat)
    return Summary(created_users=users, password_set=password is not None)


def _cluster():
    cluster, _ = Cluster.objects.update_or_create(
        managing_body="Bộ Công an",
        number=12,
        defaults={"name": "Cụm thi đua số 12", "description": "Cảnh sát PCCC các tỉnh ven biển"},
    )
    return cluster


def _units() -> dict[str, Unit]:
    """The eight members, named as today, with the name each bore before the 2018 change."""
    units = {}
    for code, province, _strength in UNITS:
        unit, _ = Unit.objects.update_or_create(
            code=f"pccc-{code}",
            defaults={
                "full_name": f"Phòng Cảnh sát PCCC và CNCH, Công an tỉnh {province}",
                "short_name": f"PC07 {province}",
                "province": province,
                "active": True,
            },
        )
        UnitName.objects.update_or_create(
            unit=unit,
            valid_from=datetime.date(2000, 1, 1),
            defaults={
                "full_name": f"Cảnh sát PCCC tỉnh {province}",
                "short_name": f"PCCC {province}",
                "valid_until": RENAMED_ON - datetime.timedelta(days=1),
            },
        )
        units[code] = unit
    return units


def _memberships(cluster, units):
    roles = {2017: ("thanhhoa", "khanhhoa"), 2018: ("khanhhoa", "nghean")}
    for year, (leader, deputy) in roles.items():
        for code, unit in units.items():
            role = (
                Membership.Role.LEADER
                if code == leader
                else Membership.Role.DEPUTY
                if code == deputy
                else Membership.Role.MEMBER
            )
            Membership.objects.update_or_create(
                unit=unit, year=year, defaults={"cluster": cluster, "role": role}
            )


def _compacts(cluster, units):
    """The 2017 compact (finalized, fully scored) and the 2018 one (scoring open)."""
    compact_2017 = _compact(
        cluster,
        2017,
        Compact.Status.FINALIZED,
        signed_on=datetime.date(2017, 3, 15),
        signed_place="Thanh Hóa",
    )
    compact_2018 = _compact(
        cluster,
        2018,
        Compact.Status.IN_FORCE,
        signed_on=datetime.date(2018, 3, 9),
        signed_place="Khánh Hòa",
    )
    for compact in (compact_2017, compact_2018):
        criteria = _scheme(compact)
        _signatures(compact, units)
        _targets(compact, units, criteria)
    _scores(compact_2017, units, verified=True, unit_codes=[c for c, *_ in UNITS])
    _scores(compact_2018, units, verified=False, unit_codes=["thanhhoa", "khanhhoa", "quangninh"])
    _assessments(compact_2017, compact_2018, units)
    if not compact_2017.final_results.exists():
        store_final_results(compact_2017)
    return compact_2017, compact_2018


def _assessments(compact_2017, compact_2018, units):
    statuses = [(compact_2017, code, Assessment.Status.VERIFIED) for code in units] + [
        (compact_2018, "thanhhoa", Assessment.Status.SUBMITTED),
        (compact_2018, "khanhhoa", Assessment.Status.SUBMITTED),
    ]
    for compact, code, status in statuses:
        Assessment.objects.get_or_create(
            compact=compact,
            unit=units[code],
            defaults={"status": status, "submitted_at": _submitted_at(compact)},
        )


def _events(compact, user):
    """The demo compacts' history, as if the secretariat had moved them along."""
    if compact.events.exists():
        return
    path = [
        Compact.Status.DRAFT,
        Compact.Status.SIGNING,
        Compact.Status.IN_FORCE,
        Compact.Status.SCORING_CLOSED,
        Compact.Status.FINALIZED,
    ]
    CompactEvent.objects.create(
        compact=compact, kind=CompactEvent.Kind.CREATED, user=user, summary="Dữ liệu mẫu"
    )
    for source, target in itertools.pairwise(path[: path.index(compact.status) + 1]):
        CompactEvent.objects.create(
            compact=compact,
            kind=CompactEvent.Kind.TRANSITION,
            user=user,
            from_status=source,
            to_status=target,
        )


def _submitted_at(compact):
    return datetime.datetime(compact.year, 11, 20, 9, 30, tzinfo=datetime.UTC)


def _compact(cluster, year, status, *, signed_on, signed_place):
    compact, _ = Compact.objects.update_or_create(
        cluster=cluster,
        year=year,
        defaults={
            "movement": "Vì an ninh Tổ quốc",
            "slogan": SLOGAN_2017,
            "commitments": COMMITMENTS_2017,
            "signed_on": signed_on,
            "signed_place": signed_place,
            "status": status,
            "content_max": Decimal(950),
            "bonus_cap": Decimal(50),
            "deduction_cap": None,
        },
    )
    return compact


def _scheme(compact) -> dict[str, Criterion]:
    criteria: dict[str, Criterion] = {}
    for position, node in enumerate(SCHEME, start=1):
        parent = criteria.get(parent_code(node.code))
        criteria[node.code], _ = Criterion.objects.update_or_create(
            compact=compact,
            code=node.code,
            defaults={
                "parent": parent,
                "title": node.title,
                "kind": node.kind,
                "max_points": Decimal(node.max_points) if node.max_points else None,
                "points_per_occurrence": Decimal(node.per) if node.per is not None else None,
                "rule": node.rule,
                "disqualifying": node.disqualifying,
                "position": position * 10,
                "guidance": node.guidance,
            },
        )
    return criteria


def _signatures(compact, units):
    for code, _province, _strength in UNITS:
        Signature.objects.get_or_create(
            compact=compact,
            unit=units[code],
            defaults={
                **demo_people.signatory(units[code], compact.signed_on),
                "signed_on": compact.signed_on,
            },
        )


def _targets(compact, units, criteria):
    rng = random.Random(f"targets-{compact.year}")
    nodes = {n.code: n for n in SCHEME}
    for unit in units.values():
        for criterion_code, criterion in criteria.items():
            node = nodes[criterion_code]
            if node.target is None:
                continue
            Target.objects.get_or_create(
                compact=compact,
                unit=unit,
                criterion=criterion,
                defaults={"value": Decimal(rng.randint(*node.target))},
            )


def _plausible_value(rng, node, criterion, strength, target):
    """A value a unit of this strength would plausibly reach on this criterion."""
    if node.kind == K.JUDGED:
        share = min(1.0, rng.uniform(strength - 0.06, strength + 0.04))
        return (Decimal(str(share)) * criterion.max_points * 2).quantize(Decimal(1)) / 2
    if node.kind == K.PASS_FAIL:
        return Decimal(1 if rng.random() < strength + 0.05 else 0)
    if node.kind == K.QUANTITATIVE:
        return Decimal(int(float(target) * rng.uniform(strength - 0.08, strength + 0.12)))
    if node.kind == K.BONUS:
        return Decimal(rng.choice([0, 1, 1, 2, 3]) if strength > 0.9 else rng.choice([0, 0, 1]))
    # Deductions are rare, and a serious fire rarer still.
    chances = {"VII.2": [0, 0, 0, 1, 2], "VII.3": [0] * 12 + [1], "VII.4": [0, 0, 0, 1]}
    return Decimal(rng.choice(chances.get(node.code, [0])))


def _scores(compact, units, *, verified, unit_codes):
    existing = set(Score.objects.filter(compact=compact).values_list("unit_id", "criterion_id"))
    leaves = {c.code: c for c in Criterion.objects.filter(compact=compact).leaves()}
    targets = {(t.unit_id, t.criterion_id): t.value for t in Target.objects.filter(compact=compact)}
    strengths = {code: strength for code, _p, strength in UNITS}
    nodes = {n.code: n for n in SCHEME}
    new_scores = []
    for code in unit_codes:
        unit = units[code]
        rng = random.Random(f"scores-{compact.year}-{code}")
        for criterion_code, criterion in leaves.items():
            if (unit.id, criterion.id) in existing:
                continue
            target = targets.get((unit.id, criterion.id))
            rule = ranking.CriterionRule.of(criterion)
            value = _plausible_value(rng, nodes[criterion_code], criterion, strengths[code], target)
            # Units tend to rate themselves a little higher than the cluster does.
            self_value = value
            if criterion.kind == K.JUDGED and rng.random() < 0.3:
                self_value = min(criterion.max_points, value + Decimal("1.5"))
            score = Score(
                compact=compact,
                unit=unit,
                criterion=criterion,
                self_value=self_value,
                self_points=ranking.points_for(criterion=rule, value=self_value, target=target),
            )
            if verified:
                score.verified_value = value
                score.verified_points = ranking.points_for(
                    criterion=rule, value=value, target=target
                )
                if value != self_value:
                    score.verified_note = "Đối chiếu hồ sơ minh chứng, chưa đạt mức tự chấm."
            new_scores.append(score)
    # With history, so that the audit trail starts with the demo's own scores.
    bulk_create_with_history(new_scores, Score)


def _users(cluster, units, password) -> dict[str, str]:
    """Creates the demo users; returns {username: password} for those given a new password."""
    User = get_user_model()
    specs = [
        ("admin", "Quản trị hệ thống", {"is_staff": True, "is_superuser": True}, []),
        ("thuky", "Thư ký Cụm 12", {}, [(UserRole.Role.SECRETARIAT, cluster, None)]),
        ("lanhdao", "Lãnh đạo Cục", {}, [(UserRole.Role.VIEWER, cluster, None)]),
    ] + [
        (
            f"pccc_{code}",
            f"Cán bộ thi đua PCCC {province}",
            {},
            [(UserRole.Role.OFFICER, None, units[code])],
        )
        for code, province, _s in UNITS
    ]
    given = {}
    for username, full_name, flags, roles in specs:
        # Role accounts, not persons: the whole display name goes in first_name.
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name, **flags}
        )
        if password is not None:
            user.set_password(password)
            user.save(update_fields=["password"])
        elif created:
            given[username] = secrets.token_urlsafe(9)
            user.set_password(given[username])
            user.save(update_fields=["password"])
        for role, role_cluster, unit in roles:
            UserRole.objects.get_or_create(user=user, role=role, cluster=role_cluster, unit=unit)
    return given
