"""The standings of a compact (its units ranked, provisional or final), the years with
results, and a unit's breakdown and trend. Used by the ranking and dashboard views,
lifecycle (storing final results), the review and the reports.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from units.models import Membership

from .. import ranking
from ..dated_names import Shows, show_names
from ..models import Compact, Criterion, Score, Vote, VoteCount
from .applicability import NOTHING, whole_scale
from .ranking_reads import Figures, read_compacts, read_figures, read_members
from .scheme import criteria_for_compact
from .sheet import _total


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
    # Units merged into this one between last year and this year (their names last year);
    # when the unit itself had no place last year, its place is theirs (the first found).
    merged_from: list[str] = field(default_factory=list)

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
class Standings:
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
    def crosses_merger(self) -> bool:
        """A merger lies between last year and this one (some unit absorbed others)."""
        return self.previous is not None and any(row.merged_from for row in self.rows)

    @property
    def mergers(self) -> list[str]:
        """Each merger between last year and this one, as "merged units → unit"."""
        return [f"{', '.join(r.merged_from)} → {r.short_name}" for r in self.rows if r.merged_from]

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
        """Verified content cells as a whole percentage of all of them (each member's
        applicable content criteria), rounded down: 100 only when every cell is verified."""
        cells = sum(r.criteria for r in self.rows)
        return 0 if not cells else int(100 * sum(r.verified for r in self.rows) / cells)

    @property
    def max_total(self) -> Decimal:
        return whole_scale(self.compact)

    @property
    def by_percentage(self) -> bool:
        return self.compact.rank_by == ranking.RankBy.PERCENTAGE

    @property
    def has_not_applicable(self) -> bool:
        """Some unit's maximum is below the whole scale: both figures are worth showing."""
        return any(r.totals.maximum != self.max_total for r in self.rows)


def standings_by_compact(
    compacts: list[Compact], *, with_previous: bool = True
) -> dict[int, Standings]:
    """The standings of several compacts (with last year's places for the changes), by
    compact id.

    A fixed number of queries, whatever the number of compacts, units, criteria or years:
    last year's compacts, the figures, the members (`ranking_reads`).
    """
    if not compacts:
        return {}
    previous = _previous_compacts(compacts) if with_previous else {}
    facts = _RankingFacts.read(compacts, previous)
    result = {}
    for compact in compacts:
        prev = previous.get((compact.cluster_id, compact.year - 1))
        members, places = facts.ranked(compact)
        content_groups = facts.content_groups(compact)
        result[compact.pk] = Standings(
            compact=compact,
            rows=facts.rows(
                compact,
                members,
                places,
                content_groups,
                _Previous(facts.places_of(prev), facts.crossed.get(compact.pk, {})),
            ),
            content_groups=content_groups,
            criteria=facts.criteria_counts.get(compact.pk, 0),
            previous=prev,
        )
    return result


def _previous_compacts(compacts) -> dict[tuple[int, int], Compact]:
    """Last year's compact of each cluster, by (cluster id, year)."""
    return read_compacts((c.cluster_id, c.year - 1) for c in compacts)


@dataclass
class _Previous:
    """Last year's places by unit, following the successions between the two years."""

    places: dict[int, tuple[int, Decimal]]
    # Successor id → [(predecessor id, its short name last year)], as they took effect.
    crossed: dict[int, list[tuple[int, str]]]

    def of(self, unit_id: int) -> tuple[tuple[int, Decimal] | None, list[str]]:
        """(last year's (rank, total) of the unit or, failing it, of a unit merged into it;
        the names, valid last year, of the units merged into it since)."""
        merged = self.crossed.get(unit_id, [])
        place = self.places.get(unit_id)
        for predecessor_id, _name in merged:
            place = place or self.places.get(predecessor_id)
        return place, [name for _id, name in merged]


_ROLE_ORDER = {Membership.Role.LEADER: 0, Membership.Role.DEPUTY: 1, Membership.Role.MEMBER: 2}


@dataclass
class _RankingFacts(Figures):
    """Everything ranking needs for several compacts, read in a fixed number of queries."""

    memberships: dict[tuple[int, int], list[Membership]] = field(default_factory=dict)
    compacts: dict[int, Compact] = field(default_factory=dict)
    review_votes: dict[int, dict[int, int]] | None = None  # read when a tie needs them

    @classmethod
    def read(cls, compacts: list[Compact], previous: dict[tuple[int, int], Compact]):
        """The figures of `compacts` and of last year's compacts that must be ranked here
        (last year's places: as stored when its results were finalized, else ranked now),
        the successions between the two years, and the members of all of them."""
        to_rank = {c.pk: c for c in compacts} | {
            p.pk: p for p in previous.values() if not p.is_finalized
        }
        crossing = [
            (c, c.cluster_id, c.year) for c in compacts if (c.cluster_id, c.year - 1) in previous
        ]
        finalized = [p for p in previous.values() if p.is_finalized]
        figures = read_figures(to_rank, [p.pk for p in finalized], crossing)
        # Finalized before places were stored: ranked live, as before.
        unstored = {p.pk: p for p in finalized if p.pk not in figures.stored}
        if unstored:
            _merge(figures, read_figures(unstored))
            to_rank |= unstored
        memberships = read_members((c.cluster_id, c.year) for c in to_rank.values())
        return cls(**vars(figures), memberships=memberships, compacts=to_rank)

    def applicable_criteria(self, compact, unit_id) -> int:
        """How many content criteria apply to the unit (all but those marked)."""
        marked = self.applicability[compact.pk].get(unit_id, NOTHING)
        return self.criteria_counts.get(compact.pk, 0) - marked.count

    def content_groups(self, compact):
        return [g for g in self.groups[compact.pk] if g.section == ranking.Section.CONTENT]

    def ranked(self, compact):
        """The compact's members in sheet order (also the order of the units not ranked
        yet), and their places by ranking.rank_units."""
        members = self.memberships.get((compact.cluster_id, compact.year), [])
        show_names(compact, Shows.RESULTS, [m.unit for m in members])  # prefetched: no query
        members = sorted(members, key=lambda m: (_ROLE_ORDER[m.role], m.unit.shown_short_name))
        compact_groups = self.groups[compact.pk]
        points = self.points[compact.pk]
        marked = self.applicability[compact.pk]
        totals = [
            _total(compact, compact_groups, points, m.unit_id, marked.get(m.unit_id, NOTHING))
            for m in members
        ]
        incomplete = {
            m.unit_id
            for m in members
            if points.get(m.unit_id, {}).get("content_scored", 0)
            < self.applicable_criteria(compact, m.unit_id)
        }
        try:
            bands = ranking.parse_bands(compact.bands or [])
        except (KeyError, TypeError, ValueError, ArithmeticError):
            bands = []
        arguments = dict(
            tie_breakers=compact.tie_breakers or [],
            group_codes={g.code: g.id for g in compact_groups},
            bands=bands,
            disqualified={u for c, u in self.disqualified if c == compact.pk},
            incomplete=incomplete,
            rank_by=compact.rank_by,
            scale=whole_scale(compact),
        )
        places = ranking.rank_units(totals, **arguments)
        # A tie left to the vote: the review's votes, read once for every compact, and only
        # for a year whose review can exist (scoring closed or finalized).
        if compact.status in REVIEWED and any(p.shared for p in places):
            places = ranking.rank_units(totals, **arguments, votes=self.votes_of(compact))
        return members, places

    def votes_of(self, compact) -> dict[int, int] | None:
        if self.review_votes is None:
            self.review_votes = _review_votes(
                [c for c in self.compacts.values() if c.status in REVIEWED]
            )
        return self.review_votes.get(compact.pk)

    def places_of(self, compact) -> dict[int, tuple[int, Decimal]]:
        """A (last year's) compact's places by unit: stored if finalized, else ranked now."""
        if compact is None:
            return {}
        if compact.pk in self.stored:
            return self.stored[compact.pk]
        return {r.unit_id: (r.rank, r.total.total) for r in self.ranked(compact)[1] if r.complete}

    def rows(self, compact, members, places, content_groups, previous) -> list[RankRow]:
        by_unit = {m.unit_id: m for m in members}
        points = self.points[compact.pk]
        rows = []
        for place in places:
            membership = by_unit[place.unit_id]
            before, merged_from = previous.of(place.unit_id)
            rows.append(
                RankRow(
                    ranked=place,
                    membership=membership,
                    short_name=membership.unit.shown_short_name,
                    full_name=membership.unit.shown_full_name,
                    heat=_heat(place, content_groups),
                    verified=points.get(place.unit_id, {}).get("content_scored", 0),
                    criteria=self.applicable_criteria(compact, place.unit_id),
                    previous_rank=before[0] if before else None,
                    previous_total=before[1] if before else None,
                    merged_from=merged_from,
                )
            )
        return rows


def _merge(figures: Figures, more: Figures) -> None:
    """Adds the figures of other compacts to `figures`."""
    for name in ("groups", "criteria_counts", "points", "applicability"):
        getattr(figures, name).update(getattr(more, name))
    figures.disqualified |= more.disqualified


REVIEWED = (Compact.Status.SCORING_CLOSED, Compact.Status.FINALIZED)


def _review_votes(compacts: list[Compact]) -> dict[int, dict[int, int]]:
    """Compact id → {unit id → its votes at the acclamation vote (suy tôn)}, where recorded."""
    votes: dict[int, dict[int, int]] = {}
    for compact_id, unit_id, count in VoteCount.objects.filter(
        vote__meeting__compact__in=compacts, vote__subject=Vote.Subject.LEADING
    ).values_list("vote__meeting__compact_id", "unit_id", "votes"):
        votes.setdefault(compact_id, {})[unit_id] = count
    return votes


def _heat(place, content_groups) -> list[HeatCell]:
    """A unit's points in each content group, and their share of the group's maximum."""
    cells = []
    for g in content_groups:
        points = place.total.group_points.get(g.id, ranking.ZERO)
        percent = int(100 * points / g.max_points) if g.max_points else 0
        cells.append(HeatCell(group=g, points=points, percent=percent))
    return cells


def standings_for(compact: Compact) -> Standings:
    return standings_by_compact([compact])[compact.pk]


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
    not_applicable: str = ""  # the reason, when the criterion does not apply to the unit


def unit_breakdown(compact: Compact, unit_id: int) -> list[BreakdownRow]:
    """The unit's points on every node of the scheme: leaves as scored, groups summed."""
    criteria = criteria_for_compact(compact, unit_id=unit_id)
    scores = {s.criterion_id: s for s in Score.objects.filter(compact=compact, unit_id=unit_id)}
    sums = ranking.roll_up(
        parent_of={c.id: c.parent_id for c in criteria},
        leaf_points={cid: s.verified_points for cid, s in scores.items()},
    )
    rows = []
    for c in criteria:
        score = scores.get(c.id)
        row = BreakdownRow(
            criterion=c,
            subtotal=None if c.is_leaf else sums.get(c.id),
            not_applicable=c.not_applicable_reason or "",
        )
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
    standings = standings_by_compact(compacts, with_previous=False)
    trend = []
    for compact in compacts:
        for row in standings[compact.pk].rows:
            if row.membership.unit_id == unit_id:
                trend.append((compact, row))
    return trend
