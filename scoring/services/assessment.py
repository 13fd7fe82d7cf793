"""A unit's self-assessment as the secretariat handles it: submit, return with a reason, accept
the self-assessed values (for the unit or one group), and mark verification complete.
Called by the sheet views.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from ..models import Assessment, Compact, Criterion, Score
from ..ranking import Side
from .common import ServiceError, _assessment_for_update, content_codes_without, ensure_open
from .relative import lock_for_relative, recompute_relative


@transaction.atomic
def submit_self_assessment(*, compact: Compact, unit_id: int, user) -> Assessment:
    """Hands the self-assessment to the secretariat. Every content criterion must be
    self-assessed; bonus and deduction items left empty count as none."""
    ensure_open(compact)
    assessment = _assessment_for_update(compact, unit_id)
    if not assessment.is_editable_by_unit:
        raise ServiceError(_("The self-assessment has already been submitted."))
    missing = content_codes_without(compact=compact, unit_id=unit_id, field="self_value")
    if missing:
        raise ServiceError(
            _("%(count)s criteria are not self-assessed yet: %(codes)s.")
            % {"count": len(missing), "codes": ", ".join(missing)}
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = user
    assessment.return_reason = ""
    assessment.save()
    return assessment


@transaction.atomic
def return_self_assessment(*, compact: Compact, unit_id: int, user, reason: str) -> Assessment:
    """The secretariat sends a submitted self-assessment back to the unit, with a reason."""
    ensure_open(compact)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for returning the self-assessment."))
    assessment = _assessment_for_update(compact, unit_id)
    if assessment.status not in (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED):
        raise ServiceError(_("Only a submitted self-assessment can be returned."))
    assessment.status = Assessment.Status.RETURNED
    assessment.return_reason = reason
    assessment._change_reason = reason
    assessment.save()
    return assessment


@dataclass
class AcceptancePlan:
    """What accepting a unit's self-assessment would do. `fills` are the scores with no
    verified value yet: they take the self-assessed one. `corrections` are the scores whose
    verified value differs from the self-assessed one (the secretariat corrected them,
    normally with a reason): they are kept unless the user chooses to overwrite them."""

    fills: list[Score] = field(default_factory=list)
    corrections: list[Score] = field(default_factory=list)


@dataclass(frozen=True)
class Acceptance:
    filled: int
    overwritten: int
    kept: int

    @property
    def changed(self) -> int:
        return self.filled + self.overwritten


def plan_self_acceptance(
    *, compact: Compact, unit_id: int, group_id: int | None = None, lock: bool = False
) -> AcceptancePlan:
    """Reads what accept_self_assessment would change, in scheme order, without writing.
    With `lock`, the scores are locked for update (call inside a transaction)."""
    ensure_open(compact)
    scores = Score.objects.filter(compact=compact, unit_id=unit_id, self_value__isnull=False)
    if lock:
        scores = scores.select_for_update(of=("self",))
    if group_id is not None:
        scores = scores.filter(_in_group(compact, group_id))
    plan = AcceptancePlan()
    for score in scores.select_related("criterion").order_by("criterion__position"):
        if score.verified_value is None:
            plan.fills.append(score)
        elif score.verified_value != score.self_value or (
            # a relative criterion's points on each side follow the other units' results
            not score.criterion.is_relative and score.verified_points != score.self_points
        ):
            plan.corrections.append(score)
    return plan


# django-simple-history keeps at most 100 characters of a change reason.
ACCEPTED = gettext_lazy("Self-assessment accepted")


ACCEPTED_OVERWRITING = gettext_lazy("Self-assessment accepted, overwriting the verified correction")


ACCEPTED_KEEPING = gettext_lazy("Self-assessment accepted, the verified correction kept")


@transaction.atomic
def accept_self_assessment(
    *,
    compact: Compact,
    unit_id: int,
    user,
    group_id: int | None = None,
    overwrite: dict[int, int] | None = None,
) -> Acceptance:
    """Copies the self-assessed values into the verified ones, for the whole unit or one
    group, in one transaction or not at all.

    Empty verified cells take the self-assessed value. A verified value that differs from
    the self-assessed one (a correction) is kept, unless its criterion id is in `overwrite`,
    mapped to the score's version the user saw: if that score changed since (another
    version, or no longer a correction), nothing is written. Every score touched gets a
    history record with its reason, the kept corrections too.
    """
    overwrite = overwrite or {}
    relative = lock_for_relative(compact=compact)  # before the scores: the order of record_scores
    plan = plan_self_acceptance(compact=compact, unit_id=unit_id, group_id=group_id, lock=True)
    _refuse_stale_overwrites(compact, plan, overwrite)
    changed = list(plan.fills)
    for score in changed:
        score._change_reason = str(ACCEPTED)
    kept = []
    for score in plan.corrections:
        if score.criterion_id in overwrite:
            score._change_reason = str(ACCEPTED_OVERWRITING)
            changed.append(score)
        else:
            kept.append(score)
    _write_acceptance(changed, kept, user=user)
    recompute_relative(
        compact=compact,
        criterion_ids=relative & {s.criterion_id for s in changed},
        sides=[Side.VERIFIED],
    )
    return Acceptance(
        filled=len(plan.fills), overwritten=len(changed) - len(plan.fills), kept=len(kept)
    )


def _refuse_stale_overwrites(compact: Compact, plan: AcceptancePlan, overwrite: dict) -> None:
    """Refuses when a correction chosen to be overwritten changed since the page showed it."""
    corrections = {score.criterion_id: score for score in plan.corrections}
    stale = [
        criterion_id
        for criterion_id, version in overwrite.items()
        if criterion_id not in corrections or corrections[criterion_id].version != version
    ]
    if stale:
        codes = Criterion.objects.filter(compact=compact, pk__in=stale).order_by("position")
        raise ServiceError(
            _(
                "Nothing was changed: %(codes)s changed since you opened this page. "
                "Review the list again."
            )
            % {"codes": ", ".join(c.code for c in codes) or "?"}
        )


def _write_acceptance(changed: list[Score], kept: list[Score], *, user) -> None:
    """The changed scores take their self-assessed values; the kept ones only get a history
    record saying the acceptance left them be."""
    now = timezone.now()
    for score in changed:
        score.verified_value = score.self_value
        score.verified_points = score.self_points
        score.verified_note = ""
        score.version += 1
        score.updated_by = user
        score.updated_at = now
    if changed:
        bulk_update_with_history(
            changed,
            Score,
            [
                "verified_value",
                "verified_points",
                "verified_note",
                "version",
                "updated_by",
                "updated_at",
            ],
            default_user=user,
            default_date=now,
        )
    if kept:
        Score.history.bulk_history_create(
            kept,
            update=True,
            default_user=user,
            default_date=now,
            default_change_reason=str(ACCEPTED_KEEPING),
        )


def _in_group(compact: Compact, group_id: int) -> Q:
    """Scores on the criteria below a node, at any depth (one query reads the scheme's tree)."""
    children = defaultdict(list)
    for pk, parent_id in Criterion.objects.filter(compact=compact).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    below, todo = set(), [group_id]
    while todo:
        node = todo.pop()
        below.add(node)
        todo.extend(children[node])
    return Q(criterion_id__in=below)


@transaction.atomic
def mark_verified(*, compact: Compact, unit_id: int, user) -> Assessment:
    """Closes a unit's verification: every content criterion must have verified points."""
    ensure_open(compact)
    missing = content_codes_without(compact=compact, unit_id=unit_id, field="verified_value")
    if missing:
        raise ServiceError(
            _("%(count)s criteria are not verified yet: %(codes)s.")
            % {"count": len(missing), "codes": ", ".join(missing)}
        )
    assessment = _assessment_for_update(compact, unit_id)
    assessment.status = Assessment.Status.VERIFIED
    assessment.save()
    return assessment
