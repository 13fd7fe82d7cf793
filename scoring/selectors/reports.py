"""Everything one Excel report needs (members, criteria, scores, targets, evidence counts,
signatures), read in a fixed number of queries. Used by `scoring.reports` and bench.
"""

from dataclasses import dataclass

from django.db.models import Count

from units.models import Membership

from .. import ranking
from ..models import Compact, Criterion, Evidence, Signature
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


def report_data(compact: Compact, *, unit_ids: list[int] | None = None) -> ReportData:
    """Everything the Excel reports print, in a fixed number of queries."""
    criteria = criteria_for_compact(compact)
    members = [
        ReportMember(
            membership=m, full_name=m.unit.shown_full_name, short_name=m.unit.shown_short_name
        )
        for m in members_of(compact)
    ]
    leader = next((m for m in members if m.membership.role == Membership.Role.LEADER), None)
    if unit_ids is not None:
        members = [m for m in members if m.membership.unit_id in unit_ids]
    shown = [m.membership.unit_id for m in members]
    scores, targets = _scores_and_targets(compact, shown)
    evidence_counts = {
        (row["unit_id"], row["criterion_id"]): row["n"]
        for row in Evidence.objects.filter(compact=compact, unit_id__in=shown)
        .values("unit_id", "criterion_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    leader_signature = (
        Signature.objects.filter(compact=compact, unit_id=leader.membership.unit_id).first()
        if leader
        else None
    )
    parent_of, groups = _tree_of(criteria)
    sums, self_sums, totals, self_totals = {}, {}, {}, {}
    for unit_id in shown:
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
        sums[unit_id], totals[unit_id] = _rolled_up(compact, groups, parent_of, unit_id, verified)
        self_sums[unit_id], self_totals[unit_id] = _rolled_up(
            compact, groups, parent_of, unit_id, self_points
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
    )
