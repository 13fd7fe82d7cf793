"""Governed target registration: the unit's officer registers and submits, the secretariat
returns (with a reason) or approves, approved targets are frozen but for the secretariat
with a reason; every step refuses a stale version and the wrong person."""

from decimal import Decimal as D

import pytest

from scoring import audit, services, targets
from scoring.models import Compact, Score, Target, TargetRegistration
from scoring.services import SaveRefused, ServiceError
from tests.factories import UserRoleFactory, build_compact, proportional_criterion
from units.models import UserRole

pytestmark = pytest.mark.django_db
Status = TargetRegistration.Status


@pytest.fixture
def setting():
    """A compact in force with one quantitative criterion; the secretariat, the officers of
    the first two units and a leader."""
    compact, units, cr = build_compact(status=Compact.Status.IN_FORCE)
    criterion = proportional_criterion(
        compact, cr["G2"], title="Số buổi tuyên truyền", position=999
    )
    people = {
        "secretariat": UserRoleFactory(
            role=UserRole.Role.SECRETARIAT, cluster=compact.cluster
        ).user,
        "officer": UserRoleFactory(role=UserRole.Role.OFFICER, unit=units[0]).user,
        "other_officer": UserRoleFactory(role=UserRole.Role.OFFICER, unit=units[1]).user,
        "leader": UserRoleFactory(role=UserRole.Role.VIEWER, cluster=compact.cluster).user,
    }
    return compact, units, criterion, people


def register(compact, user, unit, criterion, value, reason=""):
    return targets.register_targets(
        compact=compact,
        user=user,
        entries=[targets.TargetInput(unit.pk, criterion.pk, value)],
        reason=reason,
    )


def registration(compact, unit):
    return TargetRegistration.objects.get(compact=compact, unit=unit)


def submitted(compact, unit, user):
    version = services.registrations_of(compact, [unit.pk])[unit.pk].version
    return services.submit_targets(compact=compact, unit_id=unit.pk, user=user, version=version)


def test_an_officer_registers_submits_and_can_no_longer_change(setting):
    compact, (unit, *_), criterion, people = setting
    register(compact, people["officer"], unit, criterion, "1.141")

    done = submitted(compact, unit, people["officer"])

    assert done.status == Status.SUBMITTED
    assert done.submitted_by == people["officer"]
    assert done.submitted_at is not None
    with pytest.raises(SaveRefused) as refused:
        register(compact, people["officer"], unit, criterion, "500")
    assert "đã nộp" in refused.value.problems[(unit.pk, criterion.pk)].message
    assert Target.objects.get(unit=unit, criterion=criterion).value == 1141


def test_the_secretariat_returns_with_a_reason_and_the_officer_corrects_and_resubmits(setting):
    compact, (unit, *_), criterion, people = setting
    register(compact, people["officer"], unit, criterion, "1.141")
    version = submitted(compact, unit, people["officer"]).version

    back = services.return_targets(
        compact=compact,
        unit_id=unit.pk,
        user=people["secretariat"],
        version=version,
        reason="Chỉ tiêu tuyên truyền thấp hơn năm trước",
    )

    assert (back.status, back.returned_by) == (Status.RETURNED, people["secretariat"])
    assert back.return_reason == "Chỉ tiêu tuyên truyền thấp hơn năm trước"
    register(compact, people["officer"], unit, criterion, "1.300")
    again = submitted(compact, unit, people["officer"])
    assert again.status == Status.SUBMITTED
    assert Target.objects.get(unit=unit, criterion=criterion).value == 1300
    history = list(registration(compact, unit).history.order_by("history_id"))
    assert [h.status for h in history] == ["draft", "submitted", "returned", "submitted"]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 101])
def test_a_return_needs_a_short_reason(setting, reason):
    compact, (unit, *_), _criterion, people = setting
    version = submitted(compact, unit, people["officer"]).version
    with pytest.raises(ServiceError):
        services.return_targets(
            compact=compact,
            unit_id=unit.pk,
            user=people["secretariat"],
            version=version,
            reason=reason,
        )
    assert registration(compact, unit).status == Status.SUBMITTED


def test_approved_targets_are_frozen_for_the_officer(setting):
    compact, (unit, *_), criterion, people = setting
    register(compact, people["officer"], unit, criterion, "100")
    version = submitted(compact, unit, people["officer"]).version

    approved = services.approve_targets(
        compact=compact, unit_id=unit.pk, user=people["secretariat"], version=version
    )

    assert (approved.status, approved.approved_by) == (Status.APPROVED, people["secretariat"])
    with pytest.raises(SaveRefused) as refused:
        register(compact, people["officer"], unit, criterion, "50")
    assert "đã được duyệt" in refused.value.problems[(unit.pk, criterion.pk)].message
    with pytest.raises(ServiceError):
        services.submit_targets(
            compact=compact, unit_id=unit.pk, user=people["officer"], version=approved.version
        )
    assert Target.objects.get(unit=unit, criterion=criterion).value == 100


def test_the_secretariat_changes_an_approved_target_only_with_a_reason(setting):
    compact, (unit, *_), criterion, people = setting
    register(compact, people["officer"], unit, criterion, "100")
    Score.objects.create(
        compact=compact, unit=unit, criterion=criterion, verified_value=D(50), verified_points=D(10)
    )
    version = submitted(compact, unit, people["officer"]).version
    services.approve_targets(
        compact=compact, unit_id=unit.pk, user=people["secretariat"], version=version
    )
    with pytest.raises(SaveRefused) as refused:
        register(compact, people["secretariat"], unit, criterion, "200")
    assert "lý do" in refused.value.problems[(unit.pk, criterion.pk)].message

    register(compact, people["secretariat"], unit, criterion, "200", reason="Theo QĐ 12 của Bộ")

    assert Target.objects.get(unit=unit, criterion=criterion).value == 200
    assert Score.objects.get(unit=unit, criterion=criterion).verified_points == D(5)
    assert registration(compact, unit).status == Status.APPROVED
    entry = next(e for e in audit.audit_log(compact) if e.kind == "chỉ tiêu")
    assert (entry.reason, entry.changes[0].old, entry.changes[0].new) == (
        "Theo QĐ 12 của Bộ",
        "100",
        "200",
    )


def test_steps_shown_on_a_stale_page_are_refused(setting):
    compact, (unit, *_), criterion, people = setting
    shown = services.registrations_of(compact, [unit.pk])[unit.pk].version
    register(compact, people["officer"], unit, criterion, "100")  # a new version since
    with pytest.raises(ServiceError) as refused:
        services.submit_targets(
            compact=compact, unit_id=unit.pk, user=people["officer"], version=shown
        )
    assert "đã thay đổi sau khi bạn mở trang" in refused.value.message
    current = submitted(compact, unit, people["officer"]).version
    services.return_targets(
        compact=compact, unit_id=unit.pk, user=people["secretariat"], version=current, reason="x"
    )
    for decide in (services.approve_targets, services.return_targets):
        extra = {"reason": "y"} if decide is services.return_targets else {}
        with pytest.raises(ServiceError):
            decide(
                compact=compact,
                unit_id=unit.pk,
                user=people["secretariat"],
                version=current,
                **extra,
            )
    assert registration(compact, unit).status == Status.RETURNED


@pytest.mark.parametrize("who", ["other_officer", "leader"])
def test_only_the_units_officer_or_the_secretariat_submits(setting, who):
    compact, (unit, *_), _criterion, people = setting
    with pytest.raises(ServiceError):
        services.submit_targets(compact=compact, unit_id=unit.pk, user=people[who], version=1)
    assert not TargetRegistration.objects.filter(compact=compact, unit=unit).exists()


@pytest.mark.parametrize("who", ["officer", "other_officer", "leader"])
def test_only_the_secretariat_returns_or_approves(setting, who):
    compact, (unit, *_), _criterion, people = setting
    version = submitted(compact, unit, people["officer"]).version
    with pytest.raises(ServiceError):
        services.approve_targets(
            compact=compact, unit_id=unit.pk, user=people[who], version=version
        )
    with pytest.raises(ServiceError):
        services.return_targets(
            compact=compact, unit_id=unit.pk, user=people[who], version=version, reason="x"
        )
    with pytest.raises(ServiceError):
        services.approve_all_targets(compact=compact, user=people[who], versions={unit.pk: version})
    assert registration(compact, unit).status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["other_officer", "leader"])
def test_nobody_else_changes_a_units_draft_targets(setting, who):
    compact, (unit, *_), criterion, people = setting
    with pytest.raises(SaveRefused):
        register(compact, people[who], unit, criterion, "100")
    assert not Target.objects.exists()


def test_approve_all_approves_what_the_page_showed_or_nothing(setting):
    compact, (a, b, c), _criterion, people = setting
    secretariat = people["secretariat"]
    shown = {u.pk: submitted(compact, u, secretariat).version for u in (a, b)}
    services.return_targets(
        compact=compact, unit_id=b.pk, user=secretariat, version=shown[b.pk], reason="Thiếu"
    )
    with pytest.raises(ServiceError):
        services.approve_all_targets(compact=compact, user=secretariat, versions=shown)
    assert registration(compact, a).status == Status.SUBMITTED

    submitted(compact, c, secretariat)  # after the page was drawn: not approved with it
    count = services.approve_all_targets(
        compact=compact, user=secretariat, versions={a.pk: shown[a.pk]}
    )

    assert count == 1
    assert [registration(compact, u).status for u in (a, b, c)] == [
        Status.APPROVED,
        Status.RETURNED,
        Status.SUBMITTED,
    ]


def test_a_target_of_zero_is_stored_and_a_negative_one_refused(setting):
    compact, (unit, *_), criterion, people = setting
    register(compact, people["officer"], unit, criterion, "0")
    assert Target.objects.get(unit=unit, criterion=criterion).value == 0
    with pytest.raises(SaveRefused) as refused:
        register(compact, people["officer"], unit, criterion, "-1")
    assert (
        refused.value.problems[(unit.pk, criterion.pk)].message == "Chỉ tiêu không được là số âm."
    )
    assert Target.objects.get(unit=unit, criterion=criterion).value == 0


def test_nothing_moves_once_scoring_is_closed(setting):
    compact, (unit, *_), _criterion, people = setting
    version = submitted(compact, unit, people["officer"]).version
    Compact.objects.filter(pk=compact.pk).update(status=Compact.Status.SCORING_CLOSED)
    compact.refresh_from_db()
    with pytest.raises(ServiceError):
        services.approve_targets(
            compact=compact, unit_id=unit.pk, user=people["secretariat"], version=version
        )


def test_the_audit_log_shows_each_step(setting):
    compact, (unit, *_), _criterion, people = setting
    version = submitted(compact, unit, people["officer"]).version
    services.return_targets(
        compact=compact,
        unit_id=unit.pk,
        user=people["secretariat"],
        version=version,
        reason="Thiếu chỉ tiêu kiểm tra",
    )
    entries = [e for e in audit.audit_log(compact) if e.kind == "đăng ký chỉ tiêu"]
    assert entries[0].reason == "Thiếu chỉ tiêu kiểm tra"
    assert [c.new for c in entries[0].changes] == ["bị trả lại để sửa", "Thiếu chỉ tiêu kiểm tra"]


def test_the_reason_limit_is_printed_with_vietnamese_grouping(setting, monkeypatch):
    compact, (unit, *_), _criterion, people = setting
    version = submitted(compact, unit, people["officer"]).version
    # A longer limit than today's 100 characters, as a deployment could set it.
    monkeypatch.setattr(services.targets, "RETURN_REASON_MAX_LENGTH", 1500)

    with pytest.raises(ServiceError) as refused:
        services.return_targets(
            compact=compact,
            unit_id=unit.pk,
            user=people["secretariat"],
            version=version,
            reason="x" * 1501,
        )

    assert "1.500" in refused.value.message
    assert registration(compact, unit).status == Status.SUBMITTED
