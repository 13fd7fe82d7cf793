"""Everything one Excel report needs (members, criteria, scores, targets, evidence counts,
signatures), read in a fixed number of queries. Used by `scoring.reports` and bench.

The matrix (every criterion × every unit) streams its cells instead (`matrix_data`): its
memory must not grow with the number of cells.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count

from units.models import Membership

from .. import ranking
from ..models import Compact, Criterion, Evidence, NotApplicable, Score, Signature
from .applicability import whole_scale
from .scheme import criteria_for_compact, members_of
from .sheet import _rolled_up, _scores_and_targets, _tree_of


@dataclass
class ReportMember:
    membership: Membership
    full_name: str  # as valid in the compact's year
    short_name: str

    @property
    def unit(self):
        return self.membership.unit


@dataclass
class ReportData:
    compact: Compact
    criteria: list[Criterion]
    members: list[ReportMember]
    scores: dict  # (unit id, criterion id) → ScoreValues
    targets: dict  # (unit id, criterion id) → Decimal
    evidence_counts: dict  # (unit id, criterion id) → int
    sums: dict  # unit id → {node id: verified points}
    self_sums: dict
    totals: dict  # unit id → ranking.UnitTotal (verified)
    self_totals: dict
    leader: ReportMember | None
    leader_signature: object | None
    groups: list[ranking.Group]
    not_applicable: dict  # (unit id, criterion id) → reason

    def verified_points_of(self, criterion: Criterion) -> dict:
        """{unit id: verified points} of a leaf, or of a group the sum of the leaves below it
        (as `MatrixData`, which streams them)."""
        if not criterion.is_leaf:
            return {u: sums.get(criterion.id) for u, sums in self.sums.items()}
        return {
            m.membership.unit_id: getattr(
                self.scores.get((m.membership.unit_id, criterion.id)), "verified_points", None
            )
            for m in self.members
        }


def report_data(compact: Compact, *, unit_ids: list[int] | None = None) -> ReportData:
    """Everything the Excel reports print, in a fixed number of queries. A unit's maximum
    leaves out the criteria that do not apply to it (selectors.applicability)."""
    criteria, members, leader, leader_signature = _heading_reads(compact)
    if unit_ids is not None:
        members = [m for m in members if m.membership.unit_id in unit_ids]
    shown = [m.membership.unit_id for m in members]
    scores, targets, marked = _scores_and_targets(compact, shown)
    evidence_counts = {
        (row["unit_id"], row["criterion_id"]): row["n"]
        for row in Evidence.objects.filter(compact=compact, unit_id__in=shown)
        .values("unit_id", "criterion_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    _parent_of, groups = _tree_of(criteria)
    sums, self_sums, totals, self_totals = _rolled_up_units(
        compact, criteria, shown, scores, marked
    )
    return ReportData(
        compact=compact,
        criteria=criteria,
        members=members,
        scores=scores,
        targets=targets,
        evidence_counts=evidence_counts,
        sums=sums,
        self_sums=self_sums,
        totals=totals,
        self_totals=self_totals,
        leader=leader,
        leader_signature=leader_signature,
        groups=groups,
        not_applicable=marked,
    )


def _rolled_up_units(compact, criteria, shown, scores, marked):
    """Each shown unit's sums and totals, verified and self-assessed, by unit id."""
    parent_of, groups = _tree_of(criteria)
    sums, self_sums, totals, self_totals = {}, {}, {}, {}
    for unit_id in shown:
        maximum = whole_scale(compact) - sum(
            (c.max_points for c in criteria if (unit_id, c.id) in marked), ranking.ZERO
        )
        verified = {
            c.id: getattr(scores.get((unit_id, c.id)), "verified_points", None)
            for c in criteria
            if c.is_leaf
        }
        self_points = {
            c.id: getattr(scores.get((unit_id, c.id)), "self_points", None)
            for c in criteria
            if c.is_leaf
        }
        sums[unit_id], totals[unit_id] = _rolled_up(
            compact, groups, parent_of, unit_id, verified, maximum
        )
        self_sums[unit_id], self_totals[unit_id] = _rolled_up(
            compact, groups, parent_of, unit_id, self_points, maximum
        )
    return sums, self_sums, totals, self_totals


def _heading_reads(compact: Compact):
    """(criteria in tree order, members in sheet order, the leader, the leader's signature)."""
    criteria = criteria_for_compact(compact)
    members = [
        ReportMember(
            membership=m, full_name=m.unit.shown_full_name, short_name=m.unit.shown_short_name
        )
        for m in members_of(compact)
    ]
    leader = next((m for m in members if m.membership.role == Membership.Role.LEADER), None)
    leader_signature = (
        Signature.objects.filter(compact=compact, unit_id=leader.membership.unit_id).first()
        if leader
        else None
    )
    return criteria, members, leader, leader_signature


@dataclass
class MatrixData:
    """What the matrix report prints. Each row's verified points (a leaf's own, a group's sum
    of the leaves below it) stream in tree order through `verified_points_of`, called once
    per criterion in that order; `totals` are known once the last row has been read."""

    compact: Compact
    criteria: list[Criterion]
    members: list[ReportMember]
    leader: ReportMember | None
    leader_signature: object | None
    not_applicable: dict  # (unit id, criterion id) → reason
    cells: Iterator  # (row number, unit id, points), ordered by row number then unit
    row_of: dict  # criterion id → row number
    maxima: dict  # unit id → applicable maximum
    _next: tuple | None = None
    _top_points: dict = field(default_factory=dict)  # unit id → {top-level id: points}

    def verified_points_of(self, criterion: Criterion) -> dict:
        """{unit id: points} of the next row; rows before it are skipped."""
        row = self.row_of[criterion.id]
        points = {}
        while self._next is not None and self._next[0] <= row:
            if self._next[0] == row and self._next[2] is not None:
                points[self._next[1]] = _points(self._next[2])
            self._next = next(self.cells, None)
        if criterion.parent_id is None:
            for unit_id, value in points.items():
                self._top_points.setdefault(unit_id, {})[criterion.id] = value
        return points

    @property
    def totals(self) -> dict:
        """unit id → ranking.UnitTotal (verified), from the top-level rows already read."""
        groups = [
            ranking.Group(id=c.id, code=c.code, section=c.section, max_points=c.max_points)
            for c in self.criteria
            if c.parent_id is None
        ]
        return {
            m.membership.unit_id: ranking.unit_total(
                unit_id=m.membership.unit_id,
                groups=groups,
                group_points=self._top_points.get(m.membership.unit_id, {}),
                bonus_cap=self.compact.bonus_cap,
                deduction_cap=self.compact.deduction_cap,
                maximum=self.maxima[m.membership.unit_id],
            )
            for m in self.members
        }


# Every row's points by unit in one statement (one snapshot of the scores), in row order:
# the leaves' cells as they are; the groups' sums by leaf's parent first, then carried to
# each group and its ancestors (its "up" pairs). Tree order is computed in Python
# (criteria_for_compact) and has no column to sort on, so each leaf's row and its parent's,
# and each group's row and those it counts on, arrive as VALUES lists: integers read from the
# database, written into the statement rather than bound, to stay under SQLite's limit on
# parameters whatever the scheme's size. A top-level leaf has parent row -1; the up list
# always holds (-1, -1) so that it is never empty.
MATRIX_ROWS = """
    WITH leaf (criterion_id, row_number, parent_row) AS (VALUES {leaves}),
    up (group_row, counted_row) AS (VALUES {ups}),
    cells AS MATERIALIZED (
        SELECT l.row_number, l.parent_row, s.unit_id, s.verified_points
        FROM scoring_score s JOIN leaf l ON l.criterion_id = s.criterion_id
        WHERE s.compact_id = %s AND s.unit_id IN ({units})
    ),
    parents AS (
        SELECT parent_row, unit_id, SUM(verified_points) AS points
        FROM cells WHERE parent_row >= 0 GROUP BY parent_row, unit_id
    )
    SELECT row_number, unit_id, verified_points FROM cells
    UNION ALL
    SELECT u.counted_row, p.unit_id, SUM(p.points)
    FROM parents p JOIN up u ON u.group_row = p.parent_row
    GROUP BY u.counted_row, p.unit_id
    ORDER BY 1, 2
"""


@contextmanager
def matrix_data(compact: Compact, *, chunk_size: int = 2000):
    """The matrix report's data (`MatrixData`), its rows read through a server-side cursor
    while the `with` block lasts: memory grows with neither the cells nor the groups."""
    criteria, members, leader, leader_signature = _heading_reads(compact)
    shown = [m.membership.unit_id for m in members]
    row_of = {c.id: number for number, c in enumerate(criteria)}
    marked = {
        (unit_id, criterion_id): reason
        for unit_id, criterion_id, reason in NotApplicable.objects.filter(
            compact=compact, unit_id__in=shown
        )
        .values_list("unit_id", "criterion_id", "reason")
        .order_by()
    }
    maxima = {
        unit_id: whole_scale(compact)
        - sum((c.max_points for c in criteria if (unit_id, c.id) in marked), ranking.ZERO)
        for unit_id in shown
    }
    leaves = [
        f"({int(c.id)},{row_of[c.id]},{row_of[c.parent_id] if c.parent_id else -1})"
        for c in criteria
        if c.is_leaf
    ]
    ups = ["(-1,-1)"] + [
        f"({row_of[c.id]},{row_of[counted]})"
        for c in criteria
        if not c.is_leaf
        for counted in [c.id, *c.ancestor_ids]
    ]
    with connection.chunked_cursor() as cursor:
        rows = iter(())
        if leaves and shown:
            sql = MATRIX_ROWS.format(
                leaves=",".join(leaves), ups=",".join(ups), units=",".join(["%s"] * len(shown))
            )
            cursor.execute(sql, [compact.pk, *shown])
            rows = _fetched(cursor, chunk_size)
        yield MatrixData(
            compact=compact,
            criteria=criteria,
            members=members,
            leader=leader,
            leader_signature=leader_signature,
            not_applicable=marked,
            cells=rows,
            row_of=row_of,
            maxima=maxima,
            _next=next(rows, None),
        )


def _fetched(cursor, size: int):
    """The cursor's rows, fetched `size` at a time (as QuerySet.iterator does)."""
    while chunk := cursor.fetchmany(size):
        yield from chunk


_CENT = Decimal(10) ** -Score._meta.get_field("verified_points").decimal_places


def _points(value) -> Decimal:
    """Points as the exact Decimal (SQLite sums its stored floats in floating point)."""
    return Decimal(value).quantize(_CENT)
