"""Recording scores from the sheet, the unit's page or an import: `plan_scores` checks every
cell and finds what changes, `record_scores` writes the plan with its history. Called by the
sheet views, the self-assessment save and the template import.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .. import ranking
from ..models import NOTE_MAX_LENGTH, Assessment, Compact, Criterion, NotApplicable, Score, Target
from ..numbers import parse_number
from ..ranking import Side
from .bulk_rows import bulk_update_with_history
from .common import (
    CellInput,
    CellProblem,
    SaveRefused,
    ServiceError,
    _assessment_for_update,
    _ensure_editable_by_unit,
    ensure_open,
)
from .relative import lock_for_relative, recompute_relative


@dataclass
class Change:
    """One cell a save would change: the score as it would be saved, and what it was."""

    score: Score
    old_value: Decimal | None
    new_value: Decimal | None
    created: bool


@dataclass
class ScorePlan:
    changes: list[Change] = field(default_factory=list)
    problems: dict[tuple[int, int], CellProblem] = field(default_factory=dict)


def plan_scores(
    *,
    compact: Compact,
    user,
    cells: list[CellInput],
    side: str,
    unit_id: int | None = None,
    lock: bool = False,
    appeal: bool = False,
) -> ScorePlan:
    """What saving these cells would do, and every problem, without writing anything.

    The rules are record_scores's: see there. With `lock`, the scores and the unit's
    self-assessment are locked for update (call inside a transaction).
    """
    if not (appeal and side == Side.VERIFIED and compact.status == Compact.Status.SCORING_CLOSED):
        ensure_open(compact)
    if side == Side.SELF:
        # Locked, not created: a save that changes nothing leaves no draft behind.
        assessments = Assessment.objects.filter(compact=compact, unit_id=unit_id)
        _ensure_editable_by_unit((assessments.select_for_update() if lock else assessments).first())
    sheet = _SheetState.read(compact, {c.unit_id for c in cells}, lock=lock)
    plan = ScorePlan()
    now = timezone.now()
    for cell in cells:
        try:
            change = _plan_cell(cell, sheet, side=side, unit_id=unit_id, user=user, now=now)
        except _CellRefused as refused:
            plan.problems[(cell.unit_id, cell.criterion_id)] = refused.problem
            continue
        if change is not None:
            plan.changes.append(change)
    return plan


# A score as the save reads it: every column, in the model's order (see _SheetState.read).
SCORE_COLUMNS = tuple(f.attname for f in Score._meta.concrete_fields)


@dataclass
class _SheetState:
    """What a save is checked against, read once: the scheme, the members, the targets and
    the scores of the units it touches (as rows of SCORE_COLUMNS, not model instances: a
    whole sheet is 1,200 of them, and only the changed ones become instances)."""

    compact: Compact
    criteria: dict
    parents: set
    members: set
    targets: dict
    scores: dict
    not_applicable: set
    db: str = "default"
    rules: dict = field(default_factory=dict)
    names: dict | None = None

    @classmethod
    def read(cls, compact: Compact, unit_ids: set, *, lock: bool):
        marked = NotApplicable.objects.filter(criterion=OuterRef("pk"), unit_id__in=unit_ids)
        criteria = {
            c.id: c
            for c in Criterion.objects.filter(compact=compact).annotate(marked=Exists(marked))
        }
        # In the unique index's order (Score.Meta.ordering): concurrent saves lock alike.
        scores = Score.objects.filter(compact=compact, unit_id__in=unit_ids)
        if lock:
            scores = scores.select_for_update()
        return cls(
            compact=compact,
            criteria=criteria,
            parents={c.parent_id for c in criteria.values() if c.parent_id},
            members=set(compact.memberships().values_list("unit_id", flat=True)),
            targets={
                (t.unit_id, t.criterion_id): t.value
                for t in Target.objects.filter(compact=compact, unit_id__in=unit_ids)
            },
            scores={
                (s.unit_id, s.criterion_id): s
                for s in scores.values_list(*SCORE_COLUMNS, named=True)
            },
            not_applicable=_not_applicable(compact, criteria, unit_ids),
            db=scores.db,
        )

    def rule(self, criterion: Criterion) -> ranking.CriterionRule:
        """The criterion's rule for points_for, made once per criterion."""
        found = self.rules.get(criterion.id)
        if found is None:
            found = self.rules[criterion.id] = ranking.CriterionRule.of(criterion)
        return found

    def who(self, user_id: int | None) -> str:
        """The name of the user who last saved a score of this sheet, for a conflict's
        message: their names are read at the first conflict (one query), never otherwise."""
        if self.names is None:
            ids = {s.updated_by_id for s in self.scores.values()} - {None}
            users = get_user_model().objects.filter(pk__in=ids)
            self.names = {u.pk: u.get_full_name() or u.get_username() for u in users}
        return self.names[user_id] if user_id in self.names else _("someone else")


def _not_applicable(compact, criteria, unit_ids) -> set[tuple[int, int]]:
    """The (unit, criterion) cells that take no score; read only when some are marked."""
    if not any(c.marked for c in criteria.values()):
        return set()
    return set(
        NotApplicable.objects.filter(compact=compact, unit_id__in=unit_ids).values_list(
            "unit_id", "criterion_id"
        )
    )


class _CellRefused(Exception):
    """One cell of a save refused, with the problem shown next to it."""

    def __init__(self, problem: CellProblem):
        super().__init__(problem.message)
        self.problem = problem


def _plan_cell(cell: CellInput, sheet: _SheetState, *, side, unit_id, user, now) -> Change | None:
    """The change one cell makes, None when it changes nothing; raises _CellRefused."""
    value_field, points_field, note_field = Side(side).fields
    key = (cell.unit_id, cell.criterion_id)
    criterion = _scored_criterion(cell, sheet, side=side, unit_id=unit_id)
    value, points = _value_and_points(cell, criterion, sheet.targets.get(key), sheet)
    if value is not None and key in sheet.not_applicable:
        raise _CellRefused(CellProblem(_("This criterion does not apply to this unit.")))
    stored = sheet.scores.get(key)
    old_value = getattr(stored, value_field) if stored else None
    old_note = getattr(stored, note_field) if stored else ""
    note = old_note if cell.note is None else cell.note.strip()
    _ensure_note_length(note)
    if old_value == value and old_note == note:
        return None
    current_version = stored.version if stored else 0
    if current_version != cell.version:
        raise _CellRefused(_conflict(stored, value_field, current_version, sheet))
    _ensure_reason_for_difference(stored, side=side, points=points, note=note)
    if stored is None:
        score = Score(compact=sheet.compact, unit_id=cell.unit_id, criterion=criterion, version=0)
    else:
        score = Score.from_db(sheet.db, SCORE_COLUMNS, stored)
    setattr(score, value_field, value)
    setattr(score, points_field, points)
    setattr(score, note_field, note)
    score.version += 1
    score.updated_by = user
    score.updated_at = now
    return Change(score=score, old_value=old_value, new_value=value, created=stored is None)


def _scored_criterion(cell: CellInput, sheet: _SheetState, *, side, unit_id) -> Criterion:
    """The cell's criterion, when the cell belongs to this sheet and can take a score."""
    if cell.unit_id not in sheet.members or (side == Side.SELF and cell.unit_id != unit_id):
        raise _CellRefused(CellProblem(_("This unit is not part of this sheet.")))
    criterion = sheet.criteria.get(cell.criterion_id)
    if criterion is None:
        raise _CellRefused(CellProblem(_("This criterion is not part of this scheme.")))
    if criterion.id in sheet.parents:
        raise _CellRefused(
            CellProblem(
                _("%(code)s is a group: score its criteria instead.") % {"code": criterion.code}
            )
        )
    return criterion


def _value_and_points(cell: CellInput, criterion: Criterion, target, sheet: _SheetState):
    """The typed value read by the number rule, and the points it earns (ranking.points_for)."""
    try:
        value = parse_number(cell.value)
    except ValueError as exc:
        raise _CellRefused(CellProblem(str(exc))) from None
    if value is None:
        return None, None
    try:
        if criterion.is_relative:  # every unit's points at once, after the write
            ranking.check_value(value)
            return value, None
        points = ranking.points_for(criterion=sheet.rule(criterion), value=value, target=target)
    except ranking.InvalidScore as exc:
        raise _CellRefused(CellProblem(exc.message)) from None
    return value, points


def _ensure_note_length(note: str) -> None:
    if len(note) > NOTE_MAX_LENGTH:
        raise _CellRefused(
            CellProblem(
                _("The note is %(length)s characters long; at most %(limit)s are allowed.")
                % {
                    "length": formats.number_format(len(note), force_grouping=True),
                    "limit": formats.number_format(NOTE_MAX_LENGTH, force_grouping=True),
                }
            )
        )


def _ensure_reason_for_difference(score, *, side, points, note) -> None:
    """Verified points that differ from the self-assessed ones need a reason (the note)."""
    if (
        side == Side.VERIFIED
        and score is not None
        and score.self_points is not None
        and points is not None
        and points != score.self_points
        and not note
    ):
        raise _CellRefused(
            CellProblem(
                _("The verified points differ from the self-assessed %(self)s: give a reason.")
                % {"self": ranking.format_points(score.self_points)}
            )
        )


def record_scores(
    *,
    compact: Compact,
    user,
    cells: list[CellInput],
    side: str,
    unit_id: int | None = None,
    appeal: bool = False,
) -> int:
    """Validates and saves a batch of cells: all of them, or none (raises SaveRefused).

    side "verified" is the secretariat's verification; side "self" is a unit's
    self-assessment, allowed only for `unit_id` and while its assessment is editable.
    A cell whose value and note are unchanged is skipped; a changed cell whose score was
    saved by someone else since the page was loaded is refused as a conflict. A verified
    value whose points differ from the self-assessed points needs a reason. With `appeal`,
    an upheld appeal corrects verified scores after scoring closed. Returns the number of
    scores written; a cluster-relative criterion's points follow for all units at once.
    """
    touched = {cell.criterion_id for cell in cells}
    try:
        with transaction.atomic():
            relative = lock_for_relative(compact=compact, criterion_ids=touched)
            plan = plan_scores(
                compact=compact,
                user=user,
                cells=cells,
                side=side,
                unit_id=unit_id,
                lock=True,
                appeal=appeal,
            )
            if plan.problems:
                raise SaveRefused(plan.problems)
            if side == Side.SELF and plan.changes:
                # The unit's first save starts its draft; a submission made meanwhile wins.
                _ensure_editable_by_unit(_assessment_for_update(compact, unit_id))
            _write_changes(plan.changes, side=side, user=user)
            recompute_relative(compact=compact, criterion_ids=relative, sides=[side])
    except IntegrityError:
        # Two first saves of the same empty cell at once: the database's unique constraint
        # stopped the second. Nothing of this save was written.
        raise ServiceError(
            _("Someone else saved this sheet at the same moment. Reload the page and try again.")
        ) from None
    return len(plan.changes)


def _write_changes(changes: list[Change], *, side: str, user) -> None:
    """Writes a checked plan's scores with their history rows, at the moment they record."""
    value_field, points_field, note_field = Side(side).fields
    to_create = [c.score for c in changes if c.created]
    to_update = [c.score for c in changes if not c.created]
    # The history records the same moment as the scores' updated_at.
    now = changes[0].score.updated_at if changes else timezone.now()
    if to_create:
        bulk_create_with_history(to_create, Score, default_user=user, default_date=now)
    if to_update:
        # One UPDATE … FROM (VALUES …) for the whole sheet and one INSERT of history.
        bulk_update_with_history(
            to_update,
            Score,
            [value_field, points_field, note_field, "version", "updated_by", "updated_at"],
            default_user=user,
            default_date=now,
        )


def _conflict(stored, value_field, current_version, sheet: _SheetState):
    value = getattr(stored, value_field) if stored else None
    who = sheet.who(stored.updated_by_id) if stored else _("someone else")
    shown = ranking.format_points(value) if value is not None else _("(empty)")
    return CellProblem(
        _(
            "%(who)s changed this cell to %(value)s after you opened the page. Save again to "
            "replace it with yours."
        )
        % {"who": who, "value": shown},
        current_value=shown,
        current_version=current_version,
    )
