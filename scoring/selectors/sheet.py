"""The score sheet: criteria as rows, units as columns, each cell with its self-assessed and
verified values and version; each unit's totals. Used by the sheet views and bench.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import CharField, Value

from units.models import Membership

from .. import ranking
from ..models import Assessment, Compact, Criterion, Evidence, NotApplicable, Score, Target
from ..ranking import Side
from .applicability import (
    NOTHING,
    applicable_maximum,
    whole_scale,
)
from .scheme import criteria_for_compact, groups_by_compact, members_of
from .totals import group_points_by_compact


def _total(compact, groups, points, unit_id, applicability=NOTHING):
    """A unit's totals; its maximum leaves out what does not apply to it (`applicability`;
    None: not known, no maximum)."""
    entry = points.get(unit_id, {})
    return ranking.unit_total(
        unit_id=unit_id,
        groups=groups,
        group_points=entry.get("groups", {}),
        scored=entry.get("scored", 0),
        bonus_cap=compact.bonus_cap,
        deduction_cap=compact.deduction_cap,
        maximum=None if applicability is None else applicable_maximum(compact, applicability),
    )


def unit_totals(
    compact: Compact, *, source: str = Side.VERIFIED
) -> list[tuple[Membership, ranking.UnitTotal]]:
    """Every member unit with its totals, in sheet order; units with no score total zero.

    Four queries whatever the number of units, criteria or scores. The totals carry no
    maximum (their percentage is None): standings_by_compact reads what does not apply to each unit.
    """
    groups = groups_by_compact([compact.pk])[compact.pk]
    points = group_points_by_compact([compact.pk], source=source)[compact.pk]
    return [(m, _total(compact, groups, points, m.unit_id, None)) for m in members_of(compact)]


class ScoreValues(NamedTuple):
    """A score's fields as the reports print them (tuples: 50,000 model instances are slow)."""

    self_value: Decimal | None
    self_points: Decimal | None
    self_note: str
    verified_value: Decimal | None
    verified_points: Decimal | None
    verified_note: str
    version: int


class EvidenceFile(NamedTuple):
    """A file shown under a cell (a tuple: the national sheet has thousands)."""

    pk: int
    original_name: str


@dataclass(slots=True)
class Cell:
    """One unit's score on one leaf, ready to display (values formatted for inputs)."""

    unit_id: int
    criterion_id: int
    unit_name: str = ""
    value: str = ""
    points: Decimal | None = None
    note: str = ""
    self_value: str = ""
    self_points: Decimal | None = None
    self_note: str = ""
    version: int = 0
    target: Decimal | None = None
    evidence: list = field(default_factory=list)
    # After a refused save: the user's text is shown, marked as changed, with its problem.
    posted: bool = False
    original: str = ""
    original_note: str | None = None  # the stored reason, when a reason was posted
    posted_version: int | None = None
    problem: str = ""
    not_applicable: str = ""  # the reason, when the criterion does not apply to the unit

    @property
    def form_version(self) -> int:
        return self.version if self.posted_version is None else self.posted_version

    @property
    def differs(self) -> bool:
        return (
            self.self_points is not None
            and self.points is not None
            and self.self_points != self.points
        )


@dataclass
class Row:
    criterion: Criterion
    cells: list[Cell] = field(default_factory=list)  # leaves: one per column
    # groups: (unit id, points or None) per column
    subtotals: list[tuple[int, Decimal | None]] = field(default_factory=list)


@dataclass
class Column:
    membership: Membership
    assessment: Assessment | None
    totals: ranking.UnitTotal
    self_totals: ranking.UnitTotal
    verified_count: int
    self_count: int
    leaf_count: int
    side: str = Side.VERIFIED

    @property
    def display_totals(self):
        """The totals of the side the page edits: self-assessed or verified."""
        return self.self_totals if self.side == Side.SELF else self.totals

    @property
    def unit(self):
        return self.membership.unit

    @property
    def status(self):
        return self.assessment.status if self.assessment else Assessment.Status.DRAFT

    @property
    def status_label(self):
        return Assessment.Status(self.status).label


@dataclass
class Sheet:
    compact: Compact
    columns: list[Column]
    rows: list[Row]
    groups: list[ranking.Group]


def _scores_and_targets(compact: Compact, unit_ids: list[int]) -> tuple[dict, dict, dict]:
    """The units' scores (as ScoreValues), registered targets and the reasons of the
    criteria not applicable to them, keyed by (unit id, criterion id): two queries."""
    scores = {
        (row[0], row[1]): ScoreValues(*row[2:])
        for row in Score.objects.filter(compact=compact, unit_id__in=unit_ids).values_list(
            "unit_id", "criterion_id", *ScoreValues._fields
        )
    }
    # Targets and marks are few and keyed alike: one UNION rather than a query each.
    targets_and_marks = (
        Target.objects.filter(compact=compact, unit_id__in=unit_ids)
        .annotate(reason=Value("", output_field=CharField()))
        .values_list("unit_id", "criterion_id", "value", "reason")
        .order_by()
        .union(
            NotApplicable.objects.filter(compact=compact, unit_id__in=unit_ids)
            .annotate(target=Value(None, output_field=Target._meta.get_field("value")))
            .values_list("unit_id", "criterion_id", "target", "reason")
            .order_by(),
            all=True,
        )
    )
    targets, marks = {}, {}
    for unit_id, criterion_id, value, reason in targets_and_marks:
        if reason:
            marks[(unit_id, criterion_id)] = reason
        else:
            targets[(unit_id, criterion_id)] = value
    return scores, targets, marks


def _tree_of(criteria: list[Criterion]) -> tuple[dict, list[ranking.Group]]:
    """Every criterion's parent id, and the top-level groups in scheme order."""
    parent_of = {c.id: c.parent_id for c in criteria}
    groups = [
        ranking.Group(id=c.id, code=c.code, section=c.section, max_points=c.max_points)
        for c in criteria
        if c.parent_id is None
    ]
    return parent_of, groups


def _rolled_up(
    compact, groups, parent_of, unit_id, leaf_points, maximum
) -> tuple[dict, ranking.UnitTotal]:
    """One side of a unit's points: every node's sum, and the capped totals."""
    sums = ranking.roll_up(parent_of=parent_of, leaf_points=leaf_points)
    return sums, _unit_total(compact, groups, unit_id, sums, maximum)


def _summed_up(leaf_parent: dict, bottom_up: list[tuple[int, int]], leaf_points: dict) -> dict:
    """Each group's points as `ranking.roll_up` gives them, without the leaves under a group:
    the leaves' points added to their parents (`leaf_parent`), then each group's to its
    parent, children first (`bottom_up`: (id, parent id) of the groups that have a parent).
    One step per scored leaf and group rather than one per leaf and level: the national
    sheet sums 25 units × 2 sides of 500 leaves."""
    sums: dict[int, Decimal] = {}
    get = sums.get
    for pk, points in leaf_points.items():
        if points is None:
            continue
        parent_id = leaf_parent[pk]
        if parent_id is None:  # a top-level leaf counts as its own group
            sums[pk] = points
        else:
            sums[parent_id] = get(parent_id, ranking.ZERO) + points
    for pk, parent_id in bottom_up:
        points = get(pk)
        if points is not None:
            sums[parent_id] = get(parent_id, ranking.ZERO) + points
    return sums


def _unit_total(compact, groups, unit_id, sums, maximum) -> ranking.UnitTotal:
    return ranking.unit_total(
        unit_id=unit_id,
        groups=groups,
        group_points=sums,
        bonus_cap=compact.bonus_cap,
        deduction_cap=compact.deduction_cap,
        maximum=maximum,
    )


@dataclass
class _CellReads:
    """What the cells of the shown units hold, keyed by (unit id, criterion id)."""

    scores: dict
    targets: dict
    evidence: dict
    not_applicable: dict  # the reasons

    @classmethod
    def read(cls, compact: Compact, shown: list[int]) -> "_CellReads":
        scores, targets, marks = _scores_and_targets(compact, shown)
        evidence: dict[tuple[int, int], list] = {}
        files = Evidence.objects.filter(compact=compact, unit_id__in=shown).order_by("id")
        for unit_id, criterion_id, pk, name in files.values_list(
            "unit_id", "criterion_id", "pk", "original_name"
        ):
            evidence.setdefault((unit_id, criterion_id), []).append(EvidenceFile(pk, name))
        return cls(scores, targets, evidence, marks)


NO_FILES: tuple = ()


def _unit_cells(unit_id: int, name: str, leaf_rows: list[Row], reads: _CellReads, text):
    """Adds one unit's cell to each leaf row, values formatted for the inputs by `text`.
    Returns the unit's verified and self-assessed points by scored leaf (None: not scored).
    Once per cell of the national sheet's 12,500: each cell made in one call."""
    scores, targets, evidence, marks = (
        reads.scores,
        reads.targets,
        reads.evidence,
        reads.not_applicable,
    )
    verified, own = {}, {}
    for row in leaf_rows:
        crit = row.criterion.id
        key = (unit_id, crit)
        score = scores.get(key)
        if score is None:
            cell = Cell(unit_id, crit, name)
        else:
            cell = Cell(
                unit_id,
                crit,
                name,
                "" if score.verified_value is None else text(score.verified_value),
                score.verified_points,
                score.verified_note,
                "" if score.self_value is None else text(score.self_value),
                score.self_points,
                score.self_note,
                score.version,
            )
            verified[crit], own[crit] = score.verified_points, score.self_points
        cell.target = targets.get(key)
        cell.evidence = evidence.get(key, NO_FILES)
        cell.not_applicable = marks.get(key, "")
        row.cells.append(cell)
    return verified, own


def score_sheet(
    compact: Compact, *, unit_ids: list[int] | None = None, side: str = Side.VERIFIED
) -> Sheet:
    """The score sheet: criteria as rows, member units as columns (all, or `unit_ids`), with
    self-assessed and verified values, targets, evidence, group subtotals and unit totals.

    Seven queries whatever the number of units and criteria.
    """
    criteria = criteria_for_compact(compact)
    memberships = members_of(compact)
    if unit_ids is not None:
        memberships = [m for m in memberships if m.unit_id in unit_ids]
    shown = [m.unit_id for m in memberships]
    reads = _CellReads.read(compact, shown)
    assessments = {
        a.unit_id: a for a in Assessment.objects.filter(compact=compact, unit_id__in=shown)
    }

    _parent_of, groups = _tree_of(criteria)
    leaf_parent = {c.id: c.parent_id for c in criteria if c.is_leaf}
    # criteria are in depth-first order: reversed, each group comes after its children
    bottom_up = [(c.id, c.parent_id) for c in reversed(criteria) if not c.is_leaf and c.parent_id]
    rows = [Row(criterion=c) for c in criteria]
    leaf_rows = [r for r in rows if r.criterion.is_leaf]
    group_rows = [r for r in rows if not r.criterion.is_leaf]
    by_id = {c.id: c for c in criteria}
    not_applicable: dict[int, list] = {unit_id: [] for unit_id in shown}
    for unit_id, criterion_id in reads.not_applicable:
        not_applicable[unit_id].append(by_id[criterion_id])
    columns = []
    text = ranking.points_formatter()  # the inputs' text: no thousands separator
    for membership in memberships:
        unit_id = membership.unit_id
        verified_points, self_points = _unit_cells(
            unit_id, membership.unit.shown_short_name, leaf_rows, reads, text
        )
        marked = not_applicable[unit_id]
        maximum = whole_scale(compact) - sum((c.max_points for c in marked), ranking.ZERO)
        sums = _summed_up(leaf_parent, bottom_up, verified_points)
        self_sums = _summed_up(leaf_parent, bottom_up, self_points)
        totals = _unit_total(compact, groups, unit_id, sums, maximum)
        self_totals = _unit_total(compact, groups, unit_id, self_sums, maximum)
        shown_sums = self_sums if side == Side.SELF else sums
        for row in group_rows:
            row.subtotals.append((unit_id, shown_sums.get(row.criterion.id)))
        columns.append(
            Column(
                membership=membership,
                assessment=assessments.get(unit_id),
                totals=totals,
                self_totals=self_totals,
                verified_count=sum(1 for p in verified_points.values() if p is not None),
                self_count=sum(1 for p in self_points.values() if p is not None),
                leaf_count=len(leaf_rows) - len(marked),
                side=side,
            )
        )
    return Sheet(compact=compact, columns=columns, rows=rows, groups=groups)


def sheet_cell_count(compact: Compact, *, units: int | None = None) -> int:
    """How many cells the compact's sheet has: its leaves × its member units (or `units`).
    One query (two without `units`)."""
    leaves = Criterion.objects.filter(compact=compact).leaves().count()
    if units is None:
        units = compact.memberships().count()
    return leaves * units


def apply_posted(sheet: Sheet, cells, problems, *, side: str) -> None:
    """After a refused save: show what the user typed, with each cell's problem, so nothing
    typed is lost. A conflict carries the current version, so saving again overwrites."""
    posted = {(c.unit_id, c.criterion_id): c for c in cells}
    for row in sheet.rows:
        for cell in row.cells:
            entry = posted.get((cell.unit_id, cell.criterion_id))
            if entry is None:
                continue
            problem = problems.get((cell.unit_id, cell.criterion_id))
            cell.original = cell.self_value if side == Side.SELF else cell.value
            if side == Side.SELF:
                cell.self_value = entry.value
                if entry.note is not None:
                    cell.original_note, cell.self_note = cell.self_note, entry.note
            else:
                cell.value = entry.value
                if entry.note is not None:
                    cell.original_note, cell.note = cell.note, entry.note
            cell.posted = True
            cell.posted_version = entry.version
            if problem is not None:
                cell.problem = problem.message
                if problem.current_version is not None:
                    cell.posted_version = problem.current_version
