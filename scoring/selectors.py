"""Reads shared by views, exports and commands: a fixed number of queries whatever the size."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce

from units.models import Membership, UnitName

from . import ranking
from .models import Assessment, Compact, Criterion, Evidence, Score, Target

POINT_SOURCES = {"verified": "verified_points", "self": "self_points"}


def members_of(compact: Compact) -> list[Membership]:
    """The compact's member units in sheet order: leader, deputy, then members by name."""
    role_order = {Membership.Role.LEADER: 0, Membership.Role.DEPUTY: 1, Membership.Role.MEMBER: 2}
    memberships = list(
        compact.memberships()
        .select_related("unit")
        .prefetch_related(Prefetch("unit__former_names", queryset=UnitName.objects.all()))
    )
    return sorted(memberships, key=lambda m: (role_order[m.role], m.unit.short_name))


def criteria_for_compact(compact: Compact) -> list[Criterion]:
    """Every node of the scheme in tree order (depth-first by position)."""
    nodes = list(Criterion.objects.filter(compact=compact).order_by("position", "id"))
    children = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered = []

    def walk(parent_id, ancestors):
        for node in children.get(parent_id, []):
            node.level = len(ancestors) + 1
            node.is_leaf = node.id not in children
            node.ancestor_ids = ancestors
            ordered.append(node)
            walk(node.id, [*ancestors, node.id])

    walk(None, [])
    return ordered


def top_groups(compact: Compact) -> list[ranking.Group]:
    return [
        ranking.Group(
            id=c.id, code=c.code, section=ranking.section_of(c.kind), max_points=c.max_points
        )
        for c in Criterion.objects.filter(compact=compact, parent__isnull=True).order_by(
            "position", "id"
        )
    ]


def group_points_by_unit(compact: Compact, *, source: str = "verified") -> dict[int, dict]:
    """{unit id: {"groups": {top-level group id: points}, "scored": n}} in one grouped query.

    Points are summed by the database, grouped by unit and by the top-level ancestor of each
    leaf (the scheme is at most three levels deep, so the ancestor is a Coalesce of parents).
    """
    field = POINT_SOURCES[source]
    rows = (
        Score.objects.filter(compact=compact, **{f"{field}__isnull": False})
        .annotate(
            root=Coalesce("criterion__parent__parent_id", "criterion__parent_id", "criterion_id")
        )
        .values("unit_id", "root")
        .annotate(points=Sum(field), scored=Count("id"))
        .order_by()
    )
    result: dict[int, dict] = {}
    for row in rows:
        entry = result.setdefault(row["unit_id"], {"groups": {}, "scored": 0})
        # SQLite sums decimals as floats; two decimals is the scheme's precision.
        entry["groups"][row["root"]] = Decimal(row["points"]).quantize(ranking.CENT)
        entry["scored"] += row["scored"]
    return result


def unit_totals(
    compact: Compact, *, source: str = "verified"
) -> list[tuple[Membership, ranking.UnitTotal]]:
    """Every member unit with its totals, in sheet order; units with no score total zero.

    Four queries whatever the number of units, criteria or scores.
    """
    groups = top_groups(compact)
    points = group_points_by_unit(compact, source=source)
    return [
        (
            membership,
            ranking.unit_total(
                unit_id=membership.unit_id,
                groups=groups,
                group_points=points.get(membership.unit_id, {}).get("groups", {}),
                scored=points.get(membership.unit_id, {}).get("scored", 0),
                bonus_cap=compact.bonus_cap,
                deduction_cap=compact.deduction_cap,
            ),
        )
        for membership in members_of(compact)
    ]


def scheme_problems(compact: Compact) -> list[str]:
    """Human-readable inconsistencies of a scheme; empty when it adds up.

    Children's maxima must add up to their parent's, and the content groups to the compact's
    declared content maximum.
    """
    from django.utils.translation import gettext as _

    nodes = criteria_for_compact(compact)
    problems = []
    by_parent = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        kids = by_parent.get(node.id)
        if not kids or node.section != ranking.Section.CONTENT or node.max_points is None:
            continue
        total = sum((k.max_points or ranking.ZERO for k in kids), ranking.ZERO)
        if total != node.max_points:
            problems.append(
                _("%(code)s: its criteria add up to %(sum)s, not %(max)s.")
                % {
                    "code": node.code,
                    "sum": ranking.format_points(total),
                    "max": ranking.format_points(node.max_points),
                }
            )
    content = sum(
        (
            n.max_points or ranking.ZERO
            for n in by_parent.get(None, [])
            if n.section == ranking.Section.CONTENT
        ),
        ranking.ZERO,
    )
    if nodes and content != compact.content_max:
        problems.append(
            _("The content groups add up to %(sum)s, not the declared %(max)s.")
            % {
                "sum": ranking.format_points(content),
                "max": ranking.format_points(compact.content_max),
            }
        )
    return problems


@dataclass
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
    posted_version: int | None = None
    problem: str = ""

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
    side: str = "verified"

    @property
    def display_totals(self):
        """The totals of the side the page edits: self-assessed or verified."""
        return self.self_totals if self.side == "self" else self.totals

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


def _input_text(value: Decimal | None) -> str:
    return "" if value is None else ranking.format_points(value)


def score_sheet(
    compact: Compact, *, unit_ids: list[int] | None = None, side: str = "verified"
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
    scores = {
        (s.unit_id, s.criterion_id): s
        for s in Score.objects.filter(compact=compact, unit_id__in=shown)
    }
    targets = {
        (t.unit_id, t.criterion_id): t.value
        for t in Target.objects.filter(compact=compact, unit_id__in=shown)
    }
    assessments = {
        a.unit_id: a for a in Assessment.objects.filter(compact=compact, unit_id__in=shown)
    }
    evidence: dict[tuple[int, int], list] = {}
    for item in Evidence.objects.filter(compact=compact, unit_id__in=shown).order_by("id"):
        evidence.setdefault((item.unit_id, item.criterion_id), []).append(item)

    parent_of = {c.id: c.parent_id for c in criteria}
    leaves = [c for c in criteria if c.is_leaf]
    groups = [
        ranking.Group(id=c.id, code=c.code, section=c.section, max_points=c.max_points)
        for c in criteria
        if c.parent_id is None
    ]
    rows = [Row(criterion=c) for c in criteria]
    columns = []
    for membership in memberships:
        unit_id = membership.unit_id
        verified_points, self_points = {}, {}
        for row in rows:
            criterion = row.criterion
            if not criterion.is_leaf:
                continue
            score = scores.get((unit_id, criterion.id))
            cell = Cell(
                unit_id=unit_id,
                unit_name=membership.unit.short_name,
                criterion_id=criterion.id,
                target=targets.get((unit_id, criterion.id)),
                evidence=evidence.get((unit_id, criterion.id), []),
            )
            if score is not None:
                cell.value = _input_text(score.verified_value)
                cell.points = score.verified_points
                cell.note = score.verified_note
                cell.self_value = _input_text(score.self_value)
                cell.self_points = score.self_points
                cell.self_note = score.self_note
                cell.version = score.version
                verified_points[criterion.id] = score.verified_points
                self_points[criterion.id] = score.self_points
            row.cells.append(cell)
        sums = ranking.roll_up(parent_of=parent_of, leaf_points=verified_points)
        self_sums = ranking.roll_up(parent_of=parent_of, leaf_points=self_points)
        shown_sums = self_sums if side == "self" else sums
        for row in rows:
            if not row.criterion.is_leaf:
                row.subtotals.append((unit_id, shown_sums.get(row.criterion.id)))
        totals_kwargs = {
            "unit_id": unit_id,
            "groups": groups,
            "bonus_cap": compact.bonus_cap,
            "deduction_cap": compact.deduction_cap,
        }
        columns.append(
            Column(
                membership=membership,
                assessment=assessments.get(unit_id),
                totals=ranking.unit_total(group_points=sums, **totals_kwargs),
                self_totals=ranking.unit_total(group_points=self_sums, **totals_kwargs),
                verified_count=sum(1 for p in verified_points.values() if p is not None),
                self_count=sum(1 for p in self_points.values() if p is not None),
                leaf_count=len(leaves),
                side=side,
            )
        )
    return Sheet(compact=compact, columns=columns, rows=rows, groups=groups)


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
            cell.original = cell.self_value if side == "self" else cell.value
            if side == "self":
                cell.self_value = entry.value
                if entry.note is not None:
                    cell.self_note = entry.note
            else:
                cell.value = entry.value
                if entry.note is not None:
                    cell.note = entry.note
            cell.posted = True
            cell.posted_version = entry.version
            if problem is not None:
                cell.problem = problem.message
                if problem.current_version is not None:
                    cell.posted_version = problem.current_version
