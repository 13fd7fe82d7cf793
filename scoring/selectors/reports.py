"""Everything one Excel report needs (members, criteria, scores, targets, evidence counts,
signatures), read in a fixed number of queries. Used by `scoring.reports` and bench.

The matrix (every criterion × every unit) streams its cells instead (`matrix_data`): its
memory must not grow with the number of cells.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
        """{unit id: verified points} of one leaf (as `MatrixData`, which streams them)."""
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
    """What the matrix report prints: the groups' sums and the totals of every unit (verified
    side) are read first, the leaves' points stream in row order through
    `verified_points_of`, which must be called once per leaf in tree order."""

    compact: Compact
    criteria: list[Criterion]
    members: list[ReportMember]
    sums: dict  # unit id → {group id: verified points} (a top-level leaf counts as a group)
    totals: dict  # unit id → ranking.UnitTotal (verified)
    leader: ReportMember | None
    leader_signature: object | None
    not_applicable: dict  # (unit id, criterion id) → reason
    cells: Iterator  # (row number, unit id, points), ordered by row number then unit
    row_of: dict  # leaf id → row number
    _next: tuple | None = None

    def verified_points_of(self, criterion: Criterion) -> dict:
        """{unit id: verified points} of the next leaf; rows of earlier leaves are skipped."""
        row = self.row_of[criterion.id]
        points = {}
        while self._next is not None and self._next[0] <= row:
            if self._next[0] == row:
                points[self._next[1]] = self._next[2]
            self._next = next(self.cells, None)
        return points


# The groups' sums (part 0) and then every leaf's cells in row order (part 1), in one
# statement so that both come from one snapshot of the scores. Each leaf's row number and
# the node its points are summed on (its parent, or itself at the top) arrive as a VALUES
# list: tree order is computed in Python (criteria_for_compact) and has no column to sort on.
MATRIX_CELLS = """
    WITH leaf (criterion_id, row_number, node_id) AS (VALUES {leaves})
    SELECT 0 AS part, l.node_id, s.unit_id, SUM(s.verified_points)
    FROM scoring_score s JOIN leaf l ON l.criterion_id = s.criterion_id
    WHERE s.compact_id = %s AND s.unit_id IN ({units}) AND s.verified_points IS NOT NULL
    GROUP BY l.node_id, s.unit_id
    UNION ALL
    SELECT 1, l.row_number, s.unit_id, s.verified_points
    FROM scoring_score s JOIN leaf l ON l.criterion_id = s.criterion_id
    WHERE s.compact_id = %s AND s.unit_id IN ({units})
    ORDER BY 1, 2, 3
"""


@contextmanager
def matrix_data(compact: Compact, *, chunk_size: int = 2000):
    """The matrix report's data (`MatrixData`), its cells read through a server-side cursor
    while the `with` block lasts: memory does not grow with the cells. Six queries."""
    criteria, members, leader, leader_signature = _heading_reads(compact)
    shown = [m.membership.unit_id for m in members]
    leaves = [c for c in criteria if c.is_leaf]
    row_of = {c.id: number for number, c in enumerate(leaves)}
    marked = {
        (unit_id, criterion_id): reason
        for unit_id, criterion_id, reason in NotApplicable.objects.filter(
            compact=compact, unit_id__in=shown
        )
        .values_list("unit_id", "criterion_id", "reason")
        .order_by()
    }
    parent_of = {c.id: c.parent_id for c in criteria}
    with connection.chunked_cursor() as cursor:
        rows = iter(())
        sums: dict[int, dict[int, Decimal]] = {unit_id: {} for unit_id in shown}
        first_cell = None
        if leaves and shown:
            leaf_values = ",".join(["(%s, %s, %s)"] * len(leaves))
            units = ",".join(["%s"] * len(shown))
            params = [x for c in leaves for x in (c.id, row_of[c.id], c.parent_id or c.id)]
            params += [compact.pk, *shown, compact.pk, *shown]
            cursor.execute(MATRIX_CELLS.format(leaves=leaf_values, units=units), params)
            rows = _fetched(cursor, chunk_size)
            for part, node_id, unit_id, points in rows:
                if part == 1:
                    first_cell = (node_id, unit_id, points)
                    break
                _add_up(sums[unit_id], node_id, _points(points), parent_of)
        groups = [
            ranking.Group(id=c.id, code=c.code, section=c.section, max_points=c.max_points)
            for c in criteria
            if c.parent_id is None
        ]
        totals = {
            unit_id: ranking.unit_total(
                unit_id=unit_id,
                groups=groups,
                group_points=sums[unit_id],
                bonus_cap=compact.bonus_cap,
                deduction_cap=compact.deduction_cap,
                maximum=whole_scale(compact)
                - sum((c.max_points for c in criteria if (unit_id, c.id) in marked), ranking.ZERO),
            )
            for unit_id in shown
        }
        yield MatrixData(
            compact=compact,
            criteria=criteria,
            members=members,
            sums=sums,
            totals=totals,
            leader=leader,
            leader_signature=leader_signature,
            not_applicable=marked,
            cells=(row[1:] for row in rows),
            row_of=row_of,
            _next=first_cell,
        )


def _fetched(cursor, size: int):
    """The cursor's rows, fetched `size` at a time (as QuerySet.iterator does)."""
    while chunk := cursor.fetchmany(size):
        yield from chunk


def _add_up(sums: dict, node_id: int, points: Decimal, parent_of: dict) -> None:
    """Adds a node's points to it and to each of its ancestors."""
    current = node_id
    while current is not None:
        sums[current] = sums.get(current, ranking.ZERO) + points
        current = parent_of[current]


_CENT = Decimal(10) ** -Score._meta.get_field("verified_points").decimal_places


def _points(value) -> Decimal:
    """A sum as the exact Decimal (SQLite sums its stored floats in floating point)."""
    return Decimal(value).quantize(_CENT)
