"""Reads shared by views, exports and commands: a fixed number of queries whatever the size."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce

from units.models import Membership, UnitName

from . import ranking
from .models import Assessment, Compact, Criterion, Evidence, FinalResult, Score, Target
from .review_models import Vote, VoteCount

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
    return groups_by_compact([compact.pk])[compact.pk]


def groups_by_compact(compact_ids) -> dict[int, list[ranking.Group]]:
    """The top-level groups of each compact, in order, in one query."""
    return _scheme_outline(compact_ids)[0]


def _scheme_outline(compact_ids):
    """({compact id: top-level groups in order}, {compact id: number of leaves}, {criterion
    id: parent id}, {compact id: number of content leaves}) from one query on the compacts'
    criteria (through the compact index)."""
    rows = list(
        Criterion.objects.filter(compact_id__in=compact_ids)
        .order_by("position", "id")
        .values_list("compact_id", "id", "parent_id", "code", "kind", "max_points")
    )
    parents = {parent for _c, _i, parent, *_rest in rows if parent}
    groups = {pk: [] for pk in compact_ids}
    leaves = dict.fromkeys(compact_ids, 0)
    content_leaves = dict.fromkeys(compact_ids, 0)
    for compact_id, pk, parent, code, kind, max_points in rows:
        if parent is None:
            groups[compact_id].append(
                ranking.Group(
                    id=pk, code=code, section=ranking.section_of(kind), max_points=max_points
                )
            )
        if pk not in parents:
            leaves[compact_id] += 1
            if ranking.section_of(kind) == ranking.Section.CONTENT:
                content_leaves[compact_id] += 1
    return groups, leaves, {pk: parent for _c, pk, parent, *_rest in rows}, content_leaves


def group_points_by_compact(
    compact_ids, *, source: str = "verified", parent_of: dict[int, int | None] | None = None
) -> dict[int, dict]:
    """{compact id: {unit id: {"groups": {top group id: points}, "scored": n,
    "content_scored": n}}}: "scored" counts every leaf with points, "content_scored" the
    content criteria's (not the bonus and deduction items).

    Points are summed by the database, grouped by compact, unit and each leaf's parent (or
    the leaf itself at the top); the few thousand partial sums are then carried up to their
    top-level group here, with `parent_of` (every criterion's parent; read when not given).
    Asking the database for the top-level ancestor instead (a second join on criteria) made
    it probe the criterion index once per score: 26 ms instead of 8 for 12,000 scores.
    """
    field = POINT_SOURCES[source]
    if parent_of is None:
        parent_of = dict(
            Criterion.objects.filter(compact_id__in=compact_ids).values_list("id", "parent_id")
        )
    rows = (
        # Saying that the criteria are the same compacts' lets the planner read only their
        # criteria through an index, instead of hashing every criterion of every year.
        Score.objects.filter(
            compact_id__in=compact_ids,
            criterion__compact_id__in=compact_ids,
            **{f"{field}__isnull": False},
        )
        .annotate(node=Coalesce("criterion__parent_id", "criterion_id"))
        .values_list("compact_id", "unit_id", "node", "criterion__kind")
        .annotate(points=Sum(field), scored=Count("id"))
        .order_by()
    )
    sums: dict[tuple, Decimal] = {}
    result: dict[int, dict] = {pk: {} for pk in compact_ids}
    for compact_id, unit_id, node, kind, points, scored in rows:
        root = node
        while parent_of.get(root):  # up to the top-level group, at any depth
            root = parent_of[root]
        entry = result[compact_id].setdefault(
            unit_id, {"groups": {}, "scored": 0, "content_scored": 0}
        )
        key = (compact_id, unit_id, root)
        # SQLite sums decimals as floats: each partial sum is rounded to the scheme's cents.
        sums[key] = sums.get(key, ranking.ZERO) + Decimal(points).quantize(ranking.CENT)
        entry["groups"][root] = sums[key]
        entry["scored"] += scored
        if ranking.section_of(kind) == ranking.Section.CONTENT:
            entry["content_scored"] += scored
    return result


def _total(compact, groups, points, unit_id):
    entry = points.get(unit_id, {})
    return ranking.unit_total(
        unit_id=unit_id,
        groups=groups,
        group_points=entry.get("groups", {}),
        scored=entry.get("scored", 0),
        bonus_cap=compact.bonus_cap,
        deduction_cap=compact.deduction_cap,
    )


def unit_totals(
    compact: Compact, *, source: str = "verified"
) -> list[tuple[Membership, ranking.UnitTotal]]:
    """Every member unit with its totals, in sheet order; units with no score total zero.

    Four queries whatever the number of units, criteria or scores.
    """
    outline = _scheme_outline([compact.pk])
    groups, parent_of = outline[0][compact.pk], outline[2]
    points = group_points_by_compact([compact.pk], source=source, parent_of=parent_of)
    points = points[compact.pk]
    return [(m, _total(compact, groups, points, m.unit_id)) for m in members_of(compact)]


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


class ScoreValues(NamedTuple):
    """A score's fields as the reports print them (tuples: 50,000 model instances are slow)."""

    self_value: Decimal | None
    self_points: Decimal | None
    self_note: str
    verified_value: Decimal | None
    verified_points: Decimal | None
    verified_note: str
    version: int


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


def _scores_and_targets(compact: Compact, unit_ids: list[int]) -> tuple[dict, dict]:
    """The units' scores (as ScoreValues) and registered targets, keyed by (unit id,
    criterion id): two queries."""
    scores = {
        (row[0], row[1]): ScoreValues(*row[2:])
        for row in Score.objects.filter(compact=compact, unit_id__in=unit_ids).values_list(
            "unit_id", "criterion_id", *ScoreValues._fields
        )
    }
    targets = {
        (t.unit_id, t.criterion_id): t.value
        for t in Target.objects.filter(compact=compact, unit_id__in=unit_ids)
    }
    return scores, targets


def _tree_of(criteria: list[Criterion]) -> tuple[dict, list[ranking.Group]]:
    """Every criterion's parent id, and the top-level groups in scheme order."""
    parent_of = {c.id: c.parent_id for c in criteria}
    groups = [
        ranking.Group(id=c.id, code=c.code, section=c.section, max_points=c.max_points)
        for c in criteria
        if c.parent_id is None
    ]
    return parent_of, groups


def _rolled_up(compact, groups, parent_of, unit_id, leaf_points) -> tuple[dict, ranking.UnitTotal]:
    """One side of a unit's points: every node's sum, and the capped totals."""
    sums = ranking.roll_up(parent_of=parent_of, leaf_points=leaf_points)
    total = ranking.unit_total(
        unit_id=unit_id,
        groups=groups,
        group_points=sums,
        bonus_cap=compact.bonus_cap,
        deduction_cap=compact.deduction_cap,
    )
    return sums, total


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
    scores, targets = _scores_and_targets(compact, shown)
    assessments = {
        a.unit_id: a for a in Assessment.objects.filter(compact=compact, unit_id__in=shown)
    }
    evidence: dict[tuple[int, int], list] = {}
    for item in Evidence.objects.filter(compact=compact, unit_id__in=shown).order_by("id"):
        evidence.setdefault((item.unit_id, item.criterion_id), []).append(item)

    parent_of, groups = _tree_of(criteria)
    leaves = [c for c in criteria if c.is_leaf]
    rows = [Row(criterion=c) for c in criteria]
    columns = []
    text = ranking.points_formatter()  # the inputs' text: no thousands separator
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
                cell.value = "" if score.verified_value is None else text(score.verified_value)
                cell.points = score.verified_points
                cell.note = score.verified_note
                cell.self_value = "" if score.self_value is None else text(score.self_value)
                cell.self_points = score.self_points
                cell.self_note = score.self_note
                cell.version = score.version
                verified_points[criterion.id] = score.verified_points
                self_points[criterion.id] = score.self_points
            row.cells.append(cell)
        sums, totals = _rolled_up(compact, groups, parent_of, unit_id, verified_points)
        self_sums, self_totals = _rolled_up(compact, groups, parent_of, unit_id, self_points)
        shown_sums = self_sums if side == "self" else sums
        for row in rows:
            if not row.criterion.is_leaf:
                row.subtotals.append((unit_id, shown_sums.get(row.criterion.id)))
        columns.append(
            Column(
                membership=membership,
                assessment=assessments.get(unit_id),
                totals=totals,
                self_totals=self_totals,
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


# --- Ranking and dashboard ----------------------------------------------------------------


@dataclass
class HeatCell:
    group: ranking.Group
    points: Decimal
    percent: int  # of the group's maximum, 0–100


@dataclass
class RankRow:
    """A unit's line in the ranking. `verified` of `criteria` content criteria have verified
    points; until they all do the unit is not complete, and has no rank, band or change."""

    ranked: ranking.Ranked
    membership: Membership
    short_name: str  # the names valid in the compact's year
    full_name: str
    heat: list[HeatCell]
    verified: int
    criteria: int = 0
    previous_rank: int | None = None  # last year's place; None if it had none
    previous_total: Decimal | None = None

    @property
    def unit(self):
        return self.membership.unit

    @property
    def totals(self):
        return self.ranked.total

    @property
    def complete(self) -> bool:
        return self.ranked.complete

    @property
    def rank_change(self) -> int | None:
        """Places gained since last year (positive: up)."""
        if self.previous_rank is None or self.ranked.rank is None:
            return None
        return self.previous_rank - self.ranked.rank

    @property
    def points_change(self) -> Decimal | None:
        if self.previous_total is None or not self.complete:
            return None
        return self.totals.total - self.previous_total


@dataclass
class Ranking:
    compact: Compact
    rows: list[RankRow]
    content_groups: list[ranking.Group]
    criteria: int  # content criteria (leaves) of the scheme
    previous: Compact | None

    @property
    def provisional(self) -> bool:
        return not self.compact.is_finalized

    @property
    def has_scores(self) -> bool:
        return any(row.verified for row in self.rows)

    @property
    def ranked_rows(self) -> list[RankRow]:
        """The units that have a place: those whose scoring is complete."""
        return [row for row in self.rows if row.complete]

    @property
    def complete_units(self) -> int:
        """How many units have verified points on every content criterion (are ranked)."""
        return len(self.ranked_rows)

    @property
    def incomplete_units(self) -> int:
        return len(self.rows) - self.complete_units

    @property
    def completeness(self) -> int:
        """Verified content cells as a whole percentage of all of them (members × content
        criteria), rounded down: 100 only when every cell is verified."""
        cells = len(self.rows) * self.criteria
        return 0 if not cells else int(100 * sum(r.verified for r in self.rows) / cells)

    @property
    def max_total(self) -> Decimal:
        return self.compact.content_max + self.compact.bonus_cap


def year_end(compact):
    import datetime

    return datetime.date(compact.year, 12, 31)


def rankings_for(compacts: list[Compact], *, with_previous: bool = True) -> dict[int, Ranking]:
    """The rankings of several compacts (with last year's for the changes), by compact id.

    A fixed number of queries, whatever the number of compacts, units, criteria or years.
    """
    if not compacts:
        return {}
    previous = {}
    if with_previous:
        wanted = Q(pk__in=[])
        for c in compacts:
            wanted |= Q(cluster_id=c.cluster_id, year=c.year - 1)
        for prev in Compact.objects.filter(wanted):
            previous[(prev.cluster_id, prev.year)] = prev
    # Last year's places: as stored when its results were finalized, else ranked here.
    stored: dict[int, dict[int, tuple[int, Decimal]]] = {}
    finalized = [p.pk for p in previous.values() if p.is_finalized]
    if finalized:
        for compact_id, unit_id, rank, total in FinalResult.objects.filter(
            compact_id__in=finalized
        ).values_list("compact_id", "unit_id", "rank", "total"):
            stored.setdefault(compact_id, {})[unit_id] = (rank, total)
    everything = {c.pk: c for c in compacts} | {
        p.pk: p for p in previous.values() if p.pk not in stored
    }
    ids = list(everything)
    groups, _leaves, parent_of, criteria_counts = _scheme_outline(ids)
    points = group_points_by_compact(ids, parent_of=parent_of)
    # From the few disqualifying criteria to their scores (the criterion index), rather
    # than through every score of the compacts: 11 ms → under 1 ms for 12,000 scores.
    disqualified = set(
        Score.objects.filter(
            criterion__in=Criterion.objects.filter(compact_id__in=ids, disqualifying=True),
            verified_value__gt=0,
        )
        .order_by()
        .values_list("compact_id", "unit_id")
    )
    member_filter = Q(pk__in=[])
    for c in everything.values():
        member_filter |= Q(cluster_id=c.cluster_id, year=c.year)
    memberships: dict[tuple[int, int], list[Membership]] = {}
    for m in (
        Membership.objects.filter(member_filter)
        .select_related("unit")
        .prefetch_related(Prefetch("unit__former_names", queryset=UnitName.objects.all()))
    ):
        memberships.setdefault((m.cluster_id, m.year), []).append(m)

    role_order = {Membership.Role.LEADER: 0, Membership.Role.DEPUTY: 1, Membership.Role.MEMBER: 2}
    review_votes = None

    def ranked(compact):
        nonlocal review_votes
        # In sheet order, which is also the order of the units not ranked yet.
        members = sorted(
            memberships.get((compact.cluster_id, compact.year), []),
            key=lambda m: (role_order[m.role], m.unit.short_name),
        )
        compact_groups = groups[compact.pk]
        totals = [_total(compact, compact_groups, points[compact.pk], m.unit_id) for m in members]
        criteria = criteria_counts.get(compact.pk, 0)
        incomplete = {
            m.unit_id
            for m in members
            if points[compact.pk].get(m.unit_id, {}).get("content_scored", 0) < criteria
        }
        try:
            bands = ranking.parse_bands(compact.bands or [])
        except (KeyError, TypeError, ValueError, ArithmeticError):
            bands = []
        arguments = dict(
            tie_breakers=compact.tie_breakers or [],
            group_codes={g.code: g.id for g in compact_groups},
            bands=bands,
            disqualified={u for c, u in disqualified if c == compact.pk},
            incomplete=incomplete,
        )
        places = ranking.rank_units(totals, **arguments)
        # A tie left to the vote: the review's votes, read once for every compact, and only
        # for a year whose review can exist (scoring closed or finalized).
        if compact.status in REVIEWED and any(p.shared for p in places):
            if review_votes is None:
                review_votes = _review_votes(
                    [c for c in everything.values() if c.status in REVIEWED]
                )
            places = ranking.rank_units(totals, **arguments, votes=review_votes.get(compact.pk))
        return members, places

    result = {}
    for compact in compacts:
        members, ranked_units = ranked(compact)
        by_unit = {m.unit_id: m for m in members}
        prev = previous.get((compact.cluster_id, compact.year - 1))
        prev_places = {}
        if prev is not None and prev.pk in stored:
            prev_places = stored[prev.pk]
        elif prev is not None:
            prev_places = {
                r.unit_id: (r.rank, r.total.total) for r in ranked(prev)[1] if r.complete
            }
        content_groups = [g for g in groups[compact.pk] if g.section == ranking.Section.CONTENT]
        rows = []
        for place in ranked_units:
            membership = by_unit[place.unit_id]
            full_name, short_name = membership.unit.names_on(year_end(compact))
            heat = [
                HeatCell(
                    group=g,
                    points=place.total.group_points.get(g.id, ranking.ZERO),
                    percent=int(
                        100 * place.total.group_points.get(g.id, ranking.ZERO) / g.max_points
                    )
                    if g.max_points
                    else 0,
                )
                for g in content_groups
            ]
            before = prev_places.get(place.unit_id)
            rows.append(
                RankRow(
                    ranked=place,
                    membership=membership,
                    short_name=short_name,
                    full_name=full_name,
                    heat=heat,
                    verified=points[compact.pk].get(place.unit_id, {}).get("content_scored", 0),
                    criteria=criteria_counts.get(compact.pk, 0),
                    previous_rank=before[0] if before else None,
                    previous_total=before[1] if before else None,
                )
            )
        result[compact.pk] = Ranking(
            compact=compact,
            rows=rows,
            content_groups=content_groups,
            criteria=criteria_counts.get(compact.pk, 0),
            previous=prev,
        )
    return result


REVIEWED = (Compact.Status.SCORING_CLOSED, Compact.Status.FINALIZED)


def _review_votes(compacts: list[Compact]) -> dict[int, dict[int, int]]:
    """Compact id → {unit id → its votes at the acclamation vote (suy tôn)}, where recorded."""
    votes: dict[int, dict[int, int]] = {}
    for compact_id, unit_id, count in VoteCount.objects.filter(
        vote__meeting__compact__in=compacts, vote__subject=Vote.Subject.LEADING
    ).values_list("vote__meeting__compact_id", "unit_id", "votes"):
        votes.setdefault(compact_id, {})[unit_id] = count
    return votes


def ranking_for(compact: Compact) -> Ranking:
    return rankings_for([compact])[compact.pk]


def years_with_results(compacts: list[Compact]) -> list[int]:
    """The years, latest first, in which one of the compacts has results to show: finalized,
    or being scored (scoring open or closed) with at least one verified score. One query."""
    scoring = [
        c.pk
        for c in compacts
        if c.status in (Compact.Status.IN_FORCE, Compact.Status.SCORING_CLOSED)
    ]
    verified = (
        set(
            Compact.objects.filter(pk__in=scoring)
            .filter(
                Exists(
                    Score.objects.filter(compact_id=OuterRef("pk"), verified_value__isnull=False)
                )
            )
            .values_list("pk", flat=True)
        )
        if scoring
        else set()
    )
    years = {c.year for c in compacts if c.is_finalized or c.pk in verified}
    return sorted(years, reverse=True)


@dataclass
class BreakdownRow:
    criterion: Criterion
    self_points: Decimal | None = None
    points: Decimal | None = None
    note: str = ""
    subtotal: Decimal | None = None  # groups


def unit_breakdown(compact: Compact, unit_id: int) -> list[BreakdownRow]:
    """The unit's points on every node of the scheme: leaves as scored, groups summed."""
    criteria = criteria_for_compact(compact)
    scores = {s.criterion_id: s for s in Score.objects.filter(compact=compact, unit_id=unit_id)}
    sums = ranking.roll_up(
        parent_of={c.id: c.parent_id for c in criteria},
        leaf_points={cid: s.verified_points for cid, s in scores.items()},
    )
    rows = []
    for c in criteria:
        score = scores.get(c.id)
        row = BreakdownRow(criterion=c, subtotal=None if c.is_leaf else sums.get(c.id))
        if score is not None and c.is_leaf:
            row.self_points, row.points, row.note = (
                score.self_points,
                score.verified_points,
                score.verified_note,
            )
        rows.append(row)
    return rows


def unit_trend(unit_id: int, *, readable) -> list[tuple[Compact, RankRow]]:
    """The unit's place in every year's compact it took part in and the user may read,
    oldest first. A fixed number of queries whatever the number of years."""
    places = Membership.objects.filter(unit_id=unit_id).values_list("cluster_id", "year")
    wanted = Q(pk__in=[])
    for cluster_id, year in places:
        if readable(cluster_id):
            wanted |= Q(cluster_id=cluster_id, year=year)
    compacts = list(Compact.objects.filter(wanted).select_related("cluster").order_by("year"))
    rankings = rankings_for(compacts, with_previous=False)
    trend = []
    for compact in compacts:
        for row in rankings[compact.pk].rows:
            if row.membership.unit_id == unit_id:
                trend.append((compact, row))
    return trend


# --- Reports ---------------------------------------------------------------------------------


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
    from .models import Signature

    criteria = criteria_for_compact(compact)
    day = year_end(compact)
    memberships = members_of(compact)
    members = []
    for m in memberships:
        full, short = m.unit.names_on(day)
        members.append(ReportMember(membership=m, full_name=full, short_name=short))
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
