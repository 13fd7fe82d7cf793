"""Registered targets (chỉ tiêu): the targets page's input and its save.

- Targets are read with the product's number rule (`numbers.parse_number`), so a page
  submitted unchanged reads back exactly what it showed ("1.050" is 1050 in Vietnamese).
- They change while the compact is open (`targets_editable`); once scoring is closed they
  are fixed.
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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import ranking
from .models import Compact, Criterion, Target
from .numbers import parse_number
from .params import int_param
from .schemes import recompute_points
from .services import CellProblem, SaveRefused, ServiceError

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


def targets_editable(compact: Compact) -> bool:
    """Targets change until scoring is closed."""
    return compact.status not in (Compact.Status.SCORING_CLOSED, Compact.Status.FINALIZED)


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


@transaction.atomic
def register_targets(
    *, compact: Compact, user, entries: list[TargetInput], unit_ids: set[int]
) -> int:
    """Saves registered targets (all or none) for the units in `unit_ids`; an empty value
    removes a target. Points of existing quantitative scores follow the new targets.
    Returns the number of targets changed; raises SaveRefused with a problem per refused
    target (a conflict carries the stored value in `current_value`)."""
    if not targets_editable(compact):
        raise ServiceError(_("Targets can no longer change once scoring is closed."))
    # criterion id → lower is better (a target of 0 is then real: "no deaths")
    quantitative = dict(
        Criterion.objects.filter(compact=compact, kind=ranking.Kind.QUANTITATIVE).values_list(
            "pk", "lower_is_better"
        )
    )
    members = set(compact.memberships().values_list("unit_id", flat=True))
    current = {
        (t.unit_id, t.criterion_id): t
        for t in Target.objects.select_for_update().filter(compact=compact)
    }
    value_field = Target._meta.get_field("value")
    problems = {}
    changes = []
    for entry in entries:
        key = (entry.unit_id, entry.criterion_id)
        if entry.unit_id not in members or entry.unit_id not in unit_ids:
            problems[key] = CellProblem(_("This unit is not part of this sheet."))
            continue
        if entry.criterion_id not in quantitative:
            problems[key] = CellProblem(_("Targets are registered for quantitative criteria only."))
            continue
        try:
            value = parse_number(entry.value)
        except ValueError as exc:
            problems[key] = CellProblem(str(exc))
            continue
        shown = _shown(entry)
        if shown is not NOT_SAID and shown == value:
            continue  # left as the page showed it: whatever is stored now stays
        existing = current.get(key)
        stored = existing.value if existing else None
        if stored == value:
            continue
        if value is not None and (value < 0 or (value == 0 and not quantitative[key[1]])):
            problems[key] = CellProblem(_("A target must be greater than zero."))
            continue
        if value is not None:
            try:
                value_field.run_validators(value)
            except ValidationError as error:
                problems[key] = CellProblem(" ".join(error.messages))
                continue
        if shown is not NOT_SAID and shown != stored:
            problems[key] = _conflict(compact, key, stored)
            continue
        changes.append((key, existing, value))
    if problems:
        raise SaveRefused(problems)
    for (unit_id, criterion_id), existing, value in changes:
        if value is None:
            existing.delete()
        elif existing is None:
            Target.objects.create(
                compact=compact, unit_id=unit_id, criterion_id=criterion_id, value=value
            )
        else:
            existing.value = value
            existing.save(update_fields=["value"])
    for unit_id in {key[0] for key, _e, _v in changes}:
        recompute_points(compact=compact, unit_id=unit_id)
    return len(changes)


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
