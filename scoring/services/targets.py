"""A unit's target registration as it moves: submitted by the unit's officer (or by the
secretariat for it), returned with a reason or approved by the secretariat, one unit or every
submitted unit at once. Each step takes the registration's `version` the page showed and is
refused when someone has moved it since. The targets themselves are saved by
`scoring.targets.register_targets`, which asks `registrations_for_update` here.
"""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from units.models import Membership

from ..access import may_decide_targets, may_submit_targets
from ..models import RETURN_REASON_MAX_LENGTH, Compact, TargetRegistration
from .common import ServiceError

Status = TargetRegistration.Status


def targets_editable(compact: Compact) -> bool:
    """Targets are registered, submitted and decided until scoring is closed."""
    return compact.status not in (Compact.Status.SCORING_CLOSED, Compact.Status.FINALIZED)


def registrations_of(compact: Compact, unit_ids) -> dict[int, TargetRegistration]:
    """The registration of each unit (a draft, unsaved, where none was written yet)."""
    stored = {
        r.unit_id: r
        for r in TargetRegistration.objects.filter(
            compact=compact, unit_id__in=unit_ids
        ).select_related("submitted_by", "returned_by", "approved_by")
    }
    return {
        unit_id: stored.get(unit_id) or TargetRegistration(compact=compact, unit_id=unit_id)
        for unit_id in unit_ids
    }


def registrations_for_update(
    compact: Compact, unit_ids, *, create: bool = True
) -> dict[int, TargetRegistration]:
    """The registrations of those of these units that are members that year, locked for the
    rest of the transaction; where none was written yet, a draft is created (or, without
    `create`, returned unsaved)."""
    members = set(
        Membership.objects.of_cluster(compact.cluster_id, compact.year)
        .filter(unit_id__in=unit_ids)
        .values_list("unit_id", flat=True)
    )
    existing = set(
        TargetRegistration.objects.filter(compact=compact, unit_id__in=members).values_list(
            "unit_id", flat=True
        )
    )
    missing = members - existing
    if create:
        for unit_id in missing:
            TargetRegistration.objects.get_or_create(compact=compact, unit_id=unit_id)
    locked = TargetRegistration.objects.select_related("unit").select_for_update(of=("self",))
    found = {r.unit_id: r for r in locked.filter(compact=compact, unit_id__in=members)}
    return {u: found.get(u) or TargetRegistration(compact=compact, unit_id=u) for u in members}


def _registration(compact: Compact, unit_id: int, version: int) -> TargetRegistration:
    if not targets_editable(compact):
        raise ServiceError(_("Targets can no longer change once scoring is closed."))
    registration = registrations_for_update(compact, [unit_id]).get(unit_id)
    if registration is None:
        raise ServiceError(_("This unit is not a member of the cluster this year."))
    _ensure_current(registration, version)
    return registration


def _ensure_current(registration: TargetRegistration, version: int) -> None:
    if registration.version != version:
        raise ServiceError(
            _(
                "Nothing was changed: the targets of %(unit)s changed since you opened the "
                "page (now: %(status)s). Look at them again."
            )
            % {"unit": str(registration.unit), "status": registration.get_status_display()}
        )


def _save(registration: TargetRegistration, reason: str = "") -> TargetRegistration:
    registration.version += 1
    registration._change_reason = reason[:100] or None
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def submit_targets(*, compact: Compact, unit_id: int, user, version: int) -> TargetRegistration:
    """The unit's targets go to the secretariat; from now on its officer cannot change them."""
    if not may_submit_targets(user, compact, unit_id):
        raise ServiceError(_("Only the unit's officer or the secretariat submits its targets."))
    registration = _registration(compact, unit_id, version)
    if not registration.is_open_to_unit:
        raise ServiceError(
            _("These targets are already %(status)s.")
            % {"status": registration.get_status_display()}
        )
    registration.status = Status.SUBMITTED
    registration.submitted_at, registration.submitted_by = timezone.now(), user
    return _save(registration)


@transaction.atomic
def return_targets(
    *, compact: Compact, unit_id: int, user, version: int, reason: str
) -> TargetRegistration:
    """The secretariat sends submitted targets back to the unit, saying why (at most
    RETURN_REASON_MAX_LENGTH characters, shown to the officer in one line)."""
    if not may_decide_targets(user, compact):
        raise ServiceError(_("Only the secretariat returns targets."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Give the reason for returning the targets."))
    if len(reason) > RETURN_REASON_MAX_LENGTH:
        raise ServiceError(
            _("The reason can be at most %(count)s characters long.")
            % {"count": formats.number_format(RETURN_REASON_MAX_LENGTH, force_grouping=True)}
        )
    registration = _registration(compact, unit_id, version)
    if registration.status != Status.SUBMITTED:
        raise ServiceError(_("Only submitted targets can be returned."))
    registration.status = Status.RETURNED
    registration.returned_at, registration.returned_by = timezone.now(), user
    registration.return_reason = reason
    return _save(registration, reason)


@transaction.atomic
def approve_targets(*, compact: Compact, unit_id: int, user, version: int) -> TargetRegistration:
    """The secretariat approves a unit's submitted targets: they are frozen."""
    if not may_decide_targets(user, compact):
        raise ServiceError(_("Only the secretariat approves targets."))
    registration = _registration(compact, unit_id, version)
    return _approve(registration, user, timezone.now())


def _approve(registration: TargetRegistration, user, now) -> TargetRegistration:
    if registration.status != Status.SUBMITTED:
        raise ServiceError(
            _("Only submitted targets can be approved (%(unit)s: %(status)s).")
            % {"unit": str(registration.unit), "status": registration.get_status_display()}
        )
    registration.status = Status.APPROVED
    registration.approved_at, registration.approved_by = now, user
    return _save(registration)


@transaction.atomic
def approve_all_targets(*, compact: Compact, user, versions: dict[int, int]) -> int:
    """Approves the submitted targets the page showed (`versions`: unit id → the version
    shown), all or none: when one of them moved since, nothing is approved. Returns how many
    were approved."""
    if not may_decide_targets(user, compact):
        raise ServiceError(_("Only the secretariat approves targets."))
    if not targets_editable(compact):
        raise ServiceError(_("Targets can no longer change once scoring is closed."))
    if not versions:
        raise ServiceError(_("No submitted targets are waiting for approval."))
    registrations = registrations_for_update(compact, list(versions))
    if set(registrations) != set(versions):
        raise ServiceError(_("This unit is not a member of the cluster this year."))
    now = timezone.now()
    for unit_id in sorted(versions, key=lambda u: registrations[u].unit.short_name):
        _ensure_current(registrations[unit_id], versions[unit_id])
    for unit_id in versions:
        _approve(registrations[unit_id], user, now)
    return len(versions)
