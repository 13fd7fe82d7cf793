"""Registered targets (chỉ tiêu): the targets page's input and its save.

- Targets are read with the product's number rule (`numbers.parse_number`), so a page
  submitted unchanged reads back exactly what it showed ("1.050" is 1050 in Vietnamese).
- They change while the compact is open (`targets_editable`); once scoring is closed they
  are fixed. Within that, the unit's registration decides who changes them
  (`access.may_change_targets`; the steps are in `services.targets`): its officer while a
  draft or returned, nobody while submitted, the secretariat with a reason once approved.
- Zero is a target (lower-is-better indicators: "no deaths"); a negative one is refused.
- A save is all or nothing: one refused cell and nothing is written.
- A stale save is refused per target. The page posts, next to each target, the value it
  showed (`o-<unit>-<criterion>`, plain decimal, empty for none). When the stored target is
  no longer that value and the person typed something else, someone changed it since the
  page was opened: the cell is refused with the other person's value, and the page shown
  again carries the new value as its original, so saving again replaces it deliberately.
  Comparing values rather than adding a version column keeps targets free of a migration,
  and the only change it cannot see (a value changed and changed back) leaves the page
  showing what is stored, which is what the check protects.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from . import ranking
from .access import may_change_targets
from .models import Compact, Criterion, Target, TargetRegistration
from .numbers import parse_number
from .params import int_param
from .schemes import recompute_points
from .services import CellProblem, SaveRefused, ServiceError
from .services.relative import lock_for_relative
from .services.targets import registrations_for_update, submit_targets, targets_editable

NOT_SAID = object()
STALE = object()  # equal to no value: always a conflict
TARGET_KEY = re.compile(r"t-([0-9]{1,9})-([0-9]{1,9})")


@dataclass(frozen=True)
class TargetInput:
    """One target as posted: the text typed and the value the page showed (plain decimal,
    "" for none; None when the page did not say, and no stale check is made)."""

    unit_id: int
    criterion_id: int
    value: str
    original: str | None = None


def entries_from_post(data) -> list[TargetInput]:
    """The page's targets: `t-<unit>-<criterion>` is the typed value, `o-…` the value the
    page showed."""
    entries = []
    for key in data:
        match = TARGET_KEY.fullmatch(key)
        unit_id, criterion_id = (int_param(match[1]), int_param(match[2])) if match else (0, 0)
        if unit_id and criterion_id:  # not a target, or ids no database holds
            entries.append(
                TargetInput(
                    unit_id=unit_id,
                    criterion_id=criterion_id,
                    value=data.get(key, ""),
                    original=data.get(f"o-{match[1]}-{match[2]}"),
                )
            )
    return entries


@dataclass
class _Plan:
    """What a save would write: (key, existing target or None, new value or None)."""

    changes: list = field(default_factory=list)
    problems: dict = field(default_factory=dict)


@transaction.atomic
def register_targets(
    *, compact: Compact, user, entries: list[TargetInput], reason: str = ""
) -> int:
    """Saves registered targets (all or none); an empty value removes a target. Who may
    change a unit's targets depends on its registration (`access.may_change_targets`): an
    approved target changes only by the secretariat and with a `reason`, kept in its history.
    Points of existing quantitative scores follow the new targets. Returns the number of
    targets changed; raises SaveRefused with a problem per refused target (a conflict
    carries the stored value in `current_value`)."""
    if not targets_editable(compact):
        raise ServiceError(_("Targets can no longer change once scoring is closed."))
    reason = " ".join((reason or "").split())
    # The compact first, as every save touching a relative criterion does (record_scores,
    # accept): the same lock order everywhere, so a target save and a score save can't deadlock.
    lock_for_relative(compact=compact)
    registrations = registrations_for_update(compact, {e.unit_id for e in entries}, create=False)
    current = {
        (t.unit_id, t.criterion_id): t
        for t in Target.objects.select_for_update().filter(compact=compact)
    }
    plan = _plan(compact, user, entries, current=current, registrations=registrations)
    for key, _existing, _value in plan.changes:
        status = registrations[key[0]].status
        if status == TargetRegistration.Status.APPROVED and not reason:
            plan.problems[key] = CellProblem(_("Give the reason for changing an approved target."))
    if plan.problems:
        raise SaveRefused(plan.problems)
    _write(compact, plan.changes, registrations=registrations, reason=reason)
    return len(plan.changes)


@transaction.atomic
def submit_with_targets(
    *, compact: Compact, unit_id: int, user, version: int, entries: list[TargetInput], reason=""
) -> int:
    """Saves the targets the page posted, then submits the unit's registration, all or
    nothing: the Submit button posts the grid with it, so what was typed and not yet saved
    is neither lost nor left out. `version` is the registration's as the page showed it;
    the save's own new version does not make the submit stale, anyone else's does. Returns
    the number of targets saved; raises SaveRefused or ServiceError and writes nothing."""
    before = registrations_for_update(compact, [unit_id]).get(unit_id)
    count = register_targets(compact=compact, user=user, entries=entries, reason=reason)
    after = registrations_for_update(compact, [unit_id]).get(unit_id)
    if before is not None and after is not None:
        version += after.version - before.version
    submit_targets(compact=compact, unit_id=unit_id, user=user, version=version)
    return count


def _plan(compact, user, entries, *, current, registrations) -> _Plan:
    """Every entry checked: the value read, the right to change it, a stale page."""
    quantitative = set(
        Criterion.objects.filter(compact=compact, kind=ranking.Kind.QUANTITATIVE).values_list(
            "pk", flat=True
        )
    )
    plan = _Plan()
    for entry in entries:
        key = (entry.unit_id, entry.criterion_id)
        registration = registrations.get(entry.unit_id)
        if registration is None:
            plan.problems[key] = CellProblem(_("This unit is not part of this sheet."))
        elif entry.criterion_id not in quantitative:
            plan.problems[key] = CellProblem(
                _("Targets are registered for quantitative criteria only.")
            )
        else:
            _plan_entry(plan, compact, user, entry, current.get(key), registration)
    return plan


def _plan_entry(plan, compact, user, entry, existing, registration) -> None:
    key = (entry.unit_id, entry.criterion_id)
    try:
        value = _read_value(entry.value)
    except ValueError as exc:
        plan.problems[key] = CellProblem(str(exc))
        return
    shown = _shown(entry)
    stored = existing.value if existing else None
    if (shown is not NOT_SAID and shown == value) or stored == value:
        return  # left as the page showed it, or as stored: whatever is stored now stays
    if not may_change_targets(user, compact, entry.unit_id, registration.status):
        plan.problems[key] = CellProblem(_frozen_message(registration))
    elif shown is not NOT_SAID and shown != stored:
        plan.problems[key] = _conflict(compact, key, stored)
    else:
        plan.changes.append((key, existing, value))


def _read_value(text: str) -> Decimal | None:
    """The typed target: a number of at most the field's digits, zero allowed (a real
    target where lower is better: "no deaths"), never negative."""
    value = parse_number(text)
    if value is None:
        return None
    if value < 0:
        raise ValueError(_("A target cannot be negative."))
    try:
        Target._meta.get_field("value").run_validators(value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error
    return value


def _frozen_message(registration) -> str:
    if registration.status == TargetRegistration.Status.SUBMITTED:
        return _("These targets are submitted: they change only if the secretariat returns them.")
    if registration.status == TargetRegistration.Status.APPROVED:
        return _("These targets are approved: only the secretariat changes them, with a reason.")
    return _("You may not change this unit's targets.")


def _write(compact, changes, *, registrations, reason) -> None:
    """Writes the planned changes; an approved target's history says why it changed."""
    for (unit_id, criterion_id), existing, value in changes:
        target = existing or Target(compact=compact, unit_id=unit_id, criterion_id=criterion_id)
        if registrations[unit_id].status == TargetRegistration.Status.APPROVED:
            target._change_reason = reason[:100]
        if value is None:
            target.delete()
        else:
            target.value = value
            target.save()
    for unit_id in {key[0] for key, _e, _v in changes}:
        registration = registrations[unit_id]
        if registration.pk is None:  # a unit's first targets: its registration begins
            registration.version += 1
            registration.save()
        else:  # a new version for the pages that showed the old targets, no history
            TargetRegistration.objects.filter(pk=registration.pk).update(version=F("version") + 1)
        recompute_points(compact=compact, unit_id=unit_id)


def _shown(entry: TargetInput):
    """The target the page showed: a Decimal, None for none, NOT_SAID when the page did not
    say; STALE when it is not a plain decimal (the page never writes one)."""
    if entry.original is None:
        return NOT_SAID
    if entry.original == "":
        return None
    try:
        value = Decimal(entry.original)
    except InvalidOperation:
        return STALE
    return value if value.is_finite() else STALE


def _conflict(compact: Compact, key: tuple[int, int], stored: Decimal | None) -> CellProblem:
    unit_id, criterion_id = key
    last = (
        Target.history.filter(compact_id=compact.pk, unit_id=unit_id, criterion_id=criterion_id)
        .select_related("history_user")
        .first()
    )
    user = last.history_user if last else None
    who = (user.get_full_name() or user.get_username()) if user else _("someone else")
    shown = ranking.format_points(stored, grouping=True) if stored is not None else _("(empty)")
    return CellProblem(
        _(
            "%(who)s changed this cell to %(value)s after you opened the page. Save again to "
            "replace it with yours."
        )
        % {"who": who, "value": shown},
        current_value=shown,
    )
